package dev.skirmish.games;

import dev.skirmish.common.DocumentStore.Change;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

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

  /** {@code GameResult [army, "<meta...> outcome score"]} from any player of the game. */
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
    JsonObject game = current.copy();
    JsonArray results = game.getJsonArray("results", new JsonArray());
    results.add(new JsonObject().put("reporter", player).put("army", army).put("outcome", outcome).put("score", score));
    game.put("results", results);
    return stored(game, fx);
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
