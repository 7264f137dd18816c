package dev.skirmish.common;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.Set;

/**
 * The games service's word on who is in a FAF game ({@link Addresses#GAMES_MEMBERS}): the players whose
 * games are connected to game {@code game}, as its document stood when it was read. Gateways relay
 * {@code IceMsg} between two of them without asking again until the game's members change
 * ({@link Addresses#FAF_GAME_MEMBERS_CHANGED}).
 */
public record GameMembers(long game, Set<Integer> players) {

  public GameMembers {
    players = Set.copyOf(players);
  }

  /** Whether both players are connected to the game. */
  public boolean vouches(int sender, int receiver) {
    return players.contains(sender) && players.contains(receiver);
  }

  public JsonObject toJson() {
    return new JsonObject().put("game", game).put("players", new JsonArray(players.stream().sorted().toList()));
  }

  public static GameMembers fromJson(JsonObject json) {
    Set<Integer> players = new HashSet<>();
    for (Object p : json.getJsonArray("players", new JsonArray())) {
      if (p instanceof Number n) {
        players.add(n.intValue());
      }
    }
    return new GameMembers(json.getLong("game"), players);
  }

  /** The request for the members of game {@code game}. */
  public static JsonObject ofGame(long game) {
    return new JsonObject().put("game", game);
  }

  /** The request for the game {@code player} is in; answered {@code {"game": id or null}}. */
  public static JsonObject gameOf(int player) {
    return new JsonObject().put("player", player);
  }

  /** The body of {@link Addresses#FAF_GAME_MEMBERS_CHANGED} for game {@code game}. */
  public static JsonObject changed(long game) {
    return new JsonObject().put("game", game);
  }
}
