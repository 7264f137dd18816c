package dev.skirmish.games;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;

/** The {@code game_info} fields of a game document and the audience that may see it. */
final class GameInfo {

  private GameInfo() {
  }

  /** {@code {"info": {...}, "audience": {...}}} as published to the gateways. */
  static JsonObject announcement(JsonObject game) {
    return new JsonObject().put("info", info(game)).put("audience", audience(game));
  }

  /** The game_info dict of §3 (without the command name). */
  static JsonObject info(JsonObject game) {
    String state = switch (game.getString("state", GameRules.ENDED)) {
      case GameRules.LOBBY -> "open";
      case GameRules.LIVE -> "playing";
      default -> "closed";
    };
    // Teams: the frozen players once live, the connected players with options before.
    Map<Integer, JsonArray> teamIds = new TreeMap<>();
    Map<Integer, JsonArray> teamLogins = new TreeMap<>();
    int numPlayers = 0;
    JsonArray frozen = game.getJsonArray("players");
    if (GameRules.LIVE.equals(game.getString("state")) && frozen != null) {
      for (Object o : frozen) {
        JsonObject p = (JsonObject) o;
        numPlayers++;
        teamIds.computeIfAbsent(p.getInteger("team"), t -> new JsonArray()).add(p.getInteger("id"));
        teamLogins.computeIfAbsent(p.getInteger("team"), t -> new JsonArray()).add(p.getString("login"));
      }
    } else {
      JsonObject conns = game.getJsonObject("connections", new JsonObject());
      JsonObject options = game.getJsonObject("playerOptions", new JsonObject());
      for (String id : conns.fieldNames()) {
        JsonObject o = options.getJsonObject(id);
        if (o == null || !o.containsKey("Team")) {
          continue;
        }
        numPlayers++;
        int team = GameRules.intOf(o.getValue("Team"), -1);
        teamIds.computeIfAbsent(team, t -> new JsonArray()).add(Integer.parseInt(id));
        teamLogins.computeIfAbsent(team, t -> new JsonArray()).add(conns.getJsonObject(id).getString("login"));
      }
    }
    JsonArray teamsIds = new JsonArray();
    teamIds.forEach((team, ids) -> teamsIds.add(new JsonObject().put("team_id", team).put("player_ids", ids)));
    JsonObject teams = new JsonObject();
    teamLogins.forEach((team, logins) -> teams.put(String.valueOf(team), logins));
    String password = game.getString("password");
    return new JsonObject()
      .put("visibility", game.getString("visibility"))
      .put("password_protected", password != null && !password.isEmpty())
      .put("uid", game.getLong("id"))
      .put("title", game.getString("title"))
      .put("state", state)
      .put("game_type", game.getString("gameType"))
      .put("featured_mod", game.getString("featuredMod"))
      .put("sim_mods", game.getJsonObject("simMods", new JsonObject()).copy())
      .put("mapname", game.getString("mapname"))
      .put("map_file_path", "maps/" + game.getString("mapname") + ".zip")
      .put("host", game.getString("hostLogin"))
      .put("num_players", numPlayers)
      .put("max_players", game.getInteger("maxPlayers", 12))
      .put("hosted_at", game.getString("hostedAt"))
      .put("launched_at", game.getLong("launchedAt"))
      .put("rating_type", game.getString("ratingType"))
      .put("rating_min", game.getValue("ratingMin"))
      .put("rating_max", game.getValue("ratingMax"))
      .put("enforce_rating_range", game.getBoolean("enforceRatingRange", false))
      .put("teams_ids", teamsIds)
      .put("teams", teams);
  }

  /** Who may see the game (see {@code GameVisibility}). */
  static JsonObject audience(JsonObject game) {
    JsonArray participants = new JsonArray();
    for (String id : game.getJsonObject("connections", new JsonObject()).fieldNames()) {
      participants.add(Integer.parseInt(id));
    }
    // A matchmade game's players see it from its creation, before their games connect.
    for (String list : new String[] {"players", "expected"}) {
      for (Object o : game.getJsonArray(list, new JsonArray())) {
        int id = ((JsonObject) o).getInteger("id");
        if (!participants.contains(id)) {
          participants.add(id);
        }
      }
    }
    return new JsonObject()
      .put("host", game.getInteger("host"))
      .put("participants", participants)
      .put("foes", game.getJsonArray("hostFoes", new JsonArray()).copy())
      .put("friendsOnly", "friends".equals(game.getString("visibility")))
      .put("friends", game.getJsonArray("hostFriends", new JsonArray()).copy())
      .put("enforceRange", game.getBoolean("enforceRatingRange", false))
      .put("ratingType", game.getString("ratingType"))
      .put("ratingMin", game.getValue("ratingMin"))
      .put("ratingMax", game.getValue("ratingMax"));
  }
}
