package dev.skirmish.matchmaker.algorithm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Builds team games (2v2 and up) from the searches of one pop.
 *
 * <p>Searches are sorted by average displayed rating. For every search a candidate game is built
 * from it and its nearest neighbours (alternately below and above, skipping parties that would
 * overflow the game), split into two teams and scored. Games below the minimum quality, or whose
 * teams differ by more than the per-player balance bound, are dropped; the rest are taken
 * greedily, best first, as long as they share no search. The reference hands team size 1 to
 * {@link OneVsOneMatcher}; this class still works there but scores by rating gap only.
 */
public final class TeamMatcher {

  /**
   * Team matcher settings; the defaults are the reference's.
   *
   * @param maxRatingImbalance the team-sum difference that costs 1 quality (u = |ΣA−ΣB| / this)
   * @param maxRatingDeviation the spread of search averages that costs 1 quality
   * @param timeBonusPerFailedPop quality bonus per failed pop of a full team
   * @param maxTimeBonus cap of the time bonus of a full team
   * @param newbieBonusPerFailedPop newbie bonus per failed pop and newbie, over team size
   * @param maxNewbieBonus cap of the newbie bonus per newbie, over team size
   * @param highRatedPlayerRating no newbie bonus once anyone's displayed rating reaches this
   * @param minorityRatingRange distance from the rating peak that earns a full minority bonus
   * @param maxMinorityBonus cap of the minority bonus of a game
   * @param minimumQuality games below this quality are dropped
   * @param maxImbalancePerPlayer largest |ΣA−ΣB| / team size a game may have (the per-team balance
   *     bound asked for in FAForever/server#975; infinity disables it)
   */
  public record Config(
      double maxRatingImbalance,
      double maxRatingDeviation,
      double timeBonusPerFailedPop,
      double maxTimeBonus,
      double newbieBonusPerFailedPop,
      double maxNewbieBonus,
      double highRatedPlayerRating,
      double minorityRatingRange,
      double maxMinorityBonus,
      double minimumQuality,
      double maxImbalancePerPlayer) {

    /** Reference values, with a per-player balance bound of 400 rating points. */
    public static final Config DEFAULT =
        new Config(250, 250, 0.01, 0.2, 0.25, 3.0, 1400, 1250, 1.0, 0.4, 400);

    public Config {
      if (!(maxRatingImbalance > 0) || !(maxRatingDeviation > 0) || !(minorityRatingRange > 0)
          || !(maxImbalancePerPlayer >= 0)) {
        throw new IllegalArgumentException("invalid team matcher config");
      }
    }

    /** The same settings with another minimum quality. */
    public Config withMinimumQuality(double minimum) {
      return new Config(maxRatingImbalance, maxRatingDeviation, timeBonusPerFailedPop, maxTimeBonus,
          newbieBonusPerFailedPop, maxNewbieBonus, highRatedPlayerRating, minorityRatingRange,
          maxMinorityBonus, minimum, maxImbalancePerPlayer);
    }

    /** The same settings with another per-player balance bound. */
    public Config withMaxImbalancePerPlayer(double bound) {
      return new Config(maxRatingImbalance, maxRatingDeviation, timeBonusPerFailedPop, maxTimeBonus,
          newbieBonusPerFailedPop, maxNewbieBonus, highRatedPlayerRating, minorityRatingRange,
          maxMinorityBonus, minimumQuality, bound);
    }
  }

  /** The rating peak used when the journal has no data. */
  public static final double DEFAULT_RATING_PEAK = 1000;
  /** Weight of a party's size in the Karmarkar–Karp split, large enough to force equal team sizes. */
  static final double SIZE_WEIGHT = 5000;

  private final int teamSize;
  private final Config config;

  public TeamMatcher(int teamSize) {
    this(teamSize, Config.DEFAULT);
  }

  public TeamMatcher(int teamSize, Config config) {
    if (teamSize < 1) {
      throw new IllegalArgumentException("team size must be at least 1");
    }
    this.teamSize = teamSize;
    this.config = config;
  }

  /** Finds games with the default rating peak. */
  public MatchResult find(List<Search> searches) {
    return find(searches, DEFAULT_RATING_PEAK);
  }

  /**
   * Finds games among the searches of one pop.
   *
   * @param searches the queue's searches; parties larger than the team size are never matched
   * @param ratingPeak the most common displayed rating of the leaderboard (minority bonus centre)
   */
  public MatchResult find(List<Search> searches, double ratingPeak) {
    List<Search> sorted = new ArrayList<>();
    for (Search s : searches) {
      if (s.size() <= teamSize) {
        sorted.add(s);
      }
    }
    sorted.sort(Comparator.comparingDouble(Search::averageRating).thenComparingInt(Search::tieBreaker));

    List<Match> candidates = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      List<Search> participants = pickNeighbours(sorted, i);
      if (participants == null) {
        continue;
      }
      Match teams = makeTeams(participants);
      if (teams == null) {
        continue;
      }
      double q = quality(teams.teamA(), teams.teamB(), ratingPeak);
      if (q >= config.minimumQuality() && withinBalanceBound(teams)) {
        candidates.add(new Match(teams.teamA(), teams.teamB(), q));
      }
    }
    candidates.sort(Comparator.comparingDouble(Match::quality).reversed()
        .thenComparingInt(m -> m.teamA().get(0).tieBreaker()));

    List<Match> chosen = new ArrayList<>();
    Map<Search, Boolean> used = new IdentityHashMap<>();
    Set<Integer> usedPlayers = new HashSet<>();
    for (Match m : candidates) {
      List<Search> all = m.searches();
      boolean free = all.stream().noneMatch(used::containsKey)
          && Collections.disjoint(usedPlayers, m.playerIds())
          && new HashSet<>(m.playerIds()).size() == m.playerIds().size();
      if (free) {
        chosen.add(m);
        all.forEach(s -> used.put(s, Boolean.TRUE));
        usedPlayers.addAll(m.playerIds());
      }
    }
    List<Search> unmatched = new ArrayList<>();
    for (Search s : searches) {
      if (!used.containsKey(s)) {
        unmatched.add(s);
      }
    }
    return new MatchResult(chosen, unmatched);
  }

  /**
   * The search at {@code index} plus neighbours taken alternately below and above it until the game
   * is full; parties that would overflow are skipped. Null when the game cannot be filled.
   */
  List<Search> pickNeighbours(List<Search> sorted, int index) {
    int needed = 2 * teamSize;
    List<Search> picked = new ArrayList<>();
    picked.add(sorted.get(index));
    int players = sorted.get(index).size();
    for (int d = 1; players < needed && (index - d >= 0 || index + d < sorted.size()); d++) {
      if (index - d >= 0 && players + sorted.get(index - d).size() <= needed) {
        picked.add(sorted.get(index - d));
        players += sorted.get(index - d).size();
      }
      if (index + d < sorted.size() && players + sorted.get(index + d).size() <= needed) {
        picked.add(sorted.get(index + d));
        players += sorted.get(index + d).size();
      }
    }
    return players == needed ? picked : null;
  }

  /**
   * Splits exactly 2·team size players into two teams of team size (quality 0 placeholder), or
   * null when the parties cannot be split evenly.
   */
  Match makeTeams(List<Search> participants) {
    for (Search s : participants) {
      if (s.size() == teamSize) {
        List<Search> rest = new ArrayList<>(participants);
        rest.remove(s);
        return new Match(List.of(s), rest, 0);
      }
    }
    if (teamSize >= 2) {
      Search almostFull = null;
      for (Search s : participants) {
        if (s.size() == teamSize - 1) {
          almostFull = s;
          break;
        }
      }
      if (almostFull != null) {
        Match best = null;
        double bestGap = Double.POSITIVE_INFINITY;
        for (Search single : participants) {
          if (single.size() != 1) {
            continue;
          }
          List<Search> rest = new ArrayList<>(participants);
          rest.remove(almostFull);
          rest.remove(single);
          Match m = new Match(List.of(almostFull, single), rest, 0);
          double gap = Math.abs(m.cumulativeRatingA() - m.cumulativeRatingB());
          if (gap < bestGap) {
            bestGap = gap;
            best = m;
          }
        }
        if (best != null) {
          return best;
        }
      }
    }
    return karmarkarKarp(participants);
  }

  private Match karmarkarKarp(List<Search> participants) {
    PriorityQueue<Partition> heap = new PriorityQueue<>(
        Comparator.comparingDouble(Partition::value).reversed().thenComparingInt(Partition::order));
    int order = 0;
    for (Search s : participants) {
      heap.add(new Partition(SIZE_WEIGHT * s.size() + s.cumulativeRating(), List.of(s), List.of(), order++));
    }
    while (heap.size() > 1) {
      Partition x = heap.poll();
      Partition y = heap.poll();
      // Putting the two largest on opposite sides leaves only their difference to balance.
      List<Search> a = new ArrayList<>(x.a());
      a.addAll(y.b());
      List<Search> b = new ArrayList<>(x.b());
      b.addAll(y.a());
      heap.add(new Partition(x.value() - y.value(), a, b, order++));
    }
    Partition p = heap.poll();
    int sizeA = p.a().stream().mapToInt(Search::size).sum();
    int sizeB = p.b().stream().mapToInt(Search::size).sum();
    if (sizeA != teamSize || sizeB != teamSize) {
      return null;
    }
    return new Match(p.a(), p.b(), 0);
  }

  /**
   * The reference's game quality: 1 − √(u² + v²) + time + minority (+ newbie when nobody is high
   * rated), u = |ΣA−ΣB| / maxRatingImbalance, v = pstdev(search averages) / maxRatingDeviation.
   */
  public double quality(List<Search> teamA, List<Search> teamB, double ratingPeak) {
    double sumA = 0;
    double sumB = 0;
    for (Search s : teamA) {
      sumA += s.cumulativeRating();
    }
    for (Search s : teamB) {
      sumB += s.cumulativeRating();
    }
    List<Search> all = new ArrayList<>(teamA);
    all.addAll(teamB);

    double time = 0;
    double newbie = 0;
    double minority = 0;
    boolean highRated = false;
    double[] averages = new double[all.size()];
    for (int i = 0; i < all.size(); i++) {
      Search s = all.get(i);
      averages[i] = s.averageRating();
      double share = (double) s.size() / teamSize;
      int f = s.failedAttempts();
      time += Math.min(config.timeBonusPerFailedPop() * f * share, config.maxTimeBonus() * share);
      double newbies = (double) s.newbieCount() / teamSize;
      newbie += Math.min(config.newbieBonusPerFailedPop() * f * newbies, config.maxNewbieBonus() * newbies);
      minority += Math.pow((s.averageRating() - ratingPeak) / config.minorityRatingRange(), 4) * share;
      highRated |= s.maxDisplayedRating() >= config.highRatedPlayerRating();
    }
    double u = Math.abs(sumA - sumB) / config.maxRatingImbalance();
    double v = populationStdDev(averages) / config.maxRatingDeviation();
    double q = 1 - Math.sqrt(u * u + v * v) + time + Math.min(minority, config.maxMinorityBonus());
    if (!highRated) {
      q += newbie;
    }
    return q;
  }

  private boolean withinBalanceBound(Match m) {
    return Math.abs(m.cumulativeRatingA() - m.cumulativeRatingB()) / teamSize
        <= config.maxImbalancePerPlayer();
  }

  static double populationStdDev(double[] xs) {
    if (xs.length == 0) {
      return 0;
    }
    double mean = 0;
    for (double x : xs) {
      mean += x;
    }
    mean /= xs.length;
    double var = 0;
    for (double x : xs) {
      var += (x - mean) * (x - mean);
    }
    return Math.sqrt(var / xs.length);
  }

  private record Partition(double value, List<Search> a, List<Search> b, int order) {}
}
