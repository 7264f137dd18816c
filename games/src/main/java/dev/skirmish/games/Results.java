package dev.skirmish.games;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Result resolution as pure functions: from the {@code GameResult} reports of every game connection to an
 * outcome per army, a score per army, an outcome per team and the ranks for rating.
 */
public final class Results {

  public static final String VICTORY = "VICTORY";
  public static final String DEFEAT = "DEFEAT";
  public static final String DRAW = "DRAW";
  public static final String MUTUAL_DRAW = "MUTUAL_DRAW";
  public static final String UNKNOWN = "UNKNOWN";
  public static final String CONFLICTING = "CONFLICTING";

  private static final Set<String> REPORTED = Set.of(VICTORY, DEFEAT, DRAW, MUTUAL_DRAW);

  private Results() {
  }

  /**
   * One {@code GameResult} report.
   *
   * @param reporter the player whose game sent it
   * @param army     the army it is about
   * @param outcome  VICTORY, DEFEAT, DRAW or MUTUAL_DRAW
   * @param score    the score reported for that army
   */
  public record Report(int reporter, int army, String outcome, int score) {
  }

  /**
   * The result of one player.
   *
   * @param playerId the player
   * @param army     their army
   * @param result   their army's outcome: VICTORY, DEFEAT, DRAW, MUTUAL_DRAW, CONFLICTING or UNKNOWN
   * @param score    the score to store; in matchmaker games 1 for a win and 0 otherwise
   */
  public record PlayerResult(int playerId, int army, String result, int score) {
  }

  /**
   * A resolved game.
   *
   * @param players      the result of every frozen player, in document order
   * @param teams        the player ids of each team (FFA-team players alone), as rated
   * @param teamOutcomes VICTORY/DEFEAT/DRAW per team; empty when unresolvable
   * @param ranks        TrueSkill ranks per team ([0,1], [1,0] or [0,0]); empty when unresolvable
   * @param hasResults   whether any report was received
   * @param mutualDraw   whether every player's army was reported only as a mutual draw
   */
  public record Resolution(List<PlayerResult> players, List<List<Integer>> teams, List<String> teamOutcomes,
                           List<Integer> ranks, boolean hasResults, boolean mutualDraw) {

    public Resolution {
      players = List.copyOf(players);
      teams = teams.stream().map(List::copyOf).toList();
      teamOutcomes = List.copyOf(teamOutcomes);
      ranks = List.copyOf(ranks);
    }

    /** Whether the game has a winner or is a draw between exactly two teams. */
    public boolean resolvable() {
      return !ranks.isEmpty();
    }

    /** The result of one player, if they played. */
    public Optional<PlayerResult> player(int playerId) {
      return players.stream().filter(p -> p.playerId() == playerId).findFirst();
    }
  }

  // ---- parsing --------------------------------------------------------------------------------------

  /**
   * The well-formed reports of the document's {@code results}, one per reporter and army (the last one):
   * a game that sends the same report many times votes once, for the outcome and for the score. Malformed
   * reports are skipped.
   */
  public static List<Report> reports(JsonObject game) {
    Map<List<Integer>, Report> last = new LinkedHashMap<>();
    for (Object o : GameDocs.array(game, "results")) {
      if (!(o instanceof JsonObject r)) {
        continue;
      }
      Integer army = GameDocs.intOf(r.getValue("army"));
      Object outcome = r.getValue("outcome");
      if (army == null || !(outcome instanceof String s)) {
        continue;
      }
      String normalized = s.trim().toUpperCase(Locale.ROOT);
      if (!REPORTED.contains(normalized)) {
        continue;
      }
      Integer reporter = GameDocs.intOf(r.getValue("reporter"));
      Integer score = GameDocs.intOf(r.getValue("score"));
      Report report = new Report(reporter == null ? -1 : reporter, army, normalized, score == null ? 0 : score);
      last.remove(List.of(report.reporter(), army));
      last.put(List.of(report.reporter(), army), report);
    }
    return new ArrayList<>(last.values());
  }

  // ---- rules ----------------------------------------------------------------------------------------

  /**
   * The outcome of one army from its reports (votes count once per reporter): no reports → UNKNOWN;
   * unanimous → that outcome; otherwise the most voted outcome if it has more than one vote while the
   * runner-up has at most one, or leads by at least three; else CONFLICTING.
   */
  public static String armyOutcome(List<Report> armyReports) {
    Map<String, Set<Integer>> voters = new LinkedHashMap<>();
    for (Report r : armyReports) {
      voters.computeIfAbsent(r.outcome(), k -> new LinkedHashSet<>()).add(r.reporter());
    }
    if (voters.isEmpty()) {
      return UNKNOWN;
    }
    if (voters.size() == 1) {
      return voters.keySet().iterator().next();
    }
    List<Map.Entry<String, Set<Integer>>> sorted = new ArrayList<>(voters.entrySet());
    sorted.sort(Comparator.comparingInt((Map.Entry<String, Set<Integer>> e) -> e.getValue().size()).reversed());
    int top = sorted.get(0).getValue().size();
    int runnerUp = sorted.get(1).getValue().size();
    if ((top > 1 && runnerUp <= 1) || top >= runnerUp + 3) {
      return sorted.get(0).getKey();
    }
    return CONFLICTING;
  }

  /** The score of one army: the most often reported value, ties going to the largest; 0 without reports. */
  public static int score(List<Report> armyReports) {
    Map<Integer, Integer> counts = new HashMap<>();
    for (Report r : armyReports) {
      counts.merge(r.score(), 1, Integer::sum);
    }
    return counts.entrySet().stream()
      .max(Comparator.<Map.Entry<Integer, Integer>>comparingInt(Map.Entry::getValue)
        .thenComparingInt(Map.Entry::getKey))
      .map(Map.Entry::getKey)
      .orElse(0);
  }

  /**
   * The outcome of each of exactly two teams from their players' army outcomes, or empty when it cannot
   * be resolved: both teams claim victory → unresolvable; one claims it → it wins; both draw → draw; a
   * one-sided draw → unresolvable; any UNKNOWN or CONFLICTING → unresolvable; everyone defeated → draw.
   * A mutual draw counts as a draw.
   */
  public static Optional<List<String>> teamOutcomes(List<Set<String>> teamArmyOutcomes) {
    if (teamArmyOutcomes.size() != 2) {
      return Optional.empty();
    }
    Set<String> a = teamArmyOutcomes.get(0);
    Set<String> b = teamArmyOutcomes.get(1);
    boolean victoryA = a.contains(VICTORY);
    boolean victoryB = b.contains(VICTORY);
    if (victoryA && victoryB) {
      return Optional.empty();
    }
    if (victoryA || victoryB) {
      return Optional.of(victoryA ? List.of(VICTORY, DEFEAT) : List.of(DEFEAT, VICTORY));
    }
    boolean drawA = a.contains(DRAW) || a.contains(MUTUAL_DRAW);
    boolean drawB = b.contains(DRAW) || b.contains(MUTUAL_DRAW);
    if (drawA && drawB) {
      return Optional.of(List.of(DRAW, DRAW));
    }
    if (drawA || drawB) {
      return Optional.empty();
    }
    if (a.contains(UNKNOWN) || a.contains(CONFLICTING) || b.contains(UNKNOWN) || b.contains(CONFLICTING)) {
      return Optional.empty();
    }
    return Optional.of(List.of(DRAW, DRAW));
  }

  /** The ladder 1v1 override: the higher score wins, equal scores draw. */
  public static List<String> scoreOutcomes(int scoreA, int scoreB) {
    if (scoreA > scoreB) {
      return List.of(VICTORY, DEFEAT);
    }
    if (scoreA < scoreB) {
      return List.of(DEFEAT, VICTORY);
    }
    return List.of(DRAW, DRAW);
  }

  /** TrueSkill ranks of two team outcomes: [0,1] first won, [1,0] second won, [0,0] draw. */
  public static List<Integer> ranks(List<String> teamOutcomes) {
    if (teamOutcomes.size() != 2) {
      return List.of();
    }
    String a = teamOutcomes.get(0);
    String b = teamOutcomes.get(1);
    if (VICTORY.equals(a) && DEFEAT.equals(b)) {
      return List.of(0, 1);
    }
    if (DEFEAT.equals(a) && VICTORY.equals(b)) {
      return List.of(1, 0);
    }
    if (DRAW.equals(a) && DRAW.equals(b)) {
      return List.of(0, 0);
    }
    return List.of();
  }

  /**
   * Resolves a whole game document: army outcomes and scores of every frozen player, the teams, and the
   * team outcomes (by score for matchmaker games of at most two players).
   */
  public static Resolution resolve(JsonObject game) {
    List<Report> reports = reports(game);
    List<GameDocs.Player> players = GameDocs.players(game);
    Map<Integer, List<Report>> byArmy = new HashMap<>();
    for (Report r : reports) {
      byArmy.computeIfAbsent(r.army(), k -> new ArrayList<>()).add(r);
    }
    Map<Integer, String> outcomeOf = new HashMap<>();
    Map<Integer, Integer> scoreOf = new HashMap<>();
    for (GameDocs.Player p : players) {
      List<Report> armyReports = byArmy.getOrDefault(p.army(), List.of());
      outcomeOf.put(p.id(), armyOutcome(armyReports));
      scoreOf.put(p.id(), score(armyReports));
    }

    boolean mutualDraw = !players.isEmpty() && players.stream().allMatch(p -> {
      List<Report> armyReports = byArmy.getOrDefault(p.army(), List.of());
      return !armyReports.isEmpty() && armyReports.stream().allMatch(r -> MUTUAL_DRAW.equals(r.outcome()));
    });

    List<List<GameDocs.Player>> teams = GameDocs.teams(players);
    List<List<Integer>> teamIds = teams.stream().map(t -> t.stream().map(GameDocs.Player::id).toList()).toList();
    boolean matchmaker = "matchmaker".equals(GameDocs.string(game, "gameType", "custom"));

    Optional<List<String>> outcomes;
    if (matchmaker && players.size() <= 2 && teams.size() == 2) {
      outcomes = Optional.of(scoreOutcomes(scoreOf.get(teams.get(0).get(0).id()), scoreOf.get(teams.get(1).get(0).id())));
    } else {
      List<Set<String>> partial = new ArrayList<>();
      for (List<GameDocs.Player> team : teams) {
        Set<String> set = new LinkedHashSet<>();
        team.forEach(p -> set.add(outcomeOf.get(p.id())));
        partial.add(set);
      }
      outcomes = teamOutcomes(partial);
    }

    Map<Integer, String> teamOutcomeOf = new HashMap<>();
    outcomes.ifPresent(o -> {
      for (int i = 0; i < teams.size(); i++) {
        for (GameDocs.Player p : teams.get(i)) {
          teamOutcomeOf.put(p.id(), o.get(i));
        }
      }
    });

    List<PlayerResult> results = new ArrayList<>();
    for (GameDocs.Player p : players) {
      String outcome = outcomeOf.get(p.id());
      int score = scoreOf.get(p.id());
      if (matchmaker) {
        // Ladder games store 1 for a win and 0 for anything else.
        String decided = teamOutcomeOf.getOrDefault(p.id(), outcome);
        score = VICTORY.equals(decided) ? 1 : 0;
      }
      results.add(new PlayerResult(p.id(), p.army(), outcome, score));
    }
    List<String> teamOutcomes = outcomes.orElse(List.of());
    return new Resolution(results, teamIds, teamOutcomes, ranks(teamOutcomes), !reports.isEmpty(), mutualDraw);
  }
}
