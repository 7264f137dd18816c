package dev.skirmish.games;

import dev.skirmish.common.DocumentStore.Change;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.Set;

import static dev.skirmish.games.GameRules.Effects;
import static dev.skirmish.games.GameRules.intOf;
import static dev.skirmish.games.GameRules.stored;
import static dev.skirmish.games.GameRules.unchanged;

/**
 * What any player's game reports about the game: {@code GameResult}, and the {@code Desync} and
 * {@code EnforceRating} flags, as pure functions over the game document.
 */
final class ReportRules {

  private ReportRules() {
  }

  /**
   * {@code GameResult [army, "<meta...> outcome score"]} from any player of the game. A player's game has one
   * report per army: a later report about the same army replaces the earlier one, so a game that repeats a
   * report votes once. Reports about an army no player or AI of the game has are ignored.
   */
  static Change<Effects> gameResult(JsonObject current, int player, JsonArray args) {
    Effects fx = new Effects();
    if (current.isEmpty() || args == null || args.size() < 2) {
      return unchanged(fx);
    }
    int army = intOf(args.getValue(0), Integer.MIN_VALUE);
    String[] words = String.valueOf(args.getValue(1)).trim().toLowerCase().split("\\s+");
    if (army == Integer.MIN_VALUE || words.length < 2) {
      return unchanged(fx);
    }
    String outcome = words[words.length - 2];
    int score;
    try {
      score = Integer.parseInt(words[words.length - 1]);
    } catch (NumberFormatException e) {
      return unchanged(fx);
    }
    if (!Set.of("victory", "defeat", "draw", "mutual_draw").contains(outcome)) {
      return unchanged(fx);
    }
    if (!armies(current).contains(army)) {
      return unchanged(fx);
    }
    JsonObject report = new JsonObject().put("reporter", player).put("army", army).put("outcome", outcome).put("score", score);
    JsonArray results = new JsonArray();
    for (Object o : current.getJsonArray("results", new JsonArray())) {
      if (!(o instanceof JsonObject r && r.getInteger("reporter", -1) == player && r.getInteger("army", -1) == army)) {
        results.add(o);
      }
    }
    if (current.getJsonArray("results", new JsonArray()).contains(report)) {
      return unchanged(fx);
    }
    results.add(report);
    return stored(current.copy().put("results", results), fx);
  }

  /** The armies of the game: of the players frozen at launch, and of the players' and AIs' slot options. */
  static Set<Integer> armies(JsonObject game) {
    Set<Integer> armies = new HashSet<>();
    for (Object o : game.getJsonArray("players", new JsonArray())) {
      if (o instanceof JsonObject p) {
        armies.add(intOf(p.getValue("army"), -1));
      }
    }
    for (String options : new String[] {"playerOptions", "aiOptions"}) {
      JsonObject byId = game.getJsonObject(options, new JsonObject());
      for (String id : byId.fieldNames()) {
        if (byId.getValue(id) instanceof JsonObject o) {
          armies.add(intOf(o.getValue("Army"), -1));
        }
      }
    }
    armies.remove(-1);
    return armies;
  }

  /** Counters and flags: Desync, EnforceRating. */
  static Change<Effects> flag(JsonObject current, String command) {
    Effects fx = new Effects();
    if (current.isEmpty()) {
      return unchanged(fx);
    }
    JsonObject game = current.copy();
    if ("Desync".equals(command)) {
      game.put("desyncs", game.getInteger("desyncs", 0) + 1);
    } else if ("EnforceRating".equals(command)) {
      if (game.getBoolean("enforceRating", false)) {
        return unchanged(fx);
      }
      game.put("enforceRating", true);
    } else {
      return unchanged(fx);
    }
    // Not visible in game_info: stored without marking the game as changed for viewers.
    Change<Effects> c = stored(game, fx);
    fx.changed = false;
    return c;
  }
}
