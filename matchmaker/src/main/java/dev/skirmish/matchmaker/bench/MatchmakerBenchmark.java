package dev.skirmish.matchmaker.bench;

import dev.skirmish.matchmaker.algorithm.Match;
import dev.skirmish.matchmaker.algorithm.MatchResult;
import dev.skirmish.matchmaker.algorithm.OneVsOneMatcher;
import dev.skirmish.matchmaker.algorithm.PlayerRating;
import dev.skirmish.matchmaker.algorithm.Search;
import dev.skirmish.matchmaker.algorithm.TeamMatcher;
import dev.skirmish.matchmaker.algorithm.TrueSkillQuality;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;

/**
 * Times one matchmaker pop over large seeded queues, for 1v1 and 4v4: time per pop, games made, players
 * matched and mean quality. Each figure is the median of several pops on fresh copies of the same queue,
 * after warm-up pops; ratios are against the smallest queue of the same mode, measured in the same run.
 *
 * <pre>
 * java -jar deploy/target/skirmish-all.jar matchmaker-benchmark [--sizes 1000,10000,50000] [--pops 5] [--seed 42]
 * </pre>
 */
public final class MatchmakerBenchmark {

  private MatchmakerBenchmark() {
  }

  /** One row of the report. */
  record Row(String mode, int searches, int players, double medianMs, int games, int matchedPlayers, double meanQuality) {
  }

  public static void main(String[] args) {
    int[] sizes = {1000, 10_000, 50_000};
    int pops = 5;
    long seed = 42;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--sizes" -> sizes = java.util.Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--pops" -> pops = Integer.parseInt(args[i + 1]);
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    print(rows(sizes, pops, seed), pops, seed);
  }

  /** One pop benchmark per queue size, 1v1 then 4v4. */
  static List<Row> rows(int[] sizes, int pops, long seed) {
    OneVsOneMatcher oneVsOne = new OneVsOneMatcher(new TrueSkillQuality());
    TeamMatcher fourVsFour = new TeamMatcher(4);
    List<Row> rows = new ArrayList<>();
    for (int n : sizes) {
      rows.add(run("1v1", queue(n, 1, seed), oneVsOne::find, pops));
    }
    for (int n : sizes) {
      rows.add(run("4v4", queue(n, 4, seed), fourVsFour::find, pops));
    }
    return rows;
  }

  /**
   * A queue of {@code n} searches: ratings spread like a live ladder (mean around 1200, deviations from
   * settled to new), a tenth of them newbies, some searches already past failed pops; for team queues,
   * parties of 1 to {@code maxParty} players (mostly solo).
   */
  static List<Search> queue(int n, int maxParty, long seed) {
    Random random = new Random(seed * 31 + n * 7L + maxParty);
    List<Search> searches = new ArrayList<>(n);
    int playerId = 1;
    for (int i = 0; i < n; i++) {
      int size = 1;
      if (maxParty > 1) {
        double r = random.nextDouble();
        size = r < 0.70 ? 1 : r < 0.85 ? 2 : r < 0.95 ? Math.min(3, maxParty) : maxParty;
      }
      List<PlayerRating> players = new ArrayList<>(size);
      for (int p = 0; p < size; p++) {
        boolean newbie = random.nextDouble() < 0.1;
        double mean = 1200 + random.nextGaussian() * 350;
        double deviation = newbie ? 250 + random.nextDouble() * 250 : 60 + random.nextDouble() * 140;
        int games = newbie ? random.nextInt(11) : 11 + random.nextInt(1000);
        players.add(new PlayerRating(playerId++, mean, deviation, games));
      }
      searches.add(new Search(players, random.nextInt(4), random.nextDouble() * 120));
    }
    return searches;
  }

  private static Row run(String mode, List<Search> queue, Function<List<Search>, MatchResult> pop, int pops) {
    int players = queue.stream().mapToInt(Search::size).sum();
    MatchResult result = null;
    for (int w = 0; w < 2; w++) {
      result = pop.apply(new ArrayList<>(queue));
    }
    double[] times = new double[pops];
    for (int i = 0; i < pops; i++) {
      long t0 = System.nanoTime();
      result = pop.apply(new ArrayList<>(queue));
      times[i] = (System.nanoTime() - t0) / 1e6;
    }
    java.util.Arrays.sort(times);
    double quality = result.matches().stream().mapToDouble(Match::quality).average().orElse(Double.NaN);
    int matched = result.matches().stream().mapToInt(m -> m.playerIds().size()).sum();
    return new Row(mode, queue.size(), players, times[pops / 2], result.matches().size(), matched, quality);
  }

  private static void print(List<Row> rows, int pops, long seed) {
    System.out.printf(Locale.ROOT, "%nMatchmaker pop benchmark: median of %d pops after 2 warm-up pops, seed %d%n%n", pops, seed);
    System.out.println("| queue | searches | players | ms per pop | vs smallest queue | games | players matched | mean quality |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (Row r : rows) {
      Row base = rows.stream().filter(x -> x.mode().equals(r.mode())).findFirst().orElseThrow();
      System.out.printf(Locale.ROOT, "| %s | %d | %d | %.1f | %.1f× (queue %.0f×) | %d | %d (%.0f%%) | %.3f |%n",
        r.mode(), r.searches(), r.players(), r.medianMs(), r.medianMs() / base.medianMs(),
        (double) r.searches() / base.searches(), r.games(), r.matchedPlayers(),
        100.0 * r.matchedPlayers() / r.players(), r.meanQuality());
    }
  }
}
