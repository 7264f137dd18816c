package dev.skirmish.games;

import dev.skirmish.common.rating.Rating;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure rating rules; the database side is covered by GameRecordsTest. */
class RatingsTest {

  @Test
  void fafEnvironment() {
    assertThat(Ratings.TRUESKILL.mu()).isEqualTo(1500);
    assertThat(Ratings.TRUESKILL.sigma()).isEqualTo(500);
    assertThat(Ratings.TRUESKILL.beta()).isEqualTo(240);
    assertThat(Ratings.TRUESKILL.tau()).isEqualTo(10);
    assertThat(Ratings.TRUESKILL.drawProbability()).isEqualTo(0.10);
  }

  @Test
  void initializerRule() {
    assertThat(Ratings.initial(null)).isEqualTo(new Rating(1500, 500));
    assertThat(Ratings.initial(new Rating(1800, 80))).isEqualTo(new Rating(1800, 230));
    assertThat(Ratings.initial(new Rating(1600, 200))).isEqualTo(new Rating(1600, 250));
    assertThat(Ratings.initial(new Rating(1600, 250))).isEqualTo(new Rating(1600, 250));
    assertThat(Ratings.initial(new Rating(1400, 300))).isEqualTo(new Rating(1400, 300));
  }

  @Test
  void globalAdjustmentIsKeptOnlyWhenItRisesAndStaysAtMost1400() {
    List<List<Rating>> strong = List.of(List.of(new Rating(2200, 60)), List.of(new Rating(1500, 60)));
    // Same global as leaderboard rating, above the cap: not adjusted.
    assertThat(Ratings.globalAdjustment(strong, List.of(0, 1), 0, 0, new Rating(2200, 60))).isNull();
    // A loser is never adjusted.
    assertThat(Ratings.globalAdjustment(strong, List.of(0, 1), 1, 0, new Rating(900, 100))).isNull();
    // A global rating above the leaderboard's one is left alone.
    assertThat(Ratings.globalAdjustment(strong, List.of(1, 0), 1, 0, new Rating(1600, 30))).isNull();
    Rating adjusted = Ratings.globalAdjustment(strong, List.of(1, 0), 1, 0, new Rating(1000, 100));
    assertThat(adjusted).isNotNull();
    assertThat(adjusted.displayed()).isGreaterThan(700).isLessThanOrEqualTo(Ratings.ADJUSTMENT_MAX_RATING);
  }

  @Test
  void globalAdjustmentAboveTheCapIsDropped() {
    // A 1v1 win against a much stronger opponent from a global rating just under the cap.
    List<List<Rating>> game = List.of(List.of(new Rating(1700, 90)), List.of(new Rating(2400, 60)));
    Rating global = new Rating(1660, 90);
    Rating rerated = Ratings.TRUESKILL.rate(List.of(List.of(global), List.of(new Rating(2400, 60))), new int[] {0, 1})
      .get(0).get(0);
    assertThat(global.displayed()).isLessThanOrEqualTo(1400);
    assertThat(rerated.displayed()).isGreaterThan(1400);
    assertThat(Ratings.globalAdjustment(game, List.of(0, 1), 0, 0, global)).isNull();
  }
}
