package dev.skirmish.common.rating;

import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrueSkillTest {

  private static final Offset<Double> REF = Offset.offset(1e-3);
  private static final int[] FIRST_WINS = {0, 1};
  private static final int[] SECOND_WINS = {1, 0};
  private static final int[] DRAW = {0, 0};

  private final TrueSkill standard = TrueSkill.standard();
  private final Rating fresh = standard.defaultRating();

  private static void assertRating(Rating actual, double mean, double deviation) {
    assertThat(actual.mean()).as("mean").isCloseTo(mean, REF);
    assertThat(actual.deviation()).as("deviation").isCloseTo(deviation, REF);
  }

  // Reference values below are the published examples of the reference Python implementation
  // (trueskill.org), which uses the same standard environment.

  @Test
  void oneVersusOneWinFromDefaults() {
    var result = standard.rate(List.of(List.of(fresh), List.of(fresh)), FIRST_WINS);
    assertRating(result.get(0).get(0), 29.396, 7.171);
    assertRating(result.get(1).get(0), 20.604, 7.171);
  }

  @Test
  void oneVersusOneDrawFromDefaults() {
    var result = standard.rate(List.of(List.of(fresh), List.of(fresh)), DRAW);
    assertRating(result.get(0).get(0), 25.000, 6.458);
    assertRating(result.get(1).get(0), 25.000, 6.458);
  }

  @Test
  void oneVersusOneQualityFromDefaults() {
    assertThat(standard.quality(List.of(List.of(fresh), List.of(fresh)))).isCloseTo(0.447, REF);
  }

  @Test
  void twoVersusTwoWinFromDefaults() {
    var result = standard.rate(List.of(List.of(fresh, fresh), List.of(fresh, fresh)), FIRST_WINS);
    for (Rating winner : result.get(0)) {
      assertRating(winner, 28.108, 7.774);
    }
    for (Rating loser : result.get(1)) {
      assertRating(loser, 21.892, 7.774);
    }
  }

  @Test
  void oneVersusTwoWinAndQualityFromDefaults() {
    var teams = List.of(List.of(fresh), List.of(fresh, fresh));
    var result = standard.rate(teams, FIRST_WINS);
    assertRating(result.get(0).get(0), 33.730, 7.317);
    assertRating(result.get(1).get(0), 16.270, 7.317);
    assertRating(result.get(1).get(1), 16.270, 7.317);
    assertThat(standard.quality(teams)).isCloseTo(0.135, REF);
  }

  @Test
  void resultKeepsTheShapeAndOrderOfTheInput() {
    Rating strong = new Rating(30, 2);
    Rating weak = new Rating(20, 6);
    var result = standard.rate(List.of(List.of(strong, weak, fresh), List.of(fresh)), SECOND_WINS);
    assertThat(result).hasSize(2);
    assertThat(result.get(0)).hasSize(3);
    assertThat(result.get(1)).hasSize(1);
    // Each player moves from their own starting point, the most uncertain one the most.
    double strongDrop = strong.mean() - result.get(0).get(0).mean();
    double weakDrop = weak.mean() - result.get(0).get(1).mean();
    double freshDrop = fresh.mean() - result.get(0).get(2).mean();
    assertThat(strongDrop).isPositive().isLessThan(weakDrop);
    assertThat(weakDrop).isLessThan(freshDrop);
  }

  @Test
  void winnerRisesLoserFallsAndDeviationsShrink() {
    Rating established = new Rating(30, 2);
    for (int[] ranks : new int[][] {FIRST_WINS, SECOND_WINS}) {
      var result = standard.rate(List.of(List.of(established), List.of(fresh)), ranks);
      int winner = ranks[0] < ranks[1] ? 0 : 1;
      Rating before0 = established;
      Rating before1 = fresh;
      Rating winnerBefore = winner == 0 ? before0 : before1;
      Rating loserBefore = winner == 0 ? before1 : before0;
      assertThat(result.get(winner).get(0).mean()).isGreaterThan(winnerBefore.mean());
      assertThat(result.get(1 - winner).get(0).mean()).isLessThan(loserBefore.mean());
      assertThat(result.get(0).get(0).deviation()).isLessThan(before0.deviation());
      assertThat(result.get(1).get(0).deviation()).isLessThan(before1.deviation());
    }
  }

  @Test
  void upsetMovesMoreThanExpectedResult() {
    Rating established = new Rating(30, 2);
    var expected = standard.rate(List.of(List.of(established), List.of(fresh)), FIRST_WINS);
    var upset = standard.rate(List.of(List.of(established), List.of(fresh)), SECOND_WINS);
    double expectedGain = expected.get(1).get(0).mean() - fresh.mean();
    double upsetGain = upset.get(1).get(0).mean() - fresh.mean();
    assertThat(upsetGain).isGreaterThan(-expectedGain).isPositive();
  }

  @Test
  void swappingTeamsSwapsResults() {
    List<Rating> a = List.of(new Rating(27, 3), new Rating(22, 7));
    List<Rating> b = List.of(new Rating(31, 5), new Rating(18, 4), new Rating(25, 8));
    for (int[] ranks : new int[][] {FIRST_WINS, SECOND_WINS, DRAW}) {
      var forward = standard.rate(List.of(a, b), ranks);
      var swapped = standard.rate(List.of(b, a), new int[] {ranks[1], ranks[0]});
      assertSameRatings(forward.get(0), swapped.get(1));
      assertSameRatings(forward.get(1), swapped.get(0));
    }
    assertThat(standard.quality(List.of(a, b))).isCloseTo(standard.quality(List.of(b, a)),
        Offset.offset(1e-12));
  }

  private static void assertSameRatings(List<Rating> actual, List<Rating> expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < actual.size(); i++) {
      assertThat(actual.get(i).mean()).isCloseTo(expected.get(i).mean(), Offset.offset(1e-9));
      assertThat(actual.get(i).deviation())
          .isCloseTo(expected.get(i).deviation(), Offset.offset(1e-9));
    }
  }

  @Test
  void drawBetweenEqualsKeepsMeansAndShrinksDeviations() {
    Rating r = new Rating(28, 4);
    var result = standard.rate(List.of(List.of(r, r), List.of(r, r)), DRAW);
    for (List<Rating> team : result) {
      for (Rating after : team) {
        assertThat(after.mean()).isCloseTo(28, Offset.offset(1e-9));
        assertThat(after.deviation()).isLessThan(4);
      }
    }
  }

  @Test
  void drawPullsTheStrongerTeamDownAndTheWeakerUp() {
    var result = standard.rate(List.of(List.of(new Rating(30, 4)), List.of(new Rating(20, 4))),
        new int[] {1, 1});
    assertThat(result.get(0).get(0).mean()).isLessThan(30);
    assertThat(result.get(1).get(0).mean()).isGreaterThan(20);
  }

  @Test
  void qualityIsInUnitIntervalAndHighestForEqualTeams() {
    Rating r = new Rating(25, 3);
    double equal = standard.quality(List.of(List.of(r), List.of(r)));
    double uneven = standard.quality(List.of(List.of(r), List.of(new Rating(30, 3))));
    double lopsided = standard.quality(List.of(List.of(r), List.of(new Rating(60, 3))));
    assertThat(equal).isGreaterThan(0).isLessThanOrEqualTo(1);
    assertThat(uneven).isGreaterThan(0).isLessThan(equal);
    assertThat(lopsided).isGreaterThan(0).isLessThan(uneven);
    // Less uncertainty about equal players means a surer even game.
    double certain = standard.quality(List.of(List.of(new Rating(25, 0.5)),
        List.of(new Rating(25, 0.5))));
    assertThat(certain).isGreaterThan(equal).isLessThanOrEqualTo(1);
  }

  @Test
  void fafEnvironmentOneVersusOneFromDefaults() {
    TrueSkill faf = TrueSkill.faf();
    Rating start = faf.defaultRating();
    assertThat(start).isEqualTo(new Rating(1500, 500));
    var result = faf.rate(List.of(List.of(start), List.of(start)), FIRST_WINS);
    Rating winner = result.get(0).get(0);
    Rating loser = result.get(1).get(0);
    assertThat(winner.mean()).isGreaterThan(1500);
    assertThat(loser.mean()).isLessThan(1500);
    assertThat(winner.mean() - 1500).isCloseTo(1500 - loser.mean(), Offset.offset(1e-9));
    assertThat(winner.deviation()).isCloseTo(loser.deviation(), Offset.offset(1e-9)).isLessThan(500);
  }

  @Test
  void fafDefaultsAreFafParameters() {
    assertThat(TrueSkill.faf()).isEqualTo(new TrueSkill(1500, 500, 240, 10, 0.10));
    TrueSkill standardEnv = TrueSkill.standard();
    assertThat(standardEnv.mu()).isEqualTo(25);
    assertThat(standardEnv.sigma()).isCloseTo(25.0 / 3, Offset.offset(1e-12));
    assertThat(standardEnv.beta()).isCloseTo(25.0 / 6, Offset.offset(1e-12));
    assertThat(standardEnv.tau()).isCloseTo(25.0 / 300, Offset.offset(1e-12));
    assertThat(standardEnv.drawProbability()).isEqualTo(0.10);
  }

  @Test
  void zeroDrawProbabilityStillRates() {
    TrueSkill noDraws = new TrueSkill(25, 25.0 / 3, 25.0 / 6, 25.0 / 300, 0);
    var result = noDraws.rate(List.of(List.of(fresh), List.of(fresh)), FIRST_WINS);
    assertThat(result.get(0).get(0).mean()).isGreaterThan(25);
    assertThat(result.get(1).get(0).mean()).isCloseTo(50 - result.get(0).get(0).mean(),
        Offset.offset(1e-9));
  }

  @Test
  void extremeUpsetStaysFinite() {
    Rating giant = new Rating(1000, 1);
    Rating minnow = new Rating(0, 1);
    for (int[] ranks : new int[][] {FIRST_WINS, SECOND_WINS, DRAW}) {
      var result = standard.rate(List.of(List.of(giant), List.of(minnow)), ranks);
      for (List<Rating> team : result) {
        for (Rating r : team) {
          assertThat(Double.isFinite(r.mean())).isTrue();
          assertThat(r.deviation()).isPositive().isLessThanOrEqualTo(1.01);
        }
      }
    }
    var upset = standard.rate(List.of(List.of(giant), List.of(minnow)), SECOND_WINS);
    assertThat(upset.get(0).get(0).mean()).isLessThan(1000);
    assertThat(upset.get(1).get(0).mean()).isGreaterThan(0);
  }

  @Test
  void rejectsAnythingButTwoNonEmptyTeams() {
    List<Rating> one = List.of(fresh);
    assertThatThrownBy(() -> standard.rate(List.of(one), new int[] {0}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> standard.rate(List.of(one, one, one), new int[] {0, 1, 2}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> standard.rate(List.of(one, List.of()), FIRST_WINS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> standard.rate(List.of(one, one), new int[] {0}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> standard.quality(List.of(one)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TrueSkill(25, 8, 4, 0.1, 1.0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
