package dev.skirmish.matchmaker.algorithm;

import dev.skirmish.common.rating.Rating;
import dev.skirmish.common.rating.TrueSkill;

import java.util.ArrayList;
import java.util.List;

/** {@link MatchQuality} of the shared TrueSkill environment (FAF parameters by default). */
public final class TrueSkillQuality implements MatchQuality {

  private final TrueSkill environment;

  public TrueSkillQuality() {
    this(TrueSkill.faf());
  }

  public TrueSkillQuality(TrueSkill environment) {
    this.environment = environment;
  }

  @Override
  public double quality(List<List<double[]>> teams) {
    List<List<Rating>> ratings = new ArrayList<>(teams.size());
    for (List<double[]> team : teams) {
      List<Rating> r = new ArrayList<>(team.size());
      for (double[] meanAndDeviation : team) {
        r.add(new Rating(meanAndDeviation[0], meanAndDeviation[1]));
      }
      ratings.add(r);
    }
    return environment.quality(ratings);
  }
}
