package dev.skirmish.matchmaker;

import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which searches of a cancelled match (a ready check that expired, a matchmade game that failed to start)
 * go back into their queue: a search returns whole, and only when none of its players is to blame and
 * every one of them is still free for it. Pure.
 */
final class Requeues {

  private Requeues() {
  }

  /** The searches none of whose players is in {@code guilty} (a party with one guilty member stays out). */
  static List<JsonObject> innocent(List<JsonObject> searches, Set<Integer> guilty) {
    return searches.stream().filter(s -> Searches.playerIds(s).stream().noneMatch(guilty::contains)).toList();
  }

  /**
   * The searches to put back: innocent ones whose players are none of them {@code busy} (offline, searching
   * again, in a game or in another match).
   */
  static List<JsonObject> requeued(List<JsonObject> searches, Set<Integer> guilty, Set<Integer> busy) {
    return innocent(searches, guilty).stream().filter(s -> Searches.playerIds(s).stream().noneMatch(busy::contains))
      .toList();
  }

  /** Every player of the searches. */
  static Set<Integer> players(List<JsonObject> searches) {
    Set<Integer> out = new HashSet<>();
    searches.forEach(s -> out.addAll(Searches.playerIds(s)));
    return out;
  }

  /**
   * Whether a player's games-service state ({@code {"game": id, ...}}, empty when idle) holds them in a game:
   * any game but {@code failedGame}, the cancelled match whose state may not be cleared yet.
   */
  static boolean inAnotherGame(JsonObject playerGame, Long failedGame) {
    if (playerGame == null || playerGame.isEmpty()) {
      return false;
    }
    Long game = playerGame.getLong("game");
    return failedGame == null || !failedGame.equals(game);
  }
}
