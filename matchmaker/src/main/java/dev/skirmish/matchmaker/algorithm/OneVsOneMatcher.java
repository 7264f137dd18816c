package dev.skirmish.matchmaker.algorithm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pairs searches of a 1v1 queue, stable-marriage style.
 *
 * <p>Two searches are acceptable to each other when the quality of their game reaches both
 * searches' thresholds, {@code max(selfQualityFactor · quality(self vs self) − expansion, 0)}.
 * The expansion lowers the bar the longer a search waits: per failed pop (in steps that depend on
 * whether the party has a newbie or a top player) and, beyond the reference, per minute queued, up
 * to a cap. Small queues consider every pair; large ones only the nearest neighbours by mean.
 * Each unmatched search then proposes to its best acceptable partner, who accepts if free or if
 * the proposal beats its current pairing, until nothing changes.
 */
public final class OneVsOneMatcher {

  /**
   * How far a search's threshold drops.
   *
   * @param perFailedPop drop per failed pop
   * @param max the largest total drop (from pops and time together)
   */
  public record Expansion(double perFailedPop, double max) {
    public Expansion {
      if (perFailedPop < 0 || max < 0) {
        throw new IllegalArgumentException("expansion must not be negative");
      }
    }
  }

  /**
   * Matcher settings.
   *
   * @param selfQualityFactor fraction of a search's quality against itself it demands
   * @param normal expansion of an ordinary search
   * @param newbie expansion of a search with a newbie (takes precedence over top player)
   * @param topPlayer expansion of a search with a top player
   * @param topPlayerRating displayed rating from which a player is a top player
   * @param expansionPerMinute extra drop per minute queued, under the same cap (0 = reference)
   * @param fullGraphBelow below this many searches every pair is tried
   * @param uncertainDeviation players with at least this deviation sort as mean 0
   */
  public record Config(
      double selfQualityFactor,
      Expansion normal,
      Expansion newbie,
      Expansion topPlayer,
      double topPlayerRating,
      double expansionPerMinute,
      int fullGraphBelow,
      double uncertainDeviation) {

    /** Reference values, plus a slow time-based widening of 0.02 per minute. */
    public static final Config DEFAULT = new Config(
        0.8,
        new Expansion(0.05, 0.25),
        new Expansion(0.1, 0.6),
        new Expansion(0.15, 0.3),
        2000,
        0.02,
        30,
        250);

    public Config {
      if (selfQualityFactor < 0 || expansionPerMinute < 0 || fullGraphBelow < 0) {
        throw new IllegalArgumentException("invalid 1v1 matcher config");
      }
    }

    /** The same settings with another time-based widening rate. */
    public Config withExpansionPerMinute(double perMinute) {
      return new Config(selfQualityFactor, normal, newbie, topPlayer, topPlayerRating, perMinute,
          fullGraphBelow, uncertainDeviation);
    }
  }

  private final MatchQuality quality;
  private final Config config;

  public OneVsOneMatcher(MatchQuality quality) {
    this(quality, Config.DEFAULT);
  }

  public OneVsOneMatcher(MatchQuality quality, Config config) {
    this.quality = quality;
    this.config = config;
  }

  /** The quality of a game between two searches, on their newbie-adjusted ratings. */
  public double quality(Search a, Search b) {
    return quality.quality(List.of(a.adjustedRatings(), b.adjustedRatings()));
  }

  /** How much the search's threshold has dropped so far. */
  public double expansion(Search search) {
    Expansion e;
    if (search.hasNewbie()) {
      e = config.newbie();
    } else if (search.maxDisplayedRating() >= config.topPlayerRating()) {
      e = config.topPlayer();
    } else {
      e = config.normal();
    }
    double drop = e.perFailedPop() * search.failedAttempts()
        + config.expansionPerMinute() * search.secondsQueued() / 60.0;
    return Math.min(drop, e.max());
  }

  /** The lowest game quality the search accepts. */
  public double threshold(Search search) {
    return Math.max(config.selfQualityFactor() * quality(search, search) - expansion(search), 0);
  }

  /** Whether both searches accept a game against each other. */
  public boolean acceptable(Search a, Search b) {
    if (a == b || sharePlayers(a, b)) {
      return false;
    }
    double q = quality(a, b);
    return q >= threshold(a) && q >= threshold(b);
  }

  /** Pairs up the searches of one pop. */
  public MatchResult find(List<Search> searches) {
    int n = searches.size();
    double[] thresholds = new double[n];
    for (int i = 0; i < n; i++) {
      thresholds[i] = threshold(searches.get(i));
    }
    List<List<Edge>> prefs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      prefs.add(new ArrayList<>());
    }
    for (int[] pair : candidatePairs(searches)) {
      int i = pair[0];
      int j = pair[1];
      Search a = searches.get(i);
      Search b = searches.get(j);
      if (sharePlayers(a, b)) {
        continue;
      }
      double q = quality(a, b);
      if (q >= thresholds[i] && q >= thresholds[j]) {
        prefs.get(i).add(new Edge(j, q, b.tieBreaker()));
        prefs.get(j).add(new Edge(i, q, a.tieBreaker()));
      }
    }
    Comparator<Edge> best = Comparator.comparingDouble(Edge::quality).reversed()
        .thenComparingInt(Edge::tieBreaker);
    for (List<Edge> list : prefs) {
      list.sort(best);
    }

    int[] partner = new int[n];
    double[] partnerQuality = new double[n];
    Arrays.fill(partner, -1);
    // Proposals always improve the accepting side, but a displaced search may settle lower, so
    // the loop is bounded instead of trusted to converge on arbitrary quality functions.
    int maxRounds = 2 * n + 2;
    boolean changed = true;
    for (int round = 0; changed && round < maxRounds; round++) {
      changed = false;
      for (int i = 0; i < n; i++) {
        if (partner[i] != -1) {
          continue;
        }
        for (Edge e : prefs.get(i)) {
          int j = e.other();
          if (partner[j] == -1) {
            pair(partner, partnerQuality, i, j, e.quality());
            changed = true;
            break;
          }
          if (e.quality() > partnerQuality[j]) {
            int old = partner[j];
            partner[old] = -1;
            partnerQuality[old] = 0;
            pair(partner, partnerQuality, i, j, e.quality());
            changed = true;
            break;
          }
        }
      }
    }

    // If the bound cut the proposals short, a displaced search may still have a free acceptable
    // partner; pairing those keeps the result maximal.
    for (int i = 0; i < n; i++) {
      if (partner[i] != -1) {
        continue;
      }
      for (Edge e : prefs.get(i)) {
        if (partner[e.other()] == -1) {
          pair(partner, partnerQuality, i, e.other(), e.quality());
          break;
        }
      }
    }

    List<Match> matches = new ArrayList<>();
    List<Search> unmatched = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (partner[i] == -1) {
        unmatched.add(searches.get(i));
      } else if (i < partner[i]) {
        matches.add(new Match(List.of(searches.get(i)), List.of(searches.get(partner[i])),
            partnerQuality[i]));
      }
    }
    return new MatchResult(matches, unmatched);
  }

  private static void pair(int[] partner, double[] partnerQuality, int i, int j, double q) {
    partner[i] = j;
    partner[j] = i;
    partnerQuality[i] = q;
    partnerQuality[j] = q;
  }

  /** Index pairs (i &lt; j) worth scoring. */
  private List<int[]> candidatePairs(List<Search> searches) {
    int n = searches.size();
    List<int[]> pairs = new ArrayList<>();
    if (n < config.fullGraphBelow()) {
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          pairs.add(new int[] {i, j});
        }
      }
      return pairs;
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Map<Search, Double> key = new IdentityHashMap<>();
    for (Search s : searches) {
      key.put(s, s.averageMeanForSorting(config.uncertainDeviation()));
    }
    Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> key.get(searches.get(i)))
        .thenComparingInt(i -> searches.get(i).tieBreaker()));
    int k = neighbours(n);
    for (int p = 0; p < n; p++) {
      for (int q = p + 1; q <= p + k && q < n; q++) {
        int i = order[p];
        int j = order[q];
        pairs.add(i < j ? new int[] {i, j} : new int[] {j, i});
      }
    }
    return pairs;
  }

  /** How many neighbours on each side a search is compared with in a large queue. */
  static int neighbours(int n) {
    int log2 = 31 - Integer.numberOfLeadingZeros(Math.max(16, n));
    return log2 / 2;
  }

  private static boolean sharePlayers(Search a, Search b) {
    Set<Integer> ids = new HashSet<>(a.playerIds());
    return !Collections.disjoint(ids, b.playerIds());
  }

  private record Edge(int other, double quality, int tieBreaker) {}
}
