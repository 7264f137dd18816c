package dev.skirmish.matchmaker.algorithm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Invariants of both matchers over many seeded random queues. */
class MatchmakerPropertiesTest {

  private static final int SEEDS = 200;
  private final MatchQuality trueSkill = new TrueSkillQuality();

  /** Matches and unmatched searches partition the input, and nobody plays twice. */
  private static void assertPartition(List<Search> input, MatchResult r) {
    Map<Search, Integer> seen = new IdentityHashMap<>();
    Set<Integer> players = new HashSet<>();
    for (Match m : r.matches()) {
      for (Search s : m.searches()) {
        assertThat(seen.put(s, 1)).as("search in two games: %s", s).isNull();
        for (int id : s.playerIds()) {
          assertThat(players.add(id)).as("player %d in two games", id).isTrue();
        }
      }
    }
    for (Search s : r.unmatched()) {
      assertThat(seen.put(s, 0)).as("matched search also unmatched: %s", s).isNull();
    }
    assertThat(seen).hasSize(input.size());
    for (Search s : input) {
      assertThat(seen).containsKey(s);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 4})
  void teamGamesAreWellFormed(int teamSize) {
    TeamMatcher matcher = new TeamMatcher(teamSize);
    TeamMatcher.Config config = TeamMatcher.Config.DEFAULT;
    int games = 0;
    for (long seed = 0; seed < SEEDS; seed++) {
      Random rnd = new Random(seed * 31 + teamSize);
      List<Search> queue = Fixtures.randomQueue(rnd, rnd.nextInt(40), teamSize, 12);
      double peak = 800 + rnd.nextInt(600);
      MatchResult r = matcher.find(queue, peak);
      assertPartition(queue, r);
      for (Match m : r.matches()) {
        games++;
        assertThat(m.teamA().stream().mapToInt(Search::size).sum()).isEqualTo(teamSize);
        assertThat(m.teamB().stream().mapToInt(Search::size).sum()).isEqualTo(teamSize);
        // a party's players all land in one team
        Map<Integer, Character> team = new HashMap<>();
        m.teamA().forEach(s -> s.playerIds().forEach(id -> team.put(id, 'A')));
        m.teamB().forEach(s -> s.playerIds().forEach(id -> team.put(id, 'B')));
        for (Search s : m.searches()) {
          assertThat(s.playerIds().stream().map(team::get).distinct()).hasSize(1);
        }
        assertThat(m.quality()).isGreaterThanOrEqualTo(config.minimumQuality());
        assertThat(m.quality()).isEqualTo(matcher.quality(m.teamA(), m.teamB(), peak));
        assertThat(Math.abs(m.cumulativeRatingA() - m.cumulativeRatingB()) / teamSize)
            .isLessThanOrEqualTo(config.maxImbalancePerPlayer());
      }
    }
    assertThat(games).as("the random queues should produce some games").isGreaterThan(SEEDS / 4);
  }

  @Test
  void configuredMinimumQualityIsRespected() {
    TeamMatcher strict = new TeamMatcher(2, TeamMatcher.Config.DEFAULT.withMinimumQuality(0.7));
    for (long seed = 0; seed < SEEDS; seed++) {
      Random rnd = new Random(seed);
      List<Search> queue = Fixtures.randomQueue(rnd, 30, 2, 20);
      MatchResult r = strict.find(queue);
      assertPartition(queue, r);
      assertThat(r.matches()).allSatisfy(m -> assertThat(m.quality()).isGreaterThanOrEqualTo(0.7));
    }
  }

  @Test
  void oneVsOneMatchesAreMutuallyAcceptableAndMaximal() {
    OneVsOneMatcher matcher = new OneVsOneMatcher(trueSkill);
    for (long seed = 0; seed < SEEDS; seed++) {
      Random rnd = new Random(seed);
      // sizes on both sides of the 30-search cut-over between full and neighbour graphs
      List<Search> queue = Fixtures.randomQueue(rnd, rnd.nextInt(60), 1, 8);
      MatchResult r = matcher.find(queue);
      assertPartition(queue, r);
      for (Match m : r.matches()) {
        Search a = m.teamA().get(0);
        Search b = m.teamB().get(0);
        assertThat(m.teamA()).hasSize(1);
        assertThat(m.teamB()).hasSize(1);
        assertThat(m.quality()).isGreaterThanOrEqualTo(matcher.threshold(a));
        assertThat(m.quality()).isGreaterThanOrEqualTo(matcher.threshold(b));
      }
      if (queue.size() < 30) {
        // every pair is considered in small queues, so no two leftovers could have played
        List<Search> left = r.unmatched();
        for (int i = 0; i < left.size(); i++) {
          for (int j = i + 1; j < left.size(); j++) {
            assertThat(matcher.acceptable(left.get(i), left.get(j))).isFalse();
          }
        }
      }
    }
  }

  @Test
  void failedPopsOnlyWidenAcceptablePairs() {
    OneVsOneMatcher matcher = new OneVsOneMatcher(trueSkill);
    for (long seed = 0; seed < 50; seed++) {
      Random rnd = new Random(seed);
      List<Search> fresh = Fixtures.withWait(Fixtures.randomQueue(rnd, 20, 1, 0), 0, 0);
      List<Search> waited = Fixtures.withWait(fresh, 4, 0);
      for (int i = 0; i < fresh.size(); i++) {
        for (int j = i + 1; j < fresh.size(); j++) {
          if (matcher.acceptable(fresh.get(i), fresh.get(j))) {
            assertThat(matcher.acceptable(waited.get(i), waited.get(j))).isTrue();
          }
        }
      }
    }
  }

  @Test
  void oneVsOneMakesMoreMatchesOverFailedPops() {
    OneVsOneMatcher matcher = new OneVsOneMatcher(trueSkill,
        OneVsOneMatcher.Config.DEFAULT.withExpansionPerMinute(0));
    int[] matched = new int[4];
    for (long seed = 0; seed < SEEDS; seed++) {
      Random rnd = new Random(seed);
      List<Search> queue = Fixtures.randomQueue(rnd, 4 + rnd.nextInt(50), 1, 0);
      for (int f = 0; f < matched.length; f++) {
        matched[f] += matcher.find(Fixtures.withWait(queue, 2 * f, 0)).matches().size();
      }
    }
    assertThat(matched[1]).isGreaterThan(matched[0]);
    assertThat(matched[2]).isGreaterThan(matched[1]);
    assertThat(matched[3]).isGreaterThan(matched[2]);
  }

  @Test
  void oneVsOneMakesMoreMatchesOverTimeQueued() {
    OneVsOneMatcher matcher = new OneVsOneMatcher(trueSkill,
        OneVsOneMatcher.Config.DEFAULT.withExpansionPerMinute(0.02));
    int fresh = 0;
    int waited = 0;
    for (long seed = 0; seed < SEEDS; seed++) {
      Random rnd = new Random(seed);
      List<Search> queue = Fixtures.randomQueue(rnd, 4 + rnd.nextInt(50), 1, 0);
      fresh += matcher.find(Fixtures.withWait(queue, 0, 0)).matches().size();
      waited += matcher.find(Fixtures.withWait(queue, 0, 600)).matches().size();
    }
    assertThat(waited).isGreaterThan(fresh);
  }

  @Test
  void teamMatchesGrowOverFailedPops() {
    TeamMatcher matcher = new TeamMatcher(2);
    int fresh = 0;
    int waited = 0;
    for (long seed = 0; seed < SEEDS; seed++) {
      Random rnd = new Random(seed);
      List<Search> queue = Fixtures.randomQueue(rnd, 4 + rnd.nextInt(30), 2, 0);
      fresh += matcher.find(Fixtures.withWait(queue, 0, 0)).matches().size();
      waited += matcher.find(Fixtures.withWait(queue, 10, 0)).matches().size();
    }
    assertThat(waited).isGreaterThan(fresh);
  }

  @Test
  void sameInputSameOutput() {
    OneVsOneMatcher oneVsOne = new OneVsOneMatcher(trueSkill);
    TeamMatcher team = new TeamMatcher(3);
    for (long seed = 0; seed < 20; seed++) {
      List<Search> q1 = Fixtures.randomQueue(new Random(seed), 50, 1, 5);
      assertThat(oneVsOne.find(q1)).isEqualTo(oneVsOne.find(q1));
      List<Search> q3 = Fixtures.randomQueue(new Random(seed), 50, 3, 5);
      assertThat(team.find(q3)).isEqualTo(team.find(q3));
    }
  }
}
