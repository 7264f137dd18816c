package dev.skirmish.matchmaker.bench;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The matchmaker benchmark's smoke mode: small queues, one pop each; no timing thresholds. */
class MatchmakerBenchmarkTest {

  @Test
  @DisplayName("small 1v1 and 4v4 queues pop into matches of their players, each player matched at most once")
  void smokeRun() {
    List<MatchmakerBenchmark.Row> rows = MatchmakerBenchmark.rows(new int[] {200, 400}, 1, 42);
    assertThat(rows).extracting(MatchmakerBenchmark.Row::mode).containsExactly("1v1", "1v1", "4v4", "4v4");
    for (MatchmakerBenchmark.Row r : rows) {
      assertThat(r.games()).isPositive();
      assertThat(r.matchedPlayers()).isLessThanOrEqualTo(r.players());
      assertThat(r.matchedPlayers()).isEqualTo(r.games() * ("1v1".equals(r.mode()) ? 2 : 8));
      assertThat(r.medianMs()).isNotNegative();
    }
  }
}
