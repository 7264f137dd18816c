package dev.skirmish.matchmaker.algorithm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SearchMatchingTest {

  @Test
  void establishedPlayerKeepsMean() {
    PlayerRating p = new PlayerRating(1, 1800, 100, 11);
    assertThat(p.isNewbie()).isFalse();
    assertThat(p.adjustedMean()).isEqualTo(1800);
    assertThat(p.displayed()).isEqualTo(1500);
  }

  @Test
  void newbieMeanIsBlendedTowards500() {
    assertThat(new PlayerRating(1, 1500, 500, 0).adjustedMean()).isEqualTo(500);
    assertThat(new PlayerRating(1, 1500, 500, 5).adjustedMean()).isEqualTo(1000);
    assertThat(new PlayerRating(1, 1500, 500, 8).adjustedMean()).isCloseTo(1300, within(1e-9));
    // Ten games is still a newbie by the reference's "≤ 10", but the blend is then the mean itself.
    PlayerRating ten = new PlayerRating(1, 1500, 500, 10);
    assertThat(ten.isNewbie()).isTrue();
    assertThat(ten.adjustedMean()).isEqualTo(1500);
  }

  @Test
  void displayedUsesAdjustedMean() {
    PlayerRating fresh = new PlayerRating(1, 1500, 500, 0);
    assertThat(fresh.displayed()).isEqualTo(500 - 1500);
    assertThat(fresh.rawDisplayed()).isEqualTo(0);
  }

  @Test
  void partyAggregates() {
    Search s = new Search(List.of(
        new PlayerRating(3, 1600, 100, 50),
        new PlayerRating(1, 1500, 500, 5)), 2, 30);
    // 1600−300 = 1300; newbie (1000 adjusted) − 1500 = −500
    assertThat(s.displayedRatings()).containsExactly(1300.0, -500.0);
    assertThat(s.cumulativeRating()).isEqualTo(800);
    assertThat(s.averageRating()).isEqualTo(400);
    assertThat(s.maxDisplayedRating()).isEqualTo(1300);
    assertThat(s.newbieCount()).isEqualTo(1);
    assertThat(s.playerIds()).containsExactly(3, 1);
    assertThat(s.adjustedRatings().get(1)).containsExactly(1000, 500);
    assertThat(s.tieBreaker()).isEqualTo(1);
    Search later = s.afterFailedPop(45);
    assertThat(later.failedAttempts()).isEqualTo(3);
    assertThat(later.secondsQueued()).isEqualTo(75);
  }

  @Test
  void uncertainPlayersSortAsZero() {
    Search s = new Search(List.of(
        new PlayerRating(1, 1600, 100, 50),
        new PlayerRating(2, 1400, 250, 50)), 0, 0);
    assertThat(s.averageMeanForSorting(250)).isEqualTo(800);
  }

  @Test
  void rejectsInvalidSearches() {
    assertThatThrownBy(() -> new Search(List.of(), 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PlayerRating(1, Double.NaN, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void testQualityHelperMatchesKnownValues() {
    MatchQuality q = new TrueSkillQuality();
    // Two default players: sqrt(2β² / (2β² + 2·500²)).
    double expected = Math.sqrt(2 * 240.0 * 240 / (2 * 240.0 * 240 + 2 * 500.0 * 500));
    assertThat(q.quality(List.of(List.of(new double[] {1500, 500}), List.of(new double[] {1500, 500}))))
        .isCloseTo(expected, within(1e-12));
    assertThat(q.quality(List.of(List.of(new double[] {1000, 50}), List.of(new double[] {2000, 50}))))
        .isLessThan(0.02);
  }
}
