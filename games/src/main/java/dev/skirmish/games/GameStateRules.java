package dev.skirmish.games;

import dev.skirmish.common.DocumentStore.Change;
import dev.skirmish.common.Faf;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static dev.skirmish.games.GameRules.CONN_CONNECTED;
import static dev.skirmish.games.GameRules.CONN_INITIALIZED;
import static dev.skirmish.games.GameRules.Effects;
import static dev.skirmish.games.GameRules.HOSTING;
import static dev.skirmish.games.GameRules.IDLE;
import static dev.skirmish.games.GameRules.INITIALIZING;
import static dev.skirmish.games.GameRules.JOINING;
import static dev.skirmish.games.GameRules.LIVE;
import static dev.skirmish.games.GameRules.LOBBY;
import static dev.skirmish.games.GameRules.PLAYING;
import static dev.skirmish.games.GameRules.cancel;
import static dev.skirmish.games.GameRules.connections;
import static dev.skirmish.games.GameRules.end;
import static dev.skirmish.games.GameRules.gpg;
import static dev.skirmish.games.GameRules.intOf;
import static dev.skirmish.games.GameRules.isHost;
import static dev.skirmish.games.GameRules.isMatch;
import static dev.skirmish.games.GameRules.stored;
import static dev.skirmish.games.GameRules.sub;
import static dev.skirmish.games.GameRules.unchanged;

/**
 * GPGNet {@code GameState} from a player's game (Idle, Lobby, Launching, Ended), a player leaving, and
 * {@code GameEnded}: the game's way from set-up to its end, as pure functions over the game document.
 */
final class GameStateRules {

  private GameStateRules() {
  }

  /**
   * {@code GameState [state]} from {@code player}'s game. {@code playerInfo} (the player's object with
   * {@code ratings}, or null) is read only at a joiner's {@code Idle} in a game that enforces a rating range
   * ({@link EntryRules#needsRatings}).
   */
  static Change<Effects> gameState(JsonObject current, int player, String login, String connection, String state,
                                   JsonObject playerInfo) {
    Effects fx = new Effects();
    if (current.isEmpty()) {
      return unchanged(fx);
    }
    JsonObject game = current.copy();
    JsonObject conns = connections(game);
    String key = String.valueOf(player);
    boolean host = isHost(game, player);
    switch (state) {
      case "Idle" -> {
        if (host) {
          if (!INITIALIZING.equals(game.getString("state"))) {
            return unchanged(fx);
          }
          game.put("state", LOBBY);
          conns.put(key, new JsonObject().put("login", login).put("state", CONN_CONNECTED).put("via", connection));
          fx.states.put(player, HOSTING);
        } else {
          if (!LOBBY.equals(game.getString("state")) || conns.containsKey(key)) {
            return unchanged(fx);
          }
          EntryRules.Refusal refused = isMatch(game) ? null : EntryRules.hidden(game, player, playerInfo);
          if (refused != null) {
            // The game became hidden from the joiner after game_join (the host made them a foe, say): they are
            // refused as at game_join, their game is closed and they are free again. The game is not touched.
            fx.push(player, Faf.errorNotice(refused.text()));
            fx.push(player, Faf.notice("kill", null));
            fx.states.put(player, IDLE);
            return unchanged(fx);
          }
          conns.put(key, new JsonObject().put("login", login).put("state", CONN_INITIALIZED).put("via", connection));
          fx.states.put(player, JOINING);
        }
        EntryRules.member(game, player);
        return stored(game, fx);
      }
      case "Lobby" -> {
        JsonObject mine = conns.getJsonObject(key);
        if (mine == null) {
          return unchanged(fx);
        }
        if (host) {
          if (game.getString("hostedAt") != null) {
            return unchanged(fx);
          }
          Instant now = Instant.now();
          game.put("hostedAt", now.truncatedTo(ChronoUnit.MILLIS).toString());
          Long launchTimeout = game.getLong(DeadlineRules.LAUNCH_TIMEOUT);
          if (launchTimeout != null) {
            game.put(DeadlineRules.LAUNCH_DEADLINE, now.toEpochMilli() + launchTimeout);
          }
          fx.push(player, gpg("HostGame", game.getString("mapname")));
          fx.matchHosted = isMatch(game);
          return stored(game, fx);
        }
        if (!CONN_INITIALIZED.equals(mine.getString("state"))) {
          return unchanged(fx);
        }
        int hostId = game.getInteger("host");
        if (!conns.containsKey(String.valueOf(hostId))) {
          // The host is gone: this joiner's game cannot connect to anyone.
          conns.remove(key);
          fx.states.put(player, IDLE);
          return stored(game, fx);
        }
        fx.push(player, gpg("JoinGame", game.getString("hostLogin"), hostId));
        fx.push(hostId, gpg("ConnectToPeer", login, player, true));
        for (String other : conns.fieldNames()) {
          int peer = Integer.parseInt(other);
          JsonObject c = conns.getJsonObject(other);
          if (peer != player && peer != hostId && CONN_CONNECTED.equals(c.getString("state"))) {
            fx.push(player, gpg("ConnectToPeer", c.getString("login"), peer, true));
            fx.push(peer, gpg("ConnectToPeer", login, player, false));
          }
        }
        mine.put("state", CONN_CONNECTED);
        return stored(game, fx);
      }
      case "Launching" -> {
        if (!host || !LOBBY.equals(game.getString("state"))) {
          return unchanged(fx);
        }
        game.put("state", LIVE);
        game.put("launchedAt", Instant.now().getEpochSecond());
        JsonObject options = sub(game, "playerOptions");
        JsonArray players = new JsonArray();
        for (String id : conns.fieldNames()) {
          int p = Integer.parseInt(id);
          JsonObject o = options.getJsonObject(id, new JsonObject());
          fx.states.put(p, PLAYING);
          if (intOf(o.getValue("Army"), -1) < 0) {
            continue;
          }
          players.add(new JsonObject().put("id", p).put("login", conns.getJsonObject(id).getString("login"))
            .put("team", intOf(o.getValue("Team"), -1)).put("army", intOf(o.getValue("Army"), -1))
            .put("faction", intOf(o.getValue("Faction"), 0)).put("color", intOf(o.getValue("Color"), 0))
            .put("startSpot", intOf(o.getValue("StartSpot"), intOf(o.getValue("Army"), -1))));
        }
        game.put("players", players);
        fx.launched = true;
        return stored(game, fx);
      }
      case "Ended" -> {
        return leave(current, player, null);
      }
      default -> {
        return unchanged(fx);
      }
    }
  }

  /**
   * {@code player}'s game closed (GameState Ended) or their lobby connection went away. Before launch the
   * player leaves the game (the others are told to disconnect from them; the host leaving ends the game);
   * once live, their connection ends and the game ends when no connection is left or every remaining one
   * has reported {@code GameEnded}. With a {@code connection}, only a game attached through that lobby
   * connection is left.
   */
  static Change<Effects> leave(JsonObject current, int player, String connection) {
    Effects fx = new Effects();
    if (current.isEmpty()) {
      return unchanged(fx);
    }
    JsonObject game = current.copy();
    JsonObject conns = connections(game);
    String key = String.valueOf(player);
    JsonObject mine = conns.getJsonObject(key);
    if (connection != null && mine != null && mine.getString("via") != null && !connection.equals(mine.getString("via"))) {
      // The game was restored from a newer lobby connection: the old connection's clean-up leaves it alone.
      return unchanged(fx);
    }
    String state = game.getString("state");
    boolean wasConnected = conns.remove(key) != null;
    fx.states.put(player, IDLE);
    if (INITIALIZING.equals(state) || LOBBY.equals(state)) {
      if (isMatch(game)) {
        // A matchmade game needs every matched player: one leaving during set-up cancels the match.
        return cancel(game, fx, List.of(player));
      }
      if (isHost(game, player)) {
        return end(game, fx);
      }
      sub(game, "playerOptions").remove(key);
      if (wasConnected) {
        for (String other : conns.fieldNames()) {
          fx.push(Integer.parseInt(other), gpg("DisconnectFromPeer", player));
        }
      }
      return stored(game, fx);
    }
    if (LIVE.equals(state) && allFinished(game)) {
      return end(game, fx);
    }
    return stored(game, fx);
  }

  /** {@code GameEnded []}: this player's simulation finished. */
  static Change<Effects> gameEnded(JsonObject current, int player) {
    Effects fx = new Effects();
    if (current.isEmpty() || !LIVE.equals(current.getString("state"))) {
      return unchanged(fx);
    }
    JsonObject game = current.copy();
    JsonArray finished = game.getJsonArray("finished", new JsonArray());
    if (!finished.contains(player)) {
      finished.add(player);
    }
    game.put("finished", finished);
    if (allFinished(game)) {
      return end(game, fx);
    }
    return stored(game, fx);
  }

  /** Every remaining connection has finished (true when none is left). */
  private static boolean allFinished(JsonObject game) {
    JsonArray finished = game.getJsonArray("finished", new JsonArray());
    for (String id : connections(game).fieldNames()) {
      if (!finished.contains(Integer.parseInt(id))) {
        return false;
      }
    }
    return true;
  }
}
