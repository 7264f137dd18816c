package dev.skirmish.common.rating;

/**
 * A player's skill belief as a normal distribution, in the units of the {@link TrueSkill}
 * environment that produced it (rating points; FAF uses mean 1500, deviation 500 for a new player).
 *
 * @param mean      the estimated skill (mu)
 * @param deviation the standard deviation of that estimate (sigma), always positive
 */
public record Rating(double mean, double deviation) {

  public Rating {
    if (!Double.isFinite(mean)) {
      throw new IllegalArgumentException("mean must be finite: " + mean);
    }
    if (!(deviation > 0) || !Double.isFinite(deviation)) {
      throw new IllegalArgumentException("deviation must be positive and finite: " + deviation);
    }
  }

  /** The conservative rating shown to players, mean − 3·deviation (FAF's "displayed rating"). */
  public double displayed() {
    return mean - 3 * deviation;
  }
}
