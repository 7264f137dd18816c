package dev.skirmish.games;

import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a game counts for ratings ({@code game_stats.validity}), as pure functions over the game
 * document. The launch checks run when the game goes LIVE; the end checks add what can only be known
 * once it is over. The first failing check decides; a game that was already invalid stays so.
 */
public final class Validity {

  public static final int VALID = 0;
  public static final int TOO_MANY_DESYNCS = 1;
  public static final int WRONG_VICTORY_CONDITION = 2;
  public static final int NO_FOG_OF_WAR = 3;
  public static final int CHEATS_ENABLED = 4;
  public static final int PREBUILT_ENABLED = 5;
  public static final int NORUSH_ENABLED = 6;
  public static final int BAD_UNIT_RESTRICTIONS = 7;
  public static final int BAD_MAP = 8;
  public static final int TOO_SHORT = 9;
  public static final int BAD_MOD = 10;
  public static final int COOP_NOT_RANKED = 11;
  public static final int MUTUAL_DRAW = 12;
  public static final int SINGLE_PLAYER = 13;
  public static final int FFA_NOT_RANKED = 14;
  public static final int UNEVEN_TEAMS_NOT_RANKED = 15;
  public static final int UNKNOWN_RESULT = 16;
  public static final int UNLOCKED_TEAMS = 17;
  public static final int MULTI_TEAM = 18;
  public static final int HAS_AI_PLAYERS = 19;
  public static final int CIVILIANS_REVEALED = 20;
  public static final int WRONG_DIFFICULTY = 21;
  public static final int EXPANSION_DISABLED = 22;
  public static final int SPAWN_NOT_FIXED = 23;
  public static final int OTHER_UNRANK = 24;
  public static final int HOST_SET_UNRANKED = 25;

  /** More desyncs than this make a game invalid. */
  public static final int MAX_DESYNCS = 20;
  /** A custom game shorter than this many seconds per player is too short to rate. */
  public static final int MIN_SECONDS_PER_PLAYER = 60;

  private static final List<String> NAMES = List.of(
    "VALID", "TOO_MANY_DESYNCS", "WRONG_VICTORY_CONDITION", "NO_FOG_OF_WAR", "CHEATS_ENABLED",
    "PREBUILT_ENABLED", "NORUSH_ENABLED", "BAD_UNIT_RESTRICTIONS", "BAD_MAP", "TOO_SHORT", "BAD_MOD",
    "COOP_NOT_RANKED", "MUTUAL_DRAW", "SINGLE_PLAYER", "FFA_NOT_RANKED", "UNEVEN_TEAMS_NOT_RANKED",
    "UNKNOWN_RESULT", "UNLOCKED_TEAMS", "MULTI_TEAM", "HAS_AI_PLAYERS", "CIVILIANS_REVEALED",
    "WRONG_DIFFICULTY", "EXPANSION_DISABLED", "SPAWN_NOT_FIXED", "OTHER_UNRANK", "HOST_SET_UNRANKED");

  /** Values of an on/off game option that mean "off" (compared lower-cased, like the game does). */
  private static final Set<String> DISABLED = Set.of("false", "off", "no", "0");
  /** Values of an on/off game option that mean "on". */
  private static final Set<String> ENABLED = Set.of("true", "on", "yes", "1");

  private Validity() {
  }

  /** The name of a validity code (e.g. {@code "BAD_MAP"}), or {@code "UNKNOWN(<code>)"}. */
  public static String name(int code) {
    return code >= 0 && code < NAMES.size() ? NAMES.get(code) : "UNKNOWN(" + code + ")";
  }

  /**
   * The validity of a game at launch.
   *
   * <p>Order: all sim mods ranked; no AI; at most two teams; not FFA; the game options (AIReplacement
   * off, FogOfWar explored, CheatsEnabled off, PrebuiltUnits off, NoRushOption off, RestrictedCategories
   * 0, TeamLock locked, Unranked off); at least two players; even teams; Victory demoralization; a ranked
   * map. A coop game skips the FFA, player count, team balance and map checks, needs Victory sandbox,
   * TeamSpawn fixed, RevealedCivilians off, Difficulty 3 and Expansion on, and is then
   * {@link #COOP_NOT_RANKED}.
   *
   * @param game       the game document (players frozen)
   * @param modsRanked whether every activated sim mod is ranked
   * @param mapRanked  whether the map is ranked (a map unknown to the database only if it is generated)
   */
  public static int atLaunch(JsonObject game, boolean modsRanked, boolean mapRanked) {
    boolean coop = "coop".equals(GameDocs.string(game, "gameType", "custom"));
    List<GameDocs.Player> players = GameDocs.players(game);
    JsonObject options = GameDocs.object(game, "options");

    if (!modsRanked) {
      return BAD_MOD;
    }
    if (!GameDocs.object(game, "aiOptions").isEmpty()) {
      return HAS_AI_PLAYERS;
    }
    if (distinctTeams(players) > 2) {
      return MULTI_TEAM;
    }
    if (!coop && isFfa(players)) {
      return FFA_NOT_RANKED;
    }
    int common = commonOptions(options);
    if (common != VALID) {
      return common;
    }
    if (coop) {
      return coopOptions(options);
    }
    if (players.size() < 2) {
      return SINGLE_PLAYER;
    }
    if (!isEven(players)) {
      return UNEVEN_TEAMS_NOT_RANKED;
    }
    if (!option(options, "Victory", "demoralization").equalsIgnoreCase("demoralization")) {
      return WRONG_VICTORY_CONDITION;
    }
    if (!mapRanked) {
      return BAD_MAP;
    }
    return VALID;
  }

  /**
   * The validity of a game once it has ended, using the document's {@code launchedAt} and
   * {@code endedAt} (epoch seconds; a missing end counts as now).
   */
  public static int atEnd(JsonObject game, int launchValidity, Results.Resolution resolution) {
    long now = System.currentTimeMillis() / 1000;
    Long launched = GameDocs.longOf(game.getValue("launchedAt"));
    Long ended = GameDocs.longOf(game.getValue("endedAt"));
    long duration = (ended == null ? now : ended) - (launched == null ? now : launched);
    return atEnd(game, launchValidity, resolution, duration);
  }

  /**
   * The validity of a game once it has ended. A game already invalid at launch keeps that validity.
   * Otherwise, first failure wins: more than {@value #MAX_DESYNCS} desyncs; a mutually agreed draw; no
   * results at all; a custom game shorter than {@value #MIN_SECONDS_PER_PLAYER} s per player without
   * EnforceRating; results that cannot be resolved.
   *
   * @param launchValidity  the validity computed at launch
   * @param resolution      the resolved results of the game
   * @param durationSeconds how long the game ran
   */
  public static int atEnd(JsonObject game, int launchValidity, Results.Resolution resolution, long durationSeconds) {
    if (launchValidity != VALID) {
      return launchValidity;
    }
    Integer desyncs = GameDocs.intOf(game.getValue("desyncs"));
    if (desyncs != null && desyncs > MAX_DESYNCS) {
      return TOO_MANY_DESYNCS;
    }
    if (resolution.mutualDraw()) {
      return MUTUAL_DRAW;
    }
    if (!resolution.hasResults()) {
      return UNKNOWN_RESULT;
    }
    boolean custom = "custom".equals(GameDocs.string(game, "gameType", "custom"));
    boolean enforced = GameDocs.boolOf(game.getValue("enforceRating"));
    int players = GameDocs.players(game).size();
    if (custom && !enforced && durationSeconds < (long) MIN_SECONDS_PER_PLAYER * players) {
      return TOO_SHORT;
    }
    if (!resolution.resolvable()) {
      return UNKNOWN_RESULT;
    }
    return VALID;
  }

  // ---- checks ---------------------------------------------------------------------------------------

  private static int commonOptions(JsonObject options) {
    if (!disabled(options, "AIReplacement")) {
      return HAS_AI_PLAYERS;
    }
    if (!option(options, "FogOfWar", "explored").equals("explored")) {
      return NO_FOG_OF_WAR;
    }
    if (!disabled(options, "CheatsEnabled")) {
      return CHEATS_ENABLED;
    }
    if (!disabled(options, "PrebuiltUnits")) {
      return PREBUILT_ENABLED;
    }
    if (!disabled(options, "NoRushOption")) {
      return NORUSH_ENABLED;
    }
    if (!isZero(option(options, "RestrictedCategories", "0"))) {
      return BAD_UNIT_RESTRICTIONS;
    }
    if (!option(options, "TeamLock", "locked").equals("locked")) {
      return UNLOCKED_TEAMS;
    }
    if (!disabled(options, "Unranked")) {
      return HOST_SET_UNRANKED;
    }
    return VALID;
  }

  private static int coopOptions(JsonObject options) {
    if (!option(options, "Victory", "sandbox").equalsIgnoreCase("sandbox")) {
      return WRONG_VICTORY_CONDITION;
    }
    if (!option(options, "TeamSpawn", "fixed").equals("fixed")) {
      return SPAWN_NOT_FIXED;
    }
    if (!disabled(options, "RevealedCivilians")) {
      return CIVILIANS_REVEALED;
    }
    if (!option(options, "Difficulty", "3").equals("3")) {
      return WRONG_DIFFICULTY;
    }
    if (!ENABLED.contains(option(options, "Expansion", "true").toLowerCase(Locale.ROOT))) {
      return EXPANSION_DISABLED;
    }
    return COOP_NOT_RANKED;
  }

  /** An option as a string; the host's default when absent. */
  private static String option(JsonObject options, String key, String fallback) {
    Object v = options.getValue(key);
    return v == null ? fallback : String.valueOf(v).trim();
  }

  private static boolean disabled(JsonObject options, String key) {
    Object v = options.getValue(key);
    if (v == null) {
      return true;
    }
    if (v instanceof Boolean b) {
      return !b;
    }
    return DISABLED.contains(String.valueOf(v).trim().toLowerCase(Locale.ROOT));
  }

  private static boolean isZero(String value) {
    Integer n = GameDocs.intOf(value);
    return n != null && n == 0 && Double.parseDouble(value) == 0;
  }

  /** Distinct team numbers in use (the FFA team counts once; a missing team counts as one more). */
  private static int distinctTeams(List<GameDocs.Player> players) {
    Set<Integer> teams = new HashSet<>();
    for (GameDocs.Player p : players) {
      teams.add(p.team());
    }
    return teams.size();
  }

  private static boolean isFfa(List<GameDocs.Player> players) {
    return players.size() >= 3 && players.stream().anyMatch(p -> p.team() != null && p.team() == GameDocs.FFA_TEAM);
  }

  private static boolean isEven(List<GameDocs.Player> players) {
    if (players.stream().anyMatch(p -> p.team() == null)) {
      return false;
    }
    Set<Integer> sizes = new HashSet<>();
    for (List<GameDocs.Player> team : GameDocs.teams(players)) {
      sizes.add(team.size());
    }
    return sizes.size() <= 1;
  }
}
