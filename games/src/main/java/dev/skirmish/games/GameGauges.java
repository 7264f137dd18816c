package dev.skirmish.games;

import dev.skirmish.common.ServiceMetrics;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code skirmish.games{state}} gauge: the FAF games whose documents this node holds, by state
 * ({@code INITIALIZING}, {@code LOBBY}, {@code LIVE}, and {@code ENDED} while the end records are written).
 */
final class GameGauges {

  private final Map<String, AtomicLong> byState = new LinkedHashMap<>();

  GameGauges(ServiceMetrics metrics) {
    for (String state : List.of(GameRules.INITIALIZING, GameRules.LOBBY, GameRules.LIVE, GameRules.ENDED)) {
      byState.put(state, metrics.gauge("skirmish.games", "FAF games held by this node, by state", "state", state));
    }
  }

  /** Counts {@code games} (the documents this node holds) again. */
  void update(List<JsonObject> games) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (JsonObject game : games) {
      counts.merge(game.getString("state", ""), 1L, Long::sum);
    }
    byState.forEach((state, gauge) -> gauge.set(counts.getOrDefault(state, 0L)));
  }
}
