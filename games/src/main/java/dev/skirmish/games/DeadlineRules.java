package dev.skirmish.games;

import dev.skirmish.common.DocumentStore.Change;
import io.vertx.core.json.JsonObject;

import java.util.List;

import static dev.skirmish.games.GameRules.CONN_CONNECTED;
import static dev.skirmish.games.GameRules.Effects;
import static dev.skirmish.games.GameRules.IDLE;
import static dev.skirmish.games.GameRules.INITIALIZING;
import static dev.skirmish.games.GameRules.LIVE;
import static dev.skirmish.games.GameRules.cancel;
import static dev.skirmish.games.GameRules.connections;
import static dev.skirmish.games.GameRules.end;
import static dev.skirmish.games.GameRules.expected;
import static dev.skirmish.games.GameRules.isMatch;
import static dev.skirmish.games.GameRules.unchanged;

/**
 * The set-up deadlines of a game, kept in its document as epoch millis so that any games node can apply them:
 * {@value #HOST_DEADLINE} (a custom or coop game whose host's game never reported {@code Idle} is closed; a
 * matchmade game whose host did not open the lobby is cancelled, the host blamed), {@value #LAUNCH_DEADLINE} (a
 * matchmade game not launched by then is cancelled, the players whose games had not connected blamed; set when
 * the host's lobby opens, {@value #LAUNCH_TIMEOUT} after it) and {@value #JOIN_DEADLINES} (player id → millis: a
 * joiner whose game never reported {@code Idle} is freed). Pure functions over the game document.
 */
final class DeadlineRules {

  static final String HOST_DEADLINE = "hostDeadline";
  static final String LAUNCH_DEADLINE = "launchDeadline";
  static final String LAUNCH_TIMEOUT = "launchTimeoutMs";
  static final String JOIN_DEADLINES = "joinDeadlines";

  private DeadlineRules() {
  }

  /** Applies the deadlines of {@code current} that have passed at {@code now}. */
  static Change<Effects> due(JsonObject current, long now) {
    Effects fx = new Effects();
    String state = current.getString("state");
    if (current.isEmpty() || LIVE.equals(state) || GameRules.ENDED.equals(state)) {
      return unchanged(fx);
    }
    boolean match = isMatch(current);
    if (passed(current.getLong(HOST_DEADLINE), now)) {
      if (match && current.getString("hostedAt") == null) {
        return cancel(current.copy(), fx, List.of(current.getInteger("host")));
      }
      if (!match && INITIALIZING.equals(state)) {
        return end(current.copy(), fx);
      }
    }
    if (match && passed(current.getLong(LAUNCH_DEADLINE), now)) {
      JsonObject conns = current.getJsonObject("connections", new JsonObject());
      return cancel(current.copy(), fx, expected(current).stream()
        .filter(p -> !CONN_CONNECTED.equals(conns.getJsonObject(GamesContext.key(p), new JsonObject()).getString("state")))
        .toList());
    }
    JsonObject joins = current.getJsonObject(JOIN_DEADLINES);
    if (joins == null) {
      return unchanged(fx);
    }
    JsonObject game = current.copy();
    JsonObject pending = game.getJsonObject(JOIN_DEADLINES);
    for (String player : joins.fieldNames()) {
      if (passed(joins.getLong(player), now)) {
        pending.remove(player);
        if (!connections(game).containsKey(player)) {
          fx.states.put(Integer.parseInt(player), IDLE);
        }
      }
    }
    // Nothing a client sees has changed: the game is not announced again.
    return pending.size() == joins.size() ? unchanged(fx) : new Change<>(game, fx);
  }

  /** The next deadline of {@code game} after {@code now} that may still apply, or null. */
  static Long next(JsonObject game, long now) {
    String state = game.getString("state");
    if (game.isEmpty() || LIVE.equals(state) || GameRules.ENDED.equals(state)) {
      return null;
    }
    Long next = null;
    if (isMatch(game) ? game.getString("hostedAt") == null : INITIALIZING.equals(state)) {
      next = earlier(next, game.getLong(HOST_DEADLINE), now);
    }
    if (isMatch(game)) {
      next = earlier(next, game.getLong(LAUNCH_DEADLINE), now);
    }
    JsonObject joins = game.getJsonObject(JOIN_DEADLINES, new JsonObject());
    for (String player : joins.fieldNames()) {
      next = earlier(next, joins.getLong(player), now);
    }
    return next;
  }

  /** A joiner's set-up deadline, entered when they join. */
  static Change<Void> joining(JsonObject current, int player, long deadline) {
    if (current.isEmpty()) {
      return new Change<>(null, null);
    }
    JsonObject game = current.copy();
    GameRules.sub(game, JOIN_DEADLINES).put(GamesContext.key(player), deadline);
    return new Change<>(game, null);
  }

  private static boolean passed(Long deadline, long now) {
    return deadline != null && deadline <= now;
  }

  private static Long earlier(Long next, Long deadline, long now) {
    return deadline == null || deadline <= now || (next != null && next <= deadline) ? next : deadline;
  }
}
