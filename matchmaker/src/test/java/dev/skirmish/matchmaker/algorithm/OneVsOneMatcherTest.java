package dev.skirmish.matchmaker.algorithm;

import static dev.skirmish.matchmaker.algorithm.Fixtures.solo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class OneVsOneMatcherTest {

  private static final OneVsOneMatcher.Config REFERENCE =
      OneVsOneMatcher.Config.DEFAULT.withExpansionPerMinute(0);
  private final MatchQuality trueSkill = new TrueSkillQuality();
  private final OneVsOneMatcher matcher = new OneVsOneMatcher(trueSkill, REFERENCE);

  @Test
  void normalExpansionGrowsBy005UpTo025() {
    assertThat(matcher.expansion(solo(1, 1500, 100, 0))).isEqualTo(0);
    assertThat(matcher.expansion(solo(1, 1500, 100, 3))).isCloseTo(0.15, within(1e-12));
    assertThat(matcher.expansion(solo(1, 1500, 100, 5))).isCloseTo(0.25, within(1e-12));
    assertThat(matcher.expansion(solo(1, 1500, 100, 50))).isEqualTo(0.25);
  }

  @Test
  void newbieExpansionGrowsBy01UpTo06() {
    Search newbie = new Search(List.of(new PlayerRating(1, 1500, 500, 3)), 3, 0);
    assertThat(matcher.expansion(newbie)).isCloseTo(0.3, within(1e-12));
    assertThat(matcher.expansion(newbie.afterFailedPop(0).afterFailedPop(0).afterFailedPop(0)
        .afterFailedPop(0))).isCloseTo(0.6, within(1e-12));
    assertThat(matcher.expansion(new Search(newbie.players(), 40, 0))).isEqualTo(0.6);
  }

  @Test
  void topPlayerExpansionGrowsBy015UpTo03() {
    // displayed 2300 − 3·100 = 2000: exactly a top player
    assertThat(matcher.expansion(solo(1, 2300, 100, 1))).isCloseTo(0.15, within(1e-12));
    assertThat(matcher.expansion(solo(1, 2300, 100, 5))).isCloseTo(0.3, within(1e-12));
    // 1999.9 displayed is an ordinary player
    assertThat(matcher.expansion(solo(1, 2299.9, 100, 1))).isCloseTo(0.05, within(1e-12));
  }

  @Test
  void elapsedTimeAlsoWidens() {
    OneVsOneMatcher timed = new OneVsOneMatcher(trueSkill, REFERENCE.withExpansionPerMinute(0.02));
    Search waited = new Search(List.of(Fixtures.player(1, 1500, 100)), 1, 300);
    // 0.05 per pop + 0.02 · 5 minutes
    assertThat(timed.expansion(waited)).isCloseTo(0.15, within(1e-12));
    assertThat(timed.expansion(new Search(waited.players(), 0, 3600))).isEqualTo(0.25);
    assertThat(matcher.expansion(waited)).isCloseTo(0.05, within(1e-12));
  }

  @Test
  void thresholdIsEightyPercentOfSelfQualityMinusExpansion() {
    Search s = solo(1, 1500, 500, 2);
    double self = trueSkill.quality(List.of(s.adjustedRatings(), s.adjustedRatings()));
    assertThat(matcher.threshold(s)).isCloseTo(0.8 * self - 0.1, within(1e-12));
    Search hopeless = new Search(List.of(new PlayerRating(2, 1500, 500, 0)), 10, 0);
    // 0.8 · 0.43 − 0.6 < 0
    assertThat(matcher.threshold(hopeless)).isEqualTo(0);
  }

  @Test
  void neighbourCount() {
    assertThat(OneVsOneMatcher.neighbours(2)).isEqualTo(2);
    assertThat(OneVsOneMatcher.neighbours(31)).isEqualTo(2);
    assertThat(OneVsOneMatcher.neighbours(64)).isEqualTo(3);
    assertThat(OneVsOneMatcher.neighbours(1000)).isEqualTo(4);
    assertThat(OneVsOneMatcher.neighbours(1 << 20)).isEqualTo(10);
  }

  @Test
  void closePlayersMatchAndWideGapsWaitForExpansion() {
    assertThat(matcher.find(List.of(solo(1, 1500, 50), solo(2, 1700, 50))).matches()).hasSize(1);
    // q(1500, 1800) ≈ 0.67 < 0.8 · 0.98 ≈ 0.78 until three failed pops lower it to ≈ 0.63
    assertThat(matcher.find(List.of(solo(1, 1500, 50), solo(2, 1800, 50))).matches()).isEmpty();
    assertThat(matcher.find(List.of(solo(1, 1500, 50, 2), solo(2, 1800, 50, 2))).matches()).isEmpty();
    assertThat(matcher.find(List.of(solo(1, 1500, 50, 3), solo(2, 1800, 50, 3))).matches()).hasSize(1);
    // Both sides must accept.
    assertThat(matcher.find(List.of(solo(1, 1500, 50, 3), solo(2, 1800, 50, 0))).matches()).isEmpty();
  }

  @Test
  void pairsBestPartnersTogether() {
    Search a = solo(1, 1000, 60, 5);
    Search b = solo(2, 1020, 60, 5);
    Search c = solo(3, 1240, 60, 5);
    Search d = solo(4, 1250, 60, 5);
    MatchResult r = matcher.find(List.of(a, c, b, d));
    assertThat(r.unmatched()).isEmpty();
    assertThat(r.matches()).hasSize(2);
    assertThat(r.matches()).anySatisfy(m -> assertThat(m.searches()).containsExactlyInAnyOrder(a, b));
    assertThat(r.matches()).anySatisfy(m -> assertThat(m.searches()).containsExactlyInAnyOrder(c, d));
    for (Match m : r.matches()) {
      assertThat(m.quality()).isEqualTo(matcher.quality(m.teamA().get(0), m.teamB().get(0)));
    }
  }

  @Test
  void displacesAWorsePairing() {
    // b is proposed to first by a (its only option) but prefers c; a ends up alone.
    Search a = solo(1, 1000, 60, 5);
    Search b = solo(2, 1200, 60, 5);
    Search c = solo(3, 1210, 60, 5);
    MatchResult r = matcher.find(List.of(a, b, c));
    assertThat(r.matches()).singleElement()
        .satisfies(m -> assertThat(m.searches()).containsExactlyInAnyOrder(b, c));
    assertThat(r.unmatched()).containsExactly(a);
  }

  @Test
  void nothingToDoForFewSearches() {
    assertThat(matcher.find(List.of()).matches()).isEmpty();
    MatchResult one = matcher.find(List.of(solo(1, 1500, 50)));
    assertThat(one.matches()).isEmpty();
    assertThat(one.unmatched()).hasSize(1);
  }

  @Test
  void neverPairsSearchesSharingAPlayer() {
    Search a = solo(1, 1500, 50);
    Search alsoA = solo(1, 1500, 50);
    assertThat(matcher.acceptable(a, alsoA)).isFalse();
    assertThat(matcher.find(List.of(a, alsoA)).matches()).isEmpty();
  }
}
