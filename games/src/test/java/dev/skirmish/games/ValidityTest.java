package dev.skirmish.games;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.skirmish.games.GameDocsFixture.game;
import static dev.skirmish.games.GameDocsFixture.report;
import static dev.skirmish.games.GameDocsFixture.withReports;
import static org.assertj.core.api.Assertions.assertThat;

class ValidityTest {

  private static JsonObject oneVsOne() {
    return game(1, "custom", 10, 2, 11, 3);
  }

  @Test
  void codesMatchTheProtocol() {
    assertThat(Validity.VALID).isZero();
    assertThat(Validity.TOO_MANY_DESYNCS).isEqualTo(1);
    assertThat(Validity.BAD_MAP).isEqualTo(8);
    assertThat(Validity.TOO_SHORT).isEqualTo(9);
    assertThat(Validity.COOP_NOT_RANKED).isEqualTo(11);
    assertThat(Validity.UNKNOWN_RESULT).isEqualTo(16);
    assertThat(Validity.HAS_AI_PLAYERS).isEqualTo(19);
    assertThat(Validity.OTHER_UNRANK).isEqualTo(24);
    assertThat(Validity.HOST_SET_UNRANKED).isEqualTo(25);
    assertThat(Validity.name(Validity.UNEVEN_TEAMS_NOT_RANKED)).isEqualTo("UNEVEN_TEAMS_NOT_RANKED");
    assertThat(Validity.name(99)).isEqualTo("UNKNOWN(99)");
  }

  @Test
  void aDefaultOneVersusOneIsValid() {
    assertThat(Validity.atLaunch(oneVsOne(), true, true)).isEqualTo(Validity.VALID);
  }

  @Test
  void unrankedModsComeFirst() {
    JsonObject g = oneVsOne();
    g.getJsonObject("options").put("CheatsEnabled", "true");
    g.put("aiOptions", new JsonObject().put("AI: Sorian", new JsonObject().put("Team", 2)));
    assertThat(Validity.atLaunch(g, false, false)).isEqualTo(Validity.BAD_MOD);
    assertThat(Validity.atLaunch(g, true, false)).isEqualTo(Validity.HAS_AI_PLAYERS);
  }

  @Test
  void moreThanTwoTeamsIsMultiTeam() {
    assertThat(Validity.atLaunch(game(1, "custom", 10, 2, 11, 3, 12, 4), true, true)).isEqualTo(Validity.MULTI_TEAM);
  }

  @Test
  void threePlayersWithTheFfaTeamIsFfa() {
    assertThat(Validity.atLaunch(game(1, "custom", 10, 1, 11, 1, 12, 1), true, true)).isEqualTo(Validity.FFA_NOT_RANKED);
    assertThat(Validity.atLaunch(game(1, "custom", 10, 1, 11, 2, 12, 2), true, true)).isEqualTo(Validity.FFA_NOT_RANKED);
  }

  @Test
  void twoPlayersOnTheFfaTeamAreAValidDuel() {
    assertThat(Validity.atLaunch(game(1, "custom", 10, 1, 11, 1), true, true)).isEqualTo(Validity.VALID);
  }

  static Stream<Arguments> badOptions() {
    return Stream.of(
      Arguments.of("AIReplacement", "On", Validity.HAS_AI_PLAYERS),
      Arguments.of("FogOfWar", "none", Validity.NO_FOG_OF_WAR),
      Arguments.of("FogOfWar", "Explored", Validity.NO_FOG_OF_WAR),
      Arguments.of("CheatsEnabled", "true", Validity.CHEATS_ENABLED),
      Arguments.of("PrebuiltUnits", "On", Validity.PREBUILT_ENABLED),
      Arguments.of("NoRushOption", "20", Validity.NORUSH_ENABLED),
      Arguments.of("RestrictedCategories", 2, Validity.BAD_UNIT_RESTRICTIONS),
      Arguments.of("RestrictedCategories", "1", Validity.BAD_UNIT_RESTRICTIONS),
      Arguments.of("TeamLock", "unlocked", Validity.UNLOCKED_TEAMS),
      Arguments.of("Unranked", "Yes", Validity.HOST_SET_UNRANKED),
      Arguments.of("Victory", "sandbox", Validity.WRONG_VICTORY_CONDITION),
      Arguments.of("Victory", "domination", Validity.WRONG_VICTORY_CONDITION));
  }

  @ParameterizedTest(name = "{0}={1} → {2}")
  @MethodSource("badOptions")
  void eachOptionCheck(String key, Object value, int expected) {
    JsonObject g = oneVsOne();
    g.getJsonObject("options").put(key, value);
    assertThat(Validity.atLaunch(g, true, true)).isEqualTo(expected);
  }

  @Test
  void offValuesMayArriveInAnyCaseOrAsNumbers() {
    JsonObject g = oneVsOne();
    g.getJsonObject("options").put("CheatsEnabled", "False").put("PrebuiltUnits", "off").put("NoRushOption", 0)
      .put("Unranked", "no").put("AIReplacement", false).put("RestrictedCategories", "0");
    assertThat(Validity.atLaunch(g, true, true)).isEqualTo(Validity.VALID);
  }

  @Test
  void optionChecksFollowTheProtocolOrder() {
    JsonObject g = oneVsOne();
    g.getJsonObject("options").put("Unranked", "Yes").put("FogOfWar", "none").put("Victory", "sandbox");
    assertThat(Validity.atLaunch(g, true, true)).isEqualTo(Validity.NO_FOG_OF_WAR);
    // Options are checked before the player count and team balance.
    JsonObject single = game(1, "custom", 10, 2);
    single.getJsonObject("options").put("TeamLock", "unlocked");
    assertThat(Validity.atLaunch(single, true, true)).isEqualTo(Validity.UNLOCKED_TEAMS);
  }

  @Test
  void onePlayerIsSinglePlayer() {
    assertThat(Validity.atLaunch(game(1, "custom", 10, 2), true, true)).isEqualTo(Validity.SINGLE_PLAYER);
  }

  @Test
  void unevenTeams() {
    assertThat(Validity.atLaunch(game(1, "custom", 10, 2, 11, 2, 12, 3), true, true))
      .isEqualTo(Validity.UNEVEN_TEAMS_NOT_RANKED);
    assertThat(Validity.atLaunch(game(1, "custom", 10, 2, 11, 2, 12, 3, 13, 3), true, true)).isEqualTo(Validity.VALID);
  }

  @Test
  void aPlayerWithoutTeamMakesTeamsUneven() {
    JsonObject g = oneVsOne();
    g.getJsonArray("players").getJsonObject(1).remove("team");
    assertThat(Validity.atLaunch(g, true, true)).isEqualTo(Validity.UNEVEN_TEAMS_NOT_RANKED);
  }

  @Test
  void unrankedMapIsBadMapAfterTheOtherChecks() {
    assertThat(Validity.atLaunch(oneVsOne(), true, false)).isEqualTo(Validity.BAD_MAP);
    JsonObject g = oneVsOne();
    g.getJsonObject("options").put("Victory", "eradication");
    assertThat(Validity.atLaunch(g, true, false)).isEqualTo(Validity.WRONG_VICTORY_CONDITION);
  }

  @Test
  void coopWithRightOptionsIsCoopNotRanked() {
    JsonObject coop = game(1, "coop", 10, 1, 11, 1, 12, 1);
    assertThat(Validity.atLaunch(coop, true, false)).isEqualTo(Validity.COOP_NOT_RANKED);
    assertThat(Validity.atLaunch(game(1, "coop", 10, 1), true, false)).isEqualTo(Validity.COOP_NOT_RANKED);
  }

  static Stream<Arguments> badCoopOptions() {
    return Stream.of(
      Arguments.of("Victory", "demoralization", Validity.WRONG_VICTORY_CONDITION),
      Arguments.of("TeamSpawn", "random", Validity.SPAWN_NOT_FIXED),
      Arguments.of("RevealedCivilians", "Yes", Validity.CIVILIANS_REVEALED),
      Arguments.of("Difficulty", 2, Validity.WRONG_DIFFICULTY),
      Arguments.of("Difficulty", "1", Validity.WRONG_DIFFICULTY),
      Arguments.of("Expansion", "false", Validity.EXPANSION_DISABLED),
      Arguments.of("CheatsEnabled", "true", Validity.CHEATS_ENABLED));
  }

  @ParameterizedTest(name = "coop {0}={1} → {2}")
  @MethodSource("badCoopOptions")
  void eachCoopCheck(String key, Object value, int expected) {
    JsonObject g = game(1, "coop", 10, 1, 11, 1);
    g.getJsonObject("options").put(key, value);
    assertThat(Validity.atLaunch(g, true, true)).isEqualTo(expected);
  }

  @Test
  void coopAcceptsDifficultyAsString() {
    JsonObject g = game(1, "coop", 10, 1);
    g.getJsonObject("options").put("Difficulty", "3");
    assertThat(Validity.atLaunch(g, true, true)).isEqualTo(Validity.COOP_NOT_RANKED);
  }

  // ---- end ------------------------------------------------------------------------------------------

  private static JsonObject decided() {
    return withReports(oneVsOne(), report(10, 1, "victory", 10), report(10, 2, "defeat", 0),
      report(11, 1, "victory", 10), report(11, 2, "defeat", 0));
  }

  private static int atEnd(JsonObject g, long duration) {
    return Validity.atEnd(g, Validity.VALID, Results.resolve(g), duration);
  }

  @Test
  void aDecidedLongGameStaysValid() {
    assertThat(atEnd(decided(), 3600)).isEqualTo(Validity.VALID);
    assertThat(Validity.atEnd(decided(), Validity.VALID, Results.resolve(decided()))).isEqualTo(Validity.VALID);
  }

  @Test
  void launchValidityIsKept() {
    JsonObject g = decided().put("desyncs", 50);
    assertThat(Validity.atEnd(g, Validity.BAD_MAP, Results.resolve(g), 10)).isEqualTo(Validity.BAD_MAP);
  }

  @Test
  void tooShortIsSixtySecondsPerPlayer() {
    assertThat(atEnd(decided(), 119)).isEqualTo(Validity.TOO_SHORT);
    assertThat(atEnd(decided(), 120)).isEqualTo(Validity.VALID);
    JsonObject fromDocument = decided().put("launchedAt", 1000L).put("endedAt", 1100L);
    assertThat(Validity.atEnd(fromDocument, Validity.VALID, Results.resolve(fromDocument))).isEqualTo(Validity.TOO_SHORT);
  }

  @Test
  void enforceRatingAndMatchmakerGamesSkipTooShort() {
    assertThat(atEnd(decided().put("enforceRating", true), 10)).isEqualTo(Validity.VALID);
    assertThat(atEnd(decided().put("gameType", "matchmaker"), 10)).isEqualTo(Validity.VALID);
  }

  @Test
  void noResultsIsUnknownResult() {
    assertThat(atEnd(oneVsOne(), 3600)).isEqualTo(Validity.UNKNOWN_RESULT);
  }

  @Test
  void unresolvableResultsAreUnknownResult() {
    JsonObject bothWin = withReports(oneVsOne(), report(10, 1, "victory", 1), report(11, 2, "victory", 1));
    assertThat(atEnd(bothWin, 3600)).isEqualTo(Validity.UNKNOWN_RESULT);
  }

  @Test
  void mutualDraw() {
    JsonObject g = withReports(oneVsOne(), report(10, 1, "mutual_draw", 0), report(10, 2, "mutual_draw", 0),
      report(11, 1, "mutual_draw", 0), report(11, 2, "mutual_draw", 0));
    assertThat(atEnd(g, 3600)).isEqualTo(Validity.MUTUAL_DRAW);
  }

  @Test
  void tooManyDesyncsWinsOverEverythingElse() {
    assertThat(atEnd(decided().put("desyncs", 21), 10)).isEqualTo(Validity.TOO_MANY_DESYNCS);
    assertThat(atEnd(decided().put("desyncs", 20), 3600)).isEqualTo(Validity.VALID);
  }

  @Test
  void coopStaysCoopNotRanked() {
    JsonObject g = game(1, "coop", 10, 1, 11, 1);
    assertThat(Validity.atEnd(g, Validity.COOP_NOT_RANKED, Results.resolve(g), 5)).isEqualTo(Validity.COOP_NOT_RANKED);
  }
}
