package dev.skirmish.games;

import dev.skirmish.common.Delivery;
import dev.skirmish.common.DocumentStore.Change;
import dev.skirmish.common.Faf;
import dev.skirmish.common.GameVisibility;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static dev.skirmish.games.GamesContext.key;

/**
 * Keeps the audience of a hosted game in step with its host's friends and foes: a game copies them when
 * hosted, and a later {@code social_add} / {@code social_remove} of the host updates the game they host and
 * re-announces it at the next tick. A subject who could see the game and no longer may (a new foe, or a
 * former friend of a friends-only game) is told at once with one {@code game_info} of state {@code closed}.
 */
final class HostAudience {

  private static final Logger LOG = LoggerFactory.getLogger(HostAudience.class);

  /** Relations of a host to a subject, as in {@code friends_and_foes.status}; null = none. */
  static final String FRIEND = "FRIEND";
  static final String FOE = "FOE";

  private final GamesContext ctx;
  private final GameInfoAnnouncer announcer;

  HostAudience(GamesContext ctx, GameInfoAnnouncer announcer) {
    this.ctx = ctx;
    this.announcer = announcer;
  }

  /** The host's relation to {@code subject} is now {@code status} ({@link #FRIEND}, {@link #FOE} or null). */
  Future<Void> related(int host, int subject, String status) {
    return ctx.players.read(key(host)).compose(doc -> {
      Long id = doc.getLong("game");
      if (id == null) {
        return Future.succeededFuture();
      }
      return ctx.games.update(key(id), game -> relate(game, host, subject, status))
        .compose(change -> change == null ? Future.succeededFuture() : announce(id, change, subject));
    });
  }

  /** A game's document before and after a change of its host's relations. */
  record Audiences(JsonObject before, JsonObject after) {
  }

  /**
   * The game with the host's new relation to {@code subject}; the change's result is the game before and
   * after (null when the game is gone, not hosted by {@code host}, or unchanged).
   */
  static Change<Audiences> relate(JsonObject game, int host, int subject, String status) {
    if (game.isEmpty() || !GameRules.isHost(game, host)) {
      return new Change<>(null, null);
    }
    JsonArray friends = without(game.getJsonArray("hostFriends"), subject);
    JsonArray foes = without(game.getJsonArray("hostFoes"), subject);
    if (FRIEND.equals(status)) {
      friends.add(subject);
    } else if (FOE.equals(status)) {
      foes.add(subject);
    }
    if (friends.equals(game.getJsonArray("hostFriends")) && foes.equals(game.getJsonArray("hostFoes"))) {
      return new Change<>(null, null);
    }
    JsonObject next = game.copy().put("hostFriends", friends).put("hostFoes", foes);
    return new Change<>(next, new Audiences(game, next));
  }

  /** Marks the game changed; a subject who could see it and no longer may gets it as closed at once. */
  private Future<Void> announce(long id, Audiences change, int subject) {
    announcer.changed(id, change.after());
    return ctx.sessions.get(key(subject)).compose(entry -> {
      if (entry == null) {
        return Future.succeededFuture();
      }
      JsonObject viewer = entry.data();
      boolean saw = shown(change.before()) && GameVisibility.visibleTo(GameInfo.audience(change.before()), subject, viewer);
      boolean sees = GameVisibility.visibleTo(GameInfo.audience(change.after()), subject, viewer);
      if (!saw || sees) {
        return Future.succeededFuture();
      }
      LOG.debug("Game {} is hidden from player {} now", id, subject);
      JsonObject closed = Faf.command("game_info").mergeIn(GameInfo.info(change.after())).put("state", "closed");
      return Delivery.toSession(ctx.vertx, ctx.sessions, key(subject), closed).mapEmpty();
    });
  }

  /** Whether viewers have been shown the game as open or playing. */
  private static boolean shown(JsonObject game) {
    return GameRules.LOBBY.equals(game.getString("state")) || GameRules.LIVE.equals(game.getString("state"));
  }

  private static JsonArray without(JsonArray ids, int id) {
    JsonArray out = new JsonArray();
    if (ids != null) {
      for (Object o : ids) {
        if (!(o instanceof Number n && n.intValue() == id)) {
          out.add(o);
        }
      }
    }
    return out;
  }
}
