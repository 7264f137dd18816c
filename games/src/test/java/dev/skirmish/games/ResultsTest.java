package dev.skirmish.games;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.skirmish.games.GameDocsFixture.game;
import static dev.skirmish.games.GameDocsFixture.report;
import static dev.skirmish.games.GameDocsFixture.withReports;
import static dev.skirmish.games.Results.CONFLICTING;
import static dev.skirmish.games.Results.DEFEAT;
import static dev.skirmish.games.Results.DRAW;
import static dev.skirmish.games.Results.MUTUAL_DRAW;
import static dev.skirmish.games.Results.UNKNOWN;
import static dev.skirmish.games.Results.VICTORY;
import static org.assertj.core.api.Assertions.assertThat;

class ResultsTest {

  /** Reports about army 1: one per reporter, reporters numbered from 100. */
  private static List<Results.Report> votes(String... outcomes) {
    List<Results.Report> out = new ArrayList<>();
    for (int i = 0; i < outcomes.length; i++) {
      out.add(new Results.Report(100 + i, 1, outcomes[i], 0));
    }
    return out;
  }

  private static List<Results.Report> repeat(List<Results.Report> base, String outcome, int count) {
    List<Results.Report> out = new ArrayList<>(base);
    for (int i = 0; i < count; i++) {
      out.add(new Results.Report(200 + base.size() + i, 1, outcome, 0));
    }
    return out;
  }

  // ---- per army -------------------------------------------------------------------------------------

  @Test
  void noReportsIsUnknown() {
    assertThat(Results.armyOutcome(List.of())).isEqualTo(UNKNOWN);
  }

  @Test
  void unanimousReportsDecide() {
    assertThat(Results.armyOutcome(votes(VICTORY))).isEqualTo(VICTORY);
    assertThat(Results.armyOutcome(votes(DEFEAT, DEFEAT, DEFEAT))).isEqualTo(DEFEAT);
    assertThat(Results.armyOutcome(votes(MUTUAL_DRAW, MUTUAL_DRAW))).isEqualTo(MUTUAL_DRAW);
  }

  @Test
  void majorityWithAtMostOneDissenterDecides() {
    assertThat(Results.armyOutcome(votes(DEFEAT, DEFEAT, VICTORY))).isEqualTo(DEFEAT);
  }

  @Test
  void oneAgainstOneConflicts() {
    assertThat(Results.armyOutcome(votes(VICTORY, DEFEAT))).isEqualTo(CONFLICTING);
  }

  @Test
  void twoAgainstTwoConflictsButALeadOfThreeDecides() {
    assertThat(Results.armyOutcome(votes(DEFEAT, DEFEAT, VICTORY, VICTORY))).isEqualTo(CONFLICTING);
    assertThat(Results.armyOutcome(repeat(votes(VICTORY, VICTORY), DEFEAT, 4))).isEqualTo(CONFLICTING);
    assertThat(Results.armyOutcome(repeat(votes(VICTORY, VICTORY), DEFEAT, 5))).isEqualTo(DEFEAT);
  }

  @Test
  void aReporterVotesOnce() {
    List<Results.Report> sameReporter = List.of(new Results.Report(7, 1, DEFEAT, 0), new Results.Report(7, 1, DEFEAT, 0),
      new Results.Report(8, 1, VICTORY, 0));
    assertThat(Results.armyOutcome(sameReporter)).isEqualTo(CONFLICTING);
  }

  @Test
  void scoreIsTheMostFrequentThenTheLargest() {
    assertThat(Results.score(List.of())).isZero();
    assertThat(Results.score(List.of(new Results.Report(1, 1, VICTORY, 5), new Results.Report(2, 1, VICTORY, 9),
      new Results.Report(3, 1, VICTORY, 5)))).isEqualTo(5);
    assertThat(Results.score(List.of(new Results.Report(1, 1, VICTORY, 5), new Results.Report(2, 1, VICTORY, 9))))
      .isEqualTo(9);
    assertThat(Results.score(List.of(new Results.Report(1, 1, VICTORY, -3), new Results.Report(2, 1, VICTORY, -8))))
      .isEqualTo(-3);
  }

  @Test
  void aLyingMinorityIsOutvoted() {
    // Eight players, 4v4: the two liars of the losing team claim their armies won; the six others report the truth.
    JsonObject g = game(1, "custom", 10, 2, 11, 2, 12, 2, 13, 2, 20, 3, 21, 3, 22, 3, 23, 3);
    for (int reporter : new int[] {10, 11, 12, 13, 20, 21, 22, 23}) {
      boolean liar = reporter == 20 || reporter == 21;
      for (int army = 1; army <= 8; army++) {
        boolean firstTeam = army <= 4;
        withReports(g, report(reporter, army, firstTeam != liar ? "victory" : "defeat", firstTeam ? 10 : 0));
      }
    }
    Results.Resolution r = Results.resolve(g);
    assertThat(r.player(20).orElseThrow().result()).isEqualTo(DEFEAT);
    assertThat(r.player(10).orElseThrow().result()).isEqualTo(VICTORY);
    assertThat(r.teamOutcomes()).containsExactly(VICTORY, DEFEAT);
  }

  @Test
  void repeatedReportsVoteOnceForOutcomeAndScore() {
    // Three honest reports that army 2 lost with score 0; its own player repeats "victory 99" twenty times.
    JsonObject g = game(1, "custom", 10, 2, 11, 3, 12, 2, 13, 3);
    withReports(g, report(10, 2, "defeat", 0), report(12, 2, "defeat", 0), report(13, 2, "defeat", 0));
    for (int i = 0; i < 20; i++) {
      withReports(g, report(11, 2, "victory", 99));
    }
    assertThat(Results.reports(g)).hasSize(4);
    Results.Resolution r = Results.resolve(g);
    assertThat(r.player(11).orElseThrow()).isEqualTo(new Results.PlayerResult(11, 2, DEFEAT, 0));
  }

  @Test
  void aReportersLastReportAboutAnArmyCounts() {
    JsonObject g = withReports(game(1, "custom", 10, 2, 11, 3),
      report(10, 2, "victory", 5), report(10, 2, "defeat", 0), report(11, 2, "defeat", 0));
    assertThat(Results.reports(g)).containsExactly(new Results.Report(10, 2, DEFEAT, 0), new Results.Report(11, 2, DEFEAT, 0));
  }

  @Test
  void theGameResultRuleKeepsOneReportPerReporterAndArmy() {
    JsonObject g = game(1, "custom", 10, 2, 11, 3);
    JsonArray victory = new JsonArray().add(2).add("victory 99");
    g = ReportRules.gameResult(g, 11, victory).next();
    assertThat(ReportRules.gameResult(g, 11, victory).next()).as("a repeated report changes nothing").isNull();
    g = ReportRules.gameResult(g, 11, new JsonArray().add(2).add("defeat 0")).next();
    g = ReportRules.gameResult(g, 10, new JsonArray().add(2).add("defeat 0")).next();
    assertThat(g.getJsonArray("results")).containsExactly(report(11, 2, "defeat", 0), report(10, 2, "defeat", 0));
    assertThat(ReportRules.gameResult(g, 10, new JsonArray().add(77).add("victory 1")).next())
      .as("an army nobody has").isNull();
  }

  // ---- per team -------------------------------------------------------------------------------------

  @Test
  void teamOutcomes() {
    assertThat(Results.teamOutcomes(List.of(Set.of(VICTORY), Set.of(VICTORY)))).isEmpty();
    assertThat(Results.teamOutcomes(List.of(Set.of(VICTORY, DEFEAT), Set.of(DEFEAT)))).contains(List.of(VICTORY, DEFEAT));
    assertThat(Results.teamOutcomes(List.of(Set.of(UNKNOWN), Set.of(VICTORY)))).contains(List.of(DEFEAT, VICTORY));
    assertThat(Results.teamOutcomes(List.of(Set.of(DRAW), Set.of(DRAW)))).contains(List.of(DRAW, DRAW));
    assertThat(Results.teamOutcomes(List.of(Set.of(MUTUAL_DRAW), Set.of(DRAW)))).contains(List.of(DRAW, DRAW));
    assertThat(Results.teamOutcomes(List.of(Set.of(DRAW), Set.of(DEFEAT)))).isEmpty();
    assertThat(Results.teamOutcomes(List.of(Set.of(DEFEAT), Set.of(UNKNOWN)))).isEmpty();
    assertThat(Results.teamOutcomes(List.of(Set.of(CONFLICTING), Set.of(DEFEAT)))).isEmpty();
    assertThat(Results.teamOutcomes(List.of(Set.of(DEFEAT), Set.of(DEFEAT)))).contains(List.of(DRAW, DRAW));
    assertThat(Results.teamOutcomes(List.of(Set.of(VICTORY), Set.of(DEFEAT), Set.of(DEFEAT)))).isEmpty();
  }

  @Test
  void ranks() {
    assertThat(Results.ranks(List.of(VICTORY, DEFEAT))).containsExactly(0, 1);
    assertThat(Results.ranks(List.of(DEFEAT, VICTORY))).containsExactly(1, 0);
    assertThat(Results.ranks(List.of(DRAW, DRAW))).containsExactly(0, 0);
    assertThat(Results.ranks(List.of())).isEmpty();
  }

  // ---- whole games ----------------------------------------------------------------------------------

  @Test
  void aOneVersusOneVictory() {
    JsonObject g = withReports(game(1, "custom", 10, 2, 11, 3),
      report(10, 1, "victory", 12), report(10, 2, "defeat", -1), report(11, 2, "defeat", -1), report(11, 1, "victory", 12));
    Results.Resolution r = Results.resolve(g);
    assertThat(r.hasResults()).isTrue();
    assertThat(r.mutualDraw()).isFalse();
    assertThat(r.teams()).containsExactly(List.of(10), List.of(11));
    assertThat(r.teamOutcomes()).containsExactly(VICTORY, DEFEAT);
    assertThat(r.ranks()).containsExactly(0, 1);
    assertThat(r.players()).containsExactly(
      new Results.PlayerResult(10, 1, VICTORY, 12), new Results.PlayerResult(11, 2, DEFEAT, -1));
    assertThat(r.player(11)).contains(new Results.PlayerResult(11, 2, DEFEAT, -1));
  }

  @Test
  void teamGameWithOneVictoryReport() {
    JsonObject g = withReports(game(1, "custom", 10, 2, 11, 2, 12, 3, 13, 3),
      report(10, 3, "defeat", 0), report(12, 3, "defeat", 0), report(13, 4, "victory", 5));
    Results.Resolution r = Results.resolve(g);
    assertThat(r.teams()).containsExactly(List.of(10, 11), List.of(12, 13));
    assertThat(r.ranks()).containsExactly(1, 0);
    assertThat(r.player(10).orElseThrow().result()).isEqualTo(UNKNOWN);
    assertThat(r.player(12).orElseThrow().result()).isEqualTo(DEFEAT);
  }

  @Test
  void ffaTeamPlayersAreSoloTeams() {
    JsonObject g = withReports(game(1, "custom", 10, 1, 11, 1), report(10, 1, "defeat", 0), report(11, 2, "victory", 0));
    Results.Resolution r = Results.resolve(g);
    assertThat(r.teams()).containsExactly(List.of(10), List.of(11));
    assertThat(r.ranks()).containsExactly(1, 0);
  }

  @Test
  void noReportsIsUnresolvable() {
    Results.Resolution r = Results.resolve(game(1, "custom", 10, 2, 11, 3));
    assertThat(r.hasResults()).isFalse();
    assertThat(r.resolvable()).isFalse();
    assertThat(r.players()).extracting(Results.PlayerResult::result).containsExactly(UNKNOWN, UNKNOWN);
  }

  @Test
  void mutualDrawNeedsEveryArmyReportedOnlyAsMutualDraw() {
    JsonObject all = withReports(game(1, "custom", 10, 2, 11, 3),
      report(10, 1, "mutual_draw", 0), report(11, 2, "mutual_draw", 0));
    assertThat(Results.resolve(all).mutualDraw()).isTrue();
    assertThat(Results.resolve(all).ranks()).containsExactly(0, 0);
    JsonObject partial = withReports(game(1, "custom", 10, 2, 11, 3),
      report(10, 1, "mutual_draw", 0), report(11, 2, "mutual_draw", 0), report(11, 1, "draw", 0));
    assertThat(Results.resolve(partial).mutualDraw()).isFalse();
    JsonObject missing = withReports(game(1, "custom", 10, 2, 11, 3), report(10, 1, "mutual_draw", 0));
    assertThat(Results.resolve(missing).mutualDraw()).isFalse();
  }

  @Test
  void ladderOneVersusOneIsDecidedByScore() {
    // The ACU "draw bug": both armies reported defeated, but the scores tell who won.
    JsonObject g = withReports(game(1, "matchmaker", 10, 2, 11, 3),
      report(10, 1, "defeat", 3), report(10, 2, "defeat", 1), report(11, 1, "defeat", 3), report(11, 2, "defeat", 1));
    Results.Resolution r = Results.resolve(g);
    assertThat(r.teamOutcomes()).containsExactly(VICTORY, DEFEAT);
    assertThat(r.ranks()).containsExactly(0, 1);
    // Ladder games store 1 for the winner and 0 otherwise.
    assertThat(r.players()).extracting(Results.PlayerResult::score).containsExactly(1, 0);
  }

  @Test
  void ladderOneVersusOneEqualScoresDraw() {
    JsonObject g = withReports(game(1, "matchmaker", 10, 2, 11, 3),
      report(10, 1, "victory", 2), report(11, 2, "victory", 2));
    Results.Resolution r = Results.resolve(g);
    assertThat(r.ranks()).containsExactly(0, 0);
    assertThat(r.players()).extracting(Results.PlayerResult::score).containsExactly(0, 0);
  }

  @Test
  void scoreOverrideOnlyForMatchmakerDuels() {
    JsonObject custom = withReports(game(1, "custom", 10, 2, 11, 3),
      report(10, 1, "defeat", 3), report(11, 2, "defeat", 1));
    assertThat(Results.resolve(custom).ranks()).containsExactly(0, 0);
    JsonObject ladder2v2 = withReports(game(1, "matchmaker", 10, 2, 11, 2, 12, 3, 13, 3),
      report(10, 1, "defeat", 3), report(11, 2, "defeat", 3), report(12, 3, "defeat", 1), report(13, 4, "victory", 1));
    Results.Resolution r = Results.resolve(ladder2v2);
    assertThat(r.ranks()).containsExactly(1, 0);
    assertThat(r.players()).extracting(Results.PlayerResult::score).containsExactly(0, 0, 1, 1);
  }

  @Test
  void malformedReportsAreIgnored() {
    JsonObject g = game(1, "custom", 10, 2, 11, 3);
    g.getJsonArray("results")
      .add("nonsense")
      .add(new JsonObject().put("reporter", 10).put("army", "x").put("outcome", "victory"))
      .add(new JsonObject().put("reporter", 10).put("army", 1).put("outcome", "score"))
      .add(new JsonObject().put("reporter", 10).put("army", 1).put("outcome", 7))
      .add(new JsonObject().put("reporter", "10").put("army", "1").put("outcome", "VICTORY").put("score", "4"));
    g.getJsonArray("players").add("not a player").add(new JsonObject().put("login", "no id"));
    assertThat(Results.reports(g)).containsExactly(new Results.Report(10, 1, VICTORY, 4));
    Results.Resolution r = Results.resolve(g);
    assertThat(r.players()).hasSize(2);
    assertThat(r.ranks()).containsExactly(0, 1);
  }

  @Test
  void aGameWithoutPlayersOrResultsIsEmpty() {
    JsonObject g = new JsonObject().put("id", 5).put("players", new JsonArray());
    Results.Resolution r = Results.resolve(g);
    assertThat(r.players()).isEmpty();
    assertThat(r.resolvable()).isFalse();
    assertThat(r.mutualDraw()).isFalse();
  }
}
