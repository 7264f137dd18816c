package dev.skirmish.matchmaker.algorithm;

import java.util.List;

/**
 * Predicted quality of a game between teams, in [0, 1] (1 = perfectly even).
 *
 * <p>Each team is a list of {@code {mean, deviation}} pairs. The production implementation is
 * TrueSkill's match quality; it is kept behind this interface so the matching algorithms do not
 * depend on a particular rating library.
 */
@FunctionalInterface
public interface MatchQuality {

  /**
   * Quality of a game between the given teams.
   *
   * @param teams one list per team, each entry a {@code double[] {mean, deviation}}
   * @return the predicted quality, higher is better
   */
  double quality(List<List<double[]>> teams);
}
