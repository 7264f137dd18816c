package dev.skirmish.matchmaker.algorithm;

/**
 * One player's rating in the leaderboard of a queue.
 *
 * @param playerId the player's id
 * @param mean TrueSkill mean
 * @param deviation TrueSkill deviation
 * @param gamesPlayed games played in this leaderboard
 */
public record PlayerRating(int playerId, double mean, double deviation, int gamesPlayed) {

  /** A player with at most this many games in the leaderboard is a newbie. */
  public static final int NEWBIE_MAX_GAMES = 10;
  /** The mean a newbie is pulled towards while matching. */
  public static final double NEWBIE_BASE_MEAN = 500.0;

  public PlayerRating {
    if (deviation < 0 || gamesPlayed < 0 || !Double.isFinite(mean) || !Double.isFinite(deviation)) {
      throw new IllegalArgumentException("invalid rating for player " + playerId);
    }
  }

  /** Whether the player has at most {@link #NEWBIE_MAX_GAMES} games. */
  public boolean isNewbie() {
    return gamesPlayed <= NEWBIE_MAX_GAMES;
  }

  /**
   * The mean used for matching: a newbie's mean is blended with {@link #NEWBIE_BASE_MEAN},
   * ((10 − n)·500 + n·mean)/10, so new players meet weaker opponents until their rating settles.
   */
  public double adjustedMean() {
    if (!isNewbie()) {
      return mean;
    }
    return ((NEWBIE_MAX_GAMES - gamesPlayed) * NEWBIE_BASE_MEAN + gamesPlayed * mean) / NEWBIE_MAX_GAMES;
  }

  /** The displayed rating of the adjusted rating: adjusted mean − 3·deviation. */
  public double displayed() {
    return adjustedMean() - 3 * deviation;
  }

  /** The displayed rating of the raw rating: mean − 3·deviation. */
  public double rawDisplayed() {
    return mean - 3 * deviation;
  }
}
