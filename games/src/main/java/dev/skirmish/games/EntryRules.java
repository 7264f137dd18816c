package dev.skirmish.games;

import dev.skirmish.common.DocumentStore.Change;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import static dev.skirmish.games.GameRules.CONN_CONNECTED;
import static dev.skirmish.games.GameRules.Effects;
import static dev.skirmish.games.GameRules.LIVE;
import static dev.skirmish.games.GameRules.LOBBY;
import static dev.skirmish.games.GameRules.PLAYING;
import static dev.skirmish.games.GameRules.connections;
import static dev.skirmish.games.GameRules.stored;
import static dev.skirmish.games.GameRules.unchanged;

/**
 * A player entering a game that already exists: {@code restore_game_session} re-attaches a player to a
 * lobby or live game, as a pure function over the game document.
 */
final class EntryRules {

  private EntryRules() {
  }

  /** {@code restore_game_session}: a player rejoins their game's lobby or live game. */
  static Change<Effects> restore(JsonObject current, int player, String login, String connection) {
    Effects fx = new Effects();
    if (current.isEmpty()) {
      return unchanged(fx);
    }
    JsonObject game = current.copy();
    String state = game.getString("state");
    boolean participant = false;
    for (Object o : game.getJsonArray("players", new JsonArray())) {
      if (o instanceof JsonObject p && p.getInteger("id") == player) {
        participant = true;
      }
    }
    if (!(LOBBY.equals(state) || (LIVE.equals(state) && participant))) {
      return unchanged(fx);
    }
    connections(game).put(String.valueOf(player), new JsonObject().put("login", login).put("state", CONN_CONNECTED)
      .put("via", connection));
    fx.states.put(player, PLAYING);
    return stored(game, fx);
  }
}
