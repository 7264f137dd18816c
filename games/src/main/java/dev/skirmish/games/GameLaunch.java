package dev.skirmish.games;

import dev.skirmish.common.Faf;
import dev.skirmish.common.Players;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

/** The {@code game_launch} message that starts a player's game. */
final class GameLaunch {

  private GameLaunch() {
  }

  /**
   * {@code game_launch} for {@code player} starting {@code game}; {@code /numgames} from their games on its
   * leaderboard. A matchmade game adds the player's slot, the map and the game options.
   */
  static Future<JsonObject> message(Pool pool, JsonObject game, int player) {
    String ratingType = game.getString("ratingType");
    return Players.info(pool, player).map(info -> {
      JsonObject rating = info == null ? null : info.getJsonObject("ratings", new JsonObject()).getJsonObject(ratingType);
      int numGames = rating == null ? 0 : rating.getInteger("number_of_games", 0);
      JsonObject launch = Faf.command("game_launch");
      if (GameRules.isMatch(game)) {
        for (Object o : game.getJsonArray("expected", new JsonArray())) {
          JsonObject slot = (JsonObject) o;
          if (slot.getInteger("id") == player) {
            launch.put("mapname", game.getString("mapname"))
              .put("expected_players", game.getJsonArray("expected").size())
              .put("team", slot.getInteger("team")).put("faction", slot.getInteger("faction"))
              .put("map_position", slot.getInteger("startSpot"))
              .put("game_options", game.getJsonObject("options").copy());
          }
        }
      }
      return launch
        .put("uid", game.getLong("id"))
        .put("mod", game.getString("featuredMod"))
        .put("name", game.getString("title"))
        .put("args", new JsonArray().add("/numgames").add(numGames))
        .put("init_mode", "matchmaker".equals(game.getString("gameType")) ? 1 : 0)
        .put("game_type", game.getString("gameType"))
        .put("rating_type", ratingType);
    });
  }
}
