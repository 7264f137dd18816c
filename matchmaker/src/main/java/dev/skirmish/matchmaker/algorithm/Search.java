package dev.skirmish.matchmaker.algorithm;

import java.util.ArrayList;
import java.util.List;

/**
 * A party's search in one queue: its players' ratings, how many pops it has already failed and
 * how long it has been waiting.
 *
 * <p>Immutable, with identity equality: two parties with identical ratings are still different
 * searches. Ratings used for matching are the newbie-adjusted ones (see
 * {@link PlayerRating#adjustedMean()}).
 */
public final class Search {

  private final List<PlayerRating> players;
  private final int failedAttempts;
  private final double secondsQueued;

  /**
   * Creates a search.
   *
   * @param players the party's players, at least one
   * @param failedAttempts pops this search went through without being matched
   * @param secondsQueued time since the search started
   */
  public Search(List<PlayerRating> players, int failedAttempts, double secondsQueued) {
    if (players.isEmpty()) {
      throw new IllegalArgumentException("a search needs at least one player");
    }
    if (failedAttempts < 0 || secondsQueued < 0 || !Double.isFinite(secondsQueued)) {
      throw new IllegalArgumentException("negative failed attempts or queue time");
    }
    this.players = List.copyOf(players);
    this.failedAttempts = failedAttempts;
    this.secondsQueued = secondsQueued;
  }

  /** A fresh search of the given players. */
  public static Search of(PlayerRating... players) {
    return new Search(List.of(players), 0, 0);
  }

  /** The same party after one more failed pop, having waited {@code extraSeconds} more. */
  public Search afterFailedPop(double extraSeconds) {
    return new Search(players, failedAttempts + 1, secondsQueued + extraSeconds);
  }

  public List<PlayerRating> players() {
    return players;
  }

  public List<Integer> playerIds() {
    return players.stream().map(PlayerRating::playerId).toList();
  }

  public int size() {
    return players.size();
  }

  public int failedAttempts() {
    return failedAttempts;
  }

  public double secondsQueued() {
    return secondsQueued;
  }

  /** The newbie-adjusted ratings as {@code {mean, deviation}} pairs, the input of {@link MatchQuality}. */
  public List<double[]> adjustedRatings() {
    List<double[]> out = new ArrayList<>(players.size());
    for (PlayerRating p : players) {
      out.add(new double[] {p.adjustedMean(), p.deviation()});
    }
    return out;
  }

  /** The displayed (adjusted mean − 3·dev) rating of each player. */
  public List<Double> displayedRatings() {
    return players.stream().map(PlayerRating::displayed).toList();
  }

  /** Sum of the players' displayed ratings. */
  public double cumulativeRating() {
    double sum = 0;
    for (PlayerRating p : players) {
      sum += p.displayed();
    }
    return sum;
  }

  /** Average of the players' displayed ratings. */
  public double averageRating() {
    return cumulativeRating() / players.size();
  }

  /** The highest displayed rating in the party. */
  public double maxDisplayedRating() {
    double max = Double.NEGATIVE_INFINITY;
    for (PlayerRating p : players) {
      max = Math.max(max, p.displayed());
    }
    return max;
  }

  /** How many players of the party are newbies. */
  public int newbieCount() {
    int n = 0;
    for (PlayerRating p : players) {
      if (p.isNewbie()) {
        n++;
      }
    }
    return n;
  }

  public boolean hasNewbie() {
    return newbieCount() > 0;
  }

  /**
   * Average adjusted mean where an uncertain player (deviation ≥ {@code uncertainDeviation})
   * counts as 0; the sort key of the large-queue 1v1 matching.
   */
  public double averageMeanForSorting(double uncertainDeviation) {
    double sum = 0;
    for (PlayerRating p : players) {
      sum += p.deviation() >= uncertainDeviation ? 0 : p.adjustedMean();
    }
    return sum / players.size();
  }

  /** The smallest player id, a stable tie-breaker between searches. */
  int tieBreaker() {
    int min = Integer.MAX_VALUE;
    for (PlayerRating p : players) {
      min = Math.min(min, p.playerId());
    }
    return min;
  }

  @Override
  public String toString() {
    return "Search" + playerIds() + "(failed=" + failedAttempts + ", queued=" + secondsQueued + "s)";
  }
}
