package dev.skirmish.common.rating;

/**
 * Standard normal distribution helpers (mean 0, standard deviation 1) used by {@link TrueSkill}.
 *
 * <p>{@link #cdf} is computed from a Chebyshev approximation of the complementary error function
 * (Press et al., <i>Numerical Recipes</i>, {@code erfcc}; fractional error below 1.2e-7 everywhere),
 * which is the same precision class as the reference Python TrueSkill implementation.
 * {@link #inverseCdf} uses Peter Acklam's rational approximation (relative error below 1.15e-9),
 * followed by one Halley step against {@link #cdf} so that the two functions agree with each other.
 */
public final class Gaussian {

  private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2 * Math.PI);
  private static final double SQRT_2 = Math.sqrt(2);

  private Gaussian() {
  }

  /** Probability density of the standard normal distribution at {@code x}. */
  public static double pdf(double x) {
    return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
  }

  /** Cumulative distribution of the standard normal distribution: P(X ≤ {@code x}). */
  public static double cdf(double x) {
    return 0.5 * erfc(-x / SQRT_2);
  }

  /**
   * Quantile function of the standard normal distribution: the {@code x} with cdf(x) = {@code p}.
   *
   * @param p a probability strictly between 0 and 1
   */
  public static double inverseCdf(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("probability must be in (0, 1): " + p);
    }
    double x = acklam(p);
    // One Halley refinement step: removes the residual mismatch between acklam() and our own cdf().
    double e = cdf(x) - p;
    double u = e / pdf(x);
    return x - u / (1 + x * u / 2);
  }

  /** Complementary error function, erfc(z) = 1 − erf(z). */
  static double erfc(double z) {
    double a = Math.abs(z);
    double t = 1.0 / (1.0 + 0.5 * a);
    double poly = -a * a - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
        + t * (-0.82215223 + t * 0.17087277))))))));
    double r = t * Math.exp(poly);
    return z >= 0 ? r : 2.0 - r;
  }

  private static final double[] A = {
      -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
      1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
  private static final double[] B = {
      -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
      6.680131188771972e+01, -1.328068155288572e+01};
  private static final double[] C = {
      -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
      -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
  private static final double[] D = {
      7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
      3.754408661907416e+00};
  private static final double P_LOW = 0.02425;

  private static double acklam(double p) {
    if (p < P_LOW) {
      double q = Math.sqrt(-2 * Math.log(p));
      return tail(q);
    }
    if (p > 1 - P_LOW) {
      double q = Math.sqrt(-2 * Math.log(1 - p));
      return -tail(q);
    }
    double q = p - 0.5;
    double r = q * q;
    return (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
        / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  }

  private static double tail(double q) {
    return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
        / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
}
