package dev.skirmish.games;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Builds game documents for tests, with the host's default options. */
final class GameDocsFixture {

  private GameDocsFixture() {
  }

  static JsonObject defaultOptions() {
    return new JsonObject()
      .put("Victory", "demoralization").put("FogOfWar", "explored").put("CheatsEnabled", "false")
      .put("PrebuiltUnits", "Off").put("NoRushOption", "Off").put("TeamLock", "locked")
      .put("AIReplacement", "Off").put("RestrictedCategories", 0).put("Unranked", "No");
  }

  static JsonObject coopOptions() {
    return defaultOptions().put("Victory", "sandbox").put("TeamSpawn", "fixed").put("RevealedCivilians", "No")
      .put("Difficulty", 3).put("Expansion", "true");
  }

  static JsonObject player(int id, int team, int army) {
    return new JsonObject().put("id", id).put("login", "p" + id).put("team", team).put("army", army)
      .put("faction", 1).put("color", army).put("startSpot", army);
  }

  /** A custom game document with these players ({id, team} pairs; army = position + 1). */
  static JsonObject game(long id, String gameType, int... idTeamPairs) {
    JsonArray players = new JsonArray();
    for (int i = 0; i < idTeamPairs.length; i += 2) {
      players.add(player(idTeamPairs[i], idTeamPairs[i + 1], i / 2 + 1));
    }
    int host = idTeamPairs.length > 0 ? idTeamPairs[0] : 0;
    return new JsonObject()
      .put("id", id).put("state", "LIVE").put("gameType", gameType).put("host", host).put("hostLogin", "p" + host)
      .put("title", "Test game").put("featuredMod", "coop".equals(gameType) ? "coop" : "faf")
      .put("mapname", "scmp_007").put("visibility", "public").putNull("password").put("ratingType", "global")
      .put("maxPlayers", 12)
      .put("options", "coop".equals(gameType) ? coopOptions() : defaultOptions())
      .put("simMods", new JsonObject()).put("playerOptions", new JsonObject()).put("aiOptions", new JsonObject())
      .put("connections", new JsonObject()).put("launchedAt", 1_700_000_000L)
      .put("players", players).put("results", new JsonArray()).put("finished", new JsonArray())
      .put("desyncs", 0).put("enforceRating", false).put("validity", 0).put("endedAt", 1_700_003_600L);
  }

  static JsonObject report(int reporter, int army, String outcome, int score) {
    return new JsonObject().put("reporter", reporter).put("army", army).put("outcome", outcome).put("score", score);
  }

  /** Adds reports to the game's results. */
  static JsonObject withReports(JsonObject game, JsonObject... reports) {
    JsonArray results = game.getJsonArray("results");
    for (JsonObject r : reports) {
      results.add(r);
    }
    return game;
  }
}
