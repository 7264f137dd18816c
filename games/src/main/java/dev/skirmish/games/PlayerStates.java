package dev.skirmish.games;

import dev.skirmish.common.DocumentStore.Change;
import dev.skirmish.common.Failures;
import dev.skirmish.common.ServiceException;
import dev.skirmish.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.skirmish.games.GamesContext.key;

/**
 * Each player's current game and state, one document per player ({@value GamesContext#PLAYERS_MAP}):
 * {@code {"game": id, "state": player state, "connection": lobby connection, "since": millis}}. A player
 * without a document is idle.
 */
final class PlayerStates {

  private final GamesContext ctx;

  PlayerStates(GamesContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Marks an idle player as starting a game from {@code connection}; fails with the protocol's "Can't ...
   * while in state ..." when they are busy. A state left behind by a game that no longer exists does not
   * count, nor (when restoring) one that names the game being restored.
   */
  Future<Void> claimIdle(int player, String connection, String action, Long ownGame) {
    return ctx.players.read(key(player)).compose(doc -> {
      Long stale = doc.getLong("game");
      Future<Boolean> gone = stale == null ? Future.succeededFuture(false) : ctx.games.read(key(stale)).map(JsonObject::isEmpty);
      return gone.compose(isGone -> ctx.players.update(key(player), current -> {
        Long in = current.getLong("game");
        boolean idle = current.isEmpty() || (isGone && stale.equals(in)) || (ownGame != null && ownGame.equals(in))
          || neverStarted(current);
        if (!idle) {
          return new Change<>(null, current.getString("state", GameRules.STARTING_GAME));
        }
        JsonObject claimed = new JsonObject().put("connection", connection).put("since", System.currentTimeMillis());
        if (ownGame != null) {
          claimed.put("game", ownGame);
        }
        return new Change<String>(claimed, null);
      }));
    }).compose(busy -> busy == null
      ? Future.succeededFuture()
      : Future.failedFuture(new ServiceException(Failures.CONFLICT, "Can't " + action + " while in state " + busy + ".")));
  }

  /**
   * A player who started a game whose FA never reported {@code Idle}, longer ago than any set-up time-out:
   * the set-up deadlines free them, whichever games node is alive ({@link DeadlineSweep}); this is the last
   * safety net (a claim whose game was never created, a sweep that cannot reach the map). Such a player
   * counts as idle.
   */
  private boolean neverStarted(JsonObject doc) {
    long limit = 1000 * Math.max(ctx.config.getLong(Setting.GAME_SETUP_TIMEOUT_SECONDS),
      Math.max(ctx.config.getLong(Setting.COOP_SETUP_TIMEOUT_SECONDS),
        ctx.config.getLong(Setting.MATCH_HOST_TIMEOUT_SECONDS) + ctx.config.getLong(Setting.MATCH_LAUNCH_TIMEOUT_SECONDS) + 160));
    return !doc.containsKey("state") && System.currentTimeMillis() - doc.getLong("since", 0L) > limit + 5000;
  }

  /** Names game {@code id} in the player's document (after a claim). */
  Future<Void> enter(int player, long id) {
    return ctx.players.update(key(player), doc -> new Change<Void>(doc.copy().put("game", id), null));
  }

  /** Makes a player idle again (only if their document still names {@code id}, or any game when null). */
  Future<Void> release(int player, Long id) {
    return release(player, id, null);
  }

  /** As {@link #release(int, Long)}, and with a {@code connection} only if the game was started or restored through it. */
  Future<Void> release(int player, Long id, String connection) {
    return ctx.players.update(key(player), doc -> {
      boolean ours = connection == null || doc.getString("connection") == null || connection.equals(doc.getString("connection"));
      return new Change<Void>((id == null || id.equals(doc.getLong("game"))) && ours ? new JsonObject() : null, null);
    });
  }

  /** Stores player states after a game change; IDLE removes the player's document if it still names this game. */
  Future<Void> set(long id, Map<Integer, String> states) {
    List<Future<Void>> all = new ArrayList<>();
    states.forEach((player, state) -> all.add(ctx.players.update(key(player), doc -> {
      if (GameRules.IDLE.equals(state)) {
        return new Change<Void>(Long.valueOf(id).equals(doc.getLong("game")) ? new JsonObject() : null, null);
      }
      return new Change<Void>(doc.copy().put("game", id).put("state", state), null);
    })));
    return Future.all(all).mapEmpty();
  }

  /** The game a player is in, or null. */
  Future<Long> gameOf(int player) {
    return ctx.players.read(key(player)).map(doc -> doc.getLong("game"));
  }
}
