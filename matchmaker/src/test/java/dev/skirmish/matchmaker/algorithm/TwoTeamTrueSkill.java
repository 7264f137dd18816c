package dev.skirmish.matchmaker.algorithm;

import java.util.List;

/**
 * Test-only TrueSkill match quality for two teams (beta 240), standing in for the shared rating
 * library: sqrt(Nβ²/c²)·exp(−(ΣμA−ΣμB)²/(2c²)) with c² = Nβ² + Σσ².
 */
final class TwoTeamTrueSkill implements MatchQuality {

  static final double BETA = 240;

  @Override
  public double quality(List<List<double[]>> teams) {
    if (teams.size() != 2) {
      throw new IllegalArgumentException("two teams only");
    }
    int n = 0;
    double variance = 0;
    double[] sums = new double[2];
    for (int t = 0; t < 2; t++) {
      for (double[] r : teams.get(t)) {
        n++;
        sums[t] += r[0];
        variance += r[1] * r[1];
      }
    }
    double base = n * BETA * BETA;
    double c2 = base + variance;
    double diff = sums[0] - sums[1];
    return Math.sqrt(base / c2) * Math.exp(-diff * diff / (2 * c2));
  }
}
