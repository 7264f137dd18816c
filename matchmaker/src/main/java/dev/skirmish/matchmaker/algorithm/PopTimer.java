package dev.skirmish.matchmaker.algorithm;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Decides how long a queue waits until its next pop.
 *
 * <p>The first pop comes after half the maximum. Afterwards the timer aims at a fixed number of
 * matches per pop: from the last few pops it estimates how fast players arrive (Σplayers/Σtime)
 * and waits as long as it takes to gather {@code desiredMatches · 2 · teamSize} players, clamped
 * to [min, max]. Not thread-safe; a queue's pops are serialized anyway.
 */
public final class PopTimer {

  /**
   * Pop timer settings.
   *
   * @param maxSeconds the longest wait between pops (also used when nobody has queued)
   * @param minSeconds the shortest wait between pops
   * @param desiredMatches how many games one pop should ideally produce
   * @param history how many past pops the arrival rate is estimated from
   */
  public record Config(double maxSeconds, double minSeconds, double desiredMatches, int history) {

    /** The reference values: 90 s cap, 15 s floor, 2.5 matches per pop, last 5 pops. */
    public static final Config DEFAULT = new Config(90, 15, 2.5, 5);

    public Config {
      if (!(minSeconds > 0) || !(maxSeconds >= minSeconds) || !(desiredMatches > 0) || history < 1) {
        throw new IllegalArgumentException("invalid pop timer config");
      }
    }
  }

  private final Config config;
  private final int teamSize;
  private final Deque<Integer> playerCounts = new ArrayDeque<>();
  private final Deque<Double> intervals = new ArrayDeque<>();

  /** A timer for a queue of the given team size with the reference settings. */
  public PopTimer(int teamSize) {
    this(Config.DEFAULT, teamSize);
  }

  public PopTimer(Config config, int teamSize) {
    if (teamSize < 1) {
      throw new IllegalArgumentException("team size must be at least 1");
    }
    this.config = config;
    this.teamSize = teamSize;
  }

  /** The wait before the very first pop: half the maximum, not below the minimum. */
  public double firstPopSeconds() {
    return clamp(config.maxSeconds() / 2);
  }

  /**
   * Records a pop and returns the wait until the next one.
   *
   * @param playersQueued players in the queue at this pop
   * @param intervalSeconds time since the previous pop (or since the queue started)
   * @return seconds until the next pop, within [min, max]
   */
  public double recordPop(int playersQueued, double intervalSeconds) {
    playerCounts.addLast(Math.max(0, playersQueued));
    intervals.addLast(Double.isFinite(intervalSeconds) ? Math.max(0, intervalSeconds) : 0);
    while (playerCounts.size() > config.history()) {
      playerCounts.removeFirst();
      intervals.removeFirst();
    }
    return nextPopSeconds();
  }

  /** The wait until the next pop computed from the recorded history, within [min, max]. */
  public double nextPopSeconds() {
    if (playerCounts.isEmpty()) {
      return firstPopSeconds();
    }
    long players = 0;
    for (int n : playerCounts) {
      players += n;
    }
    double time = 0;
    for (double t : intervals) {
      time += t;
    }
    if (players == 0) {
      return config.maxSeconds();
    }
    double desiredPlayers = config.desiredMatches() * 2 * teamSize;
    return clamp(desiredPlayers * time / players);
  }

  private double clamp(double seconds) {
    // NaN or negative estimates (clock skew, reference bug #970) fall to the floor, not below it.
    if (!(seconds >= config.minSeconds())) {
      return config.minSeconds();
    }
    return Math.min(seconds, config.maxSeconds());
  }
}
