package dev.skirmish.matchmaker.algorithm;

import static dev.skirmish.matchmaker.algorithm.Fixtures.player;
import static dev.skirmish.matchmaker.algorithm.Fixtures.solo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class TeamMatcherTest {

  private final TeamMatcher twos = new TeamMatcher(2);

  private static Search party(int failed, PlayerRating... players) {
    return new Search(List.of(players), failed, 0);
  }

  private static double minority(double avg, double peak, double share) {
    return Math.pow((avg - peak) / 1250, 4) * share;
  }

  @Test
  void qualityOfABalancedGame() {
    // dev 0 makes displayed = mean
    Search a = solo(1, 1000, 0);
    Search b = solo(2, 1100, 0);
    Search c = solo(3, 1200, 0);
    Search d = solo(4, 1300, 0);
    double stdev = Math.sqrt((150 * 150 + 50 * 50 + 50 * 50 + 150 * 150) / 4.0);
    double expected = 1 - stdev / 250
        + minority(1000, 1000, 0.5) + minority(1100, 1000, 0.5)
        + minority(1200, 1000, 0.5) + minority(1300, 1000, 0.5);
    assertThat(twos.quality(List.of(a, d), List.of(b, c), 1000)).isCloseTo(expected, within(1e-12));
  }

  @Test
  void imbalanceAndSpreadFormACone() {
    Search a = solo(1, 1000, 0);
    Search b = solo(2, 1000, 0);
    Search c = solo(3, 1150, 0);
    Search d = solo(4, 1050, 0);
    double u = 200.0 / 250;
    double stdev = TeamMatcher.populationStdDev(new double[] {1000, 1000, 1150, 1050});
    double v = stdev / 250;
    double expected = 1 - Math.sqrt(u * u + v * v)
        + minority(1150, 1000, 0.5) + minority(1050, 1000, 0.5);
    assertThat(twos.quality(List.of(a, b), List.of(c, d), 1000)).isCloseTo(expected, within(1e-12));
  }

  @Test
  void timeBonusPerFailedPopScaledByPartyShareAndCapped() {
    List<Search> teamA = List.of(party(5, player(1, 1000, 0), player(2, 1000, 0)));
    List<Search> teamB = List.of(solo(3, 1000, 0, 5), solo(4, 1000, 0, 0));
    // party: min(0.01·5·1, 0.2·1) = 0.05; solo: min(0.01·5·0.5, 0.1) = 0.025
    assertThat(twos.quality(teamA, teamB, 1000)).isCloseTo(1.075, within(1e-12));
    List<Search> longA = List.of(party(100, player(1, 1000, 0), player(2, 1000, 0)));
    List<Search> longB = List.of(solo(3, 1000, 0, 100), solo(4, 1000, 0, 100));
    assertThat(twos.quality(longA, longB, 1000)).isCloseTo(1.4, within(1e-12));
  }

  @Test
  void newbieBonusOnlyWithoutHighRatedPlayers() {
    Search newbie = new Search(List.of(new PlayerRating(1, 1000, 0, 10)), 2, 0);
    List<Search> teamB = List.of(solo(3, 1000, 0), solo(4, 1000, 0));
    Search mate = solo(2, 1000, 0);
    // time 0.01·2·0.5 = 0.01; newbie min(0.25·2·1/2, 3·1/2) = 0.25
    assertThat(twos.quality(List.of(newbie, mate), teamB, 1000)).isCloseTo(1.26, within(1e-12));
    Search longNewbie = new Search(newbie.players(), 100, 0);
    // newbie capped at 1.5, time at 0.1
    assertThat(twos.quality(List.of(longNewbie, mate), teamB, 1000)).isCloseTo(2.6, within(1e-12));
    // Swap in a 1400 player (in the same team sum): no newbie bonus any more.
    Search high = solo(5, 1400, 0);
    Search low = solo(6, 600, 0);
    double v = TeamMatcher.populationStdDev(new double[] {1000, 1000, 1400, 600}) / 250;
    double expected = 1 - v + 0.01 + minority(1400, 1000, 0.5) + minority(600, 1000, 0.5);
    assertThat(twos.quality(List.of(newbie, mate), List.of(high, low), 1000))
        .isCloseTo(expected, within(1e-12));
  }

  @Test
  void minorityBonusIsCapped() {
    Search a = solo(1, 3000, 0);
    Search b = solo(2, 3000, 0);
    Search c = solo(3, 3000, 0);
    Search d = solo(4, 3000, 0);
    // each ((3000−1000)/1250)^4 · 0.5 ≈ 3.3, capped at 1 in total
    assertThat(twos.quality(List.of(a, b), List.of(c, d), 1000)).isCloseTo(2.0, within(1e-12));
  }

  @Test
  void fullPartyMakesATeam() {
    Search p = party(0, player(1, 1500, 0), player(2, 1500, 0));
    Search s1 = solo(3, 1400, 0);
    Search s2 = solo(4, 1600, 0);
    Match m = twos.makeTeams(List.of(s1, p, s2));
    assertThat(m.teamA()).containsExactly(p);
    assertThat(m.teamB()).containsExactly(s1, s2);
  }

  @Test
  void almostFullPartyTakesTheBestBalancingSingle() {
    TeamMatcher threes = new TeamMatcher(3);
    Search p = party(0, player(1, 1000, 0), player(2, 1000, 0));
    Search s900 = solo(3, 900, 0);
    Search s1100 = solo(4, 1100, 0);
    Search s1500 = solo(5, 1500, 0);
    Search s1650 = solo(6, 1650, 0);
    Match m = threes.makeTeams(List.of(s900, p, s1100, s1500, s1650));
    // p + 1500 = 3500 vs 3650; p + 1650 = 3650 vs 3500 is no better, so the first wins
    assertThat(m.teamA()).containsExactly(p, s1500);
    assertThat(m.teamB()).containsExactlyInAnyOrder(s900, s1100, s1650);
  }

  @Test
  void karmarkarKarpSplitsPartiesIntoEqualTeams() {
    TeamMatcher fours = new TeamMatcher(4);
    Search p1 = party(0, player(1, 1000, 0), player(2, 1000, 0));
    Search p2 = party(0, player(3, 1100, 0), player(4, 1100, 0));
    Search p3 = party(0, player(5, 1200, 0), player(6, 1200, 0));
    Search p4 = party(0, player(7, 1300, 0), player(8, 1300, 0));
    Match m = fours.makeTeams(List.of(p1, p2, p3, p4));
    assertThat(m.teamA().stream().mapToInt(Search::size).sum()).isEqualTo(4);
    assertThat(m.teamB().stream().mapToInt(Search::size).sum()).isEqualTo(4);
    assertThat(m.cumulativeRatingA()).isEqualTo(m.cumulativeRatingB());
  }

  @Test
  void impossibleSplitGivesNoGame() {
    TeamMatcher threes = new TeamMatcher(3);
    Search p1 = party(0, player(1, 1000, 0), player(2, 1000, 0));
    Search p2 = party(0, player(3, 1000, 0), player(4, 1000, 0));
    Search p3 = party(0, player(5, 1000, 0), player(6, 1000, 0));
    assertThat(threes.makeTeams(List.of(p1, p2, p3))).isNull();
    assertThat(threes.find(List.of(p1, p2, p3)).matches()).isEmpty();
  }

  @Test
  void neighboursAlternateAndSkipOverflowingParties() {
    Search s1000 = solo(1, 1000, 0);
    Search p1050 = party(0, player(2, 1050, 0), player(3, 1050, 0));
    Search p1100 = party(0, player(4, 1100, 0), player(5, 1100, 0));
    Search s1200 = solo(6, 1200, 0);
    List<Search> sorted = List.of(s1000, p1050, p1100, s1200);
    assertThat(twos.pickNeighbours(sorted, 0)).containsExactly(s1000, p1050, s1200);
    // from p1100: below p1050 fills the game at once
    assertThat(twos.pickNeighbours(sorted, 2)).containsExactly(p1100, p1050);
    assertThat(twos.pickNeighbours(List.of(s1000, s1200), 0)).isNull();
  }

  @Test
  void matchesFourCloseSingles() {
    List<Search> q = List.of(solo(1, 1500, 60), solo(2, 1520, 60), solo(3, 1480, 60), solo(4, 1510, 60));
    MatchResult r = twos.find(q);
    assertThat(r.matches()).hasSize(1);
    assertThat(r.unmatched()).isEmpty();
    assertThat(r.matches().get(0).playerIds()).containsExactlyInAnyOrder(1, 2, 3, 4);
  }

  @Test
  void dropsGamesBelowMinimumQuality() {
    List<Search> q = List.of(solo(1, 500, 0), solo(2, 500, 0), solo(3, 2000, 0), solo(4, 2000, 0));
    assertThat(twos.find(q).matches()).isEmpty();
    assertThat(twos.find(q).unmatched()).hasSize(4);
    TeamMatcher lenient = new TeamMatcher(2, TeamMatcher.Config.DEFAULT.withMinimumQuality(-100)
        .withMaxImbalancePerPlayer(Double.POSITIVE_INFINITY));
    assertThat(lenient.find(q).matches()).hasSize(1);
  }

  @Test
  void perPlayerBalanceBound() {
    Search p = party(0, player(1, 1500, 0), player(2, 1500, 0));
    List<Search> q = List.of(p, solo(3, 1400, 0), solo(4, 1400, 0));
    TeamMatcher.Config lenient = TeamMatcher.Config.DEFAULT.withMinimumQuality(-100);
    // |3000 − 2800| / 2 = 100 per player
    assertThat(new TeamMatcher(2, lenient.withMaxImbalancePerPlayer(150)).find(q).matches()).hasSize(1);
    assertThat(new TeamMatcher(2, lenient.withMaxImbalancePerPlayer(100)).find(q).matches()).hasSize(1);
    assertThat(new TeamMatcher(2, lenient.withMaxImbalancePerPlayer(99)).find(q).matches()).isEmpty();
  }

  @Test
  void oversizedPartiesAreLeftWaiting() {
    Search big = party(0, player(1, 1500, 0), player(2, 1500, 0), player(3, 1500, 0));
    MatchResult r = twos.find(List.of(big, solo(4, 1500, 0)));
    assertThat(r.matches()).isEmpty();
    assertThat(r.unmatched()).hasSize(2).contains(big);
  }

  @Test
  void greedyTakesTheBestGameFirst() {
    // Five close singles and one outlier: the game without the outlier wins.
    List<Search> q = List.of(solo(1, 1500, 0), solo(2, 1500, 0), solo(3, 1500, 0), solo(4, 1500, 0),
        solo(5, 1700, 0));
    MatchResult r = new TeamMatcher(2, TeamMatcher.Config.DEFAULT.withMinimumQuality(-100)).find(q);
    assertThat(r.matches()).singleElement()
        .satisfies(m -> assertThat(m.playerIds()).containsExactlyInAnyOrder(1, 2, 3, 4));
    assertThat(r.unmatched()).singleElement().satisfies(s -> assertThat(s.playerIds()).containsExactly(5));
  }
}
