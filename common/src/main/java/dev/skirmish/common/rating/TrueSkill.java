package dev.skirmish.common.rating;

import java.util.ArrayList;
import java.util.List;

/**
 * A TrueSkill environment for games between exactly two teams of any sizes (Herbrich, Minka and
 * Graepel, "TrueSkill: A Bayesian Skill Rating System", 2006). All parameters are in rating points.
 *
 * <p>Immutable and thread-safe.
 *
 * @param mu              mean of a new player's rating
 * @param sigma           deviation of a new player's rating
 * @param beta            performance deviation: the skill gap that gives the stronger player about
 *                        a 76% chance of winning
 * @param tau             dynamics factor, added (in quadrature) to every deviation before an update
 *                        so ratings can keep moving
 * @param drawProbability probability of a draw between two equally rated teams, in [0, 1)
 */
public record TrueSkill(double mu, double sigma, double beta, double tau, double drawProbability) {

  public TrueSkill {
    if (!Double.isFinite(mu)) {
      throw new IllegalArgumentException("mu must be finite: " + mu);
    }
    if (!(sigma > 0) || !(beta > 0) || !(tau >= 0)
        || !Double.isFinite(sigma) || !Double.isFinite(beta) || !Double.isFinite(tau)) {
      throw new IllegalArgumentException("sigma and beta must be positive, tau non-negative");
    }
    if (!(drawProbability >= 0 && drawProbability < 1)) {
      throw new IllegalArgumentException("drawProbability must be in [0, 1): " + drawProbability);
    }
  }

  /** FAF's environment: mu 1500, sigma 500, beta 240, tau 10, draw probability 0.10. */
  public static TrueSkill faf() {
    return new TrueSkill(1500, 500, 240, 10, 0.10);
  }

  /**
   * The original TrueSkill defaults: mu 25, sigma 25/3, beta 25/6, tau 25/300, draw probability
   * 0.10 (matching the reference implementation's published examples).
   */
  public static TrueSkill standard() {
    return new TrueSkill(25, 25.0 / 3, 25.0 / 6, 25.0 / 300, 0.10);
  }

  /** The rating of a player who has not played yet: (mu, sigma). */
  public Rating defaultRating() {
    return new Rating(mu, sigma);
  }

  /**
   * Updates the ratings of all players after a game between two teams.
   *
   * @param teams exactly two non-empty teams of current ratings
   * @param ranks the finishing rank of each team, lower is better: {@code [0,1]} team 0 won,
   *              {@code [1,0]} team 1 won, equal ranks (e.g. {@code [0,0]}) a draw
   * @return the new ratings, in the same shape and order as {@code teams}
   */
  public List<List<Rating>> rate(List<List<Rating>> teams, int[] ranks) {
    checkTeams(teams);
    if (ranks == null || ranks.length != 2) {
      throw new IllegalArgumentException("exactly two ranks are required");
    }
    boolean draw = ranks[0] == ranks[1];
    // Orient the update so that "first" is the winner (or team 0 in a draw).
    int first = ranks[0] <= ranks[1] ? 0 : 1;
    List<Rating> winners = teams.get(first);
    List<Rating> losers = teams.get(1 - first);

    double tau2 = tau * tau;
    int players = winners.size() + losers.size();
    double c2 = players * beta * beta + sumVariance(winners) + sumVariance(losers) + players * tau2;
    double c = Math.sqrt(c2);
    double t = (sumMean(winners) - sumMean(losers)) / c;
    double e = drawMargin(players) / c;

    double v;
    double w;
    if (draw) {
      v = vDraw(t, e);
      w = wDraw(t, e);
    } else {
      v = vWin(t, e);
      w = wWin(t, e);
    }

    List<List<Rating>> result = new ArrayList<>(List.of(List.of(), List.of()));
    result.set(first, update(winners, +1, v, w, c, c2));
    result.set(1 - first, update(losers, -1, v, w, c, c2));
    return List.copyOf(result);
  }

  /**
   * The match quality of a game between two teams: the probability of a draw relative to the
   * highest possible draw probability, in (0, 1]. Higher means a more even game; exactly 1 would
   * need equal means and zero uncertainty.
   *
   * @param teams exactly two non-empty teams of ratings
   */
  public double quality(List<List<Rating>> teams) {
    checkTeams(teams);
    List<Rating> a = teams.get(0);
    List<Rating> b = teams.get(1);
    int players = a.size() + b.size();
    double beta2n = players * beta * beta;
    double denominator = beta2n + sumVariance(a) + sumVariance(b);
    double diff = sumMean(a) - sumMean(b);
    return Math.sqrt(beta2n / denominator) * Math.exp(-diff * diff / (2 * denominator));
  }

  /** The absolute performance difference below which a game counts as a draw. */
  private double drawMargin(int players) {
    if (drawProbability == 0) {
      return 0;
    }
    return Gaussian.inverseCdf((drawProbability + 1) / 2) * Math.sqrt(players) * beta;
  }

  private List<Rating> update(List<Rating> team, int sign, double v, double w, double c, double c2) {
    List<Rating> out = new ArrayList<>(team.size());
    for (Rating r : team) {
      double variance = r.deviation() * r.deviation() + tau * tau;
      double mean = r.mean() + sign * variance / c * v;
      // w is in (0, 1) analytically; the floor only guards against rounding at extreme inputs.
      double factor = Math.max(1 - variance / c2 * w, 1e-12);
      out.add(new Rating(mean, Math.sqrt(variance * factor)));
    }
    return List.copyOf(out);
  }

  /** Mean additive correction for a win with normalized performance difference t and margin e. */
  static double vWin(double t, double e) {
    double x = t - e;
    double denominator = Gaussian.cdf(x);
    if (denominator < 1e-300) {
      // Huge upset: the ratio tends to -x.
      return -x;
    }
    return Gaussian.pdf(x) / denominator;
  }

  /** Variance multiplicative correction for a win. */
  static double wWin(double t, double e) {
    double x = t - e;
    if (Gaussian.cdf(x) < 1e-300) {
      return 1;
    }
    double v = vWin(t, e);
    return v * (v + x);
  }

  /** Mean additive correction for a draw, from the point of view of the first team. */
  static double vDraw(double t, double e) {
    double a = e - Math.abs(t);
    double b = -e - Math.abs(t);
    double denominator = Gaussian.cdf(a) - Gaussian.cdf(b);
    // The far tail of a draw against a much stronger team pulls by about the distance to the margin.
    double v = denominator < 1e-300 ? a : (Gaussian.pdf(b) - Gaussian.pdf(a)) / denominator;
    return t < 0 ? -v : v;
  }

  /** Variance multiplicative correction for a draw. */
  static double wDraw(double t, double e) {
    double abs = Math.abs(t);
    double a = e - abs;
    double b = -e - abs;
    double denominator = Gaussian.cdf(a) - Gaussian.cdf(b);
    if (denominator < 1e-300) {
      return 1;
    }
    double v = vDraw(abs, e);
    return v * v + (a * Gaussian.pdf(a) - b * Gaussian.pdf(b)) / denominator;
  }

  private static double sumMean(List<Rating> team) {
    double sum = 0;
    for (Rating r : team) {
      sum += r.mean();
    }
    return sum;
  }

  private static double sumVariance(List<Rating> team) {
    double sum = 0;
    for (Rating r : team) {
      sum += r.deviation() * r.deviation();
    }
    return sum;
  }

  private static void checkTeams(List<List<Rating>> teams) {
    if (teams == null || teams.size() != 2) {
      throw new IllegalArgumentException("exactly two teams are required");
    }
    for (List<Rating> team : teams) {
      if (team == null || team.isEmpty()) {
        throw new IllegalArgumentException("teams must not be empty");
      }
      for (Rating r : team) {
        if (r == null) {
          throw new IllegalArgumentException("ratings must not be null");
        }
      }
    }
  }
}
