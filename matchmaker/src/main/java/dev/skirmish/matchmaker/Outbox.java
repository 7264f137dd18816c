package dev.skirmish.matchmaker;

import dev.skirmish.common.Delivery;
import dev.skirmish.common.Faf;
import dev.skirmish.common.SessionDirectory;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;

/** The FAF messages the matchmaker sends to players' sessions, wherever in the cluster they are connected. */
final class Outbox {

  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

  private final Vertx vertx;
  private final SessionDirectory sessions;

  Outbox(Vertx vertx, SessionDirectory sessions) {
    this.vertx = vertx;
    this.sessions = sessions;
  }

  /** Sends {@code message} to the player's session; a player who is offline misses it. */
  void push(int player, JsonObject message) {
    Delivery.toSession(vertx, sessions, String.valueOf(player), message)
      .onFailure(err -> LOG.debug("Matchmaker message to {} not delivered: {}", player, err.getMessage()));
  }

  /** {@code match_cancelled {game_id: null}} to each player of a match that never became a game. */
  void matchCancelled(Collection<Integer> players) {
    JsonObject cancelled = Faf.command("match_cancelled").putNull("game_id");
    players.forEach(id -> push(id, cancelled));
  }

  static JsonObject searchInfo(String queue, String state) {
    return Faf.command("search_info").put("queue_name", queue).put("state", state);
  }
}
