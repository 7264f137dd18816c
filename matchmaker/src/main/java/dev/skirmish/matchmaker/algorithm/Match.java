package dev.skirmish.matchmaker.algorithm;

import java.util.ArrayList;
import java.util.List;

/**
 * A game found by a matcher: two teams, each made of whole searches (parties are never split).
 *
 * @param teamA the searches of the first team
 * @param teamB the searches of the second team
 * @param quality the quality the matcher scored the game with
 */
public record Match(List<Search> teamA, List<Search> teamB, double quality) {

  public Match {
    teamA = List.copyOf(teamA);
    teamB = List.copyOf(teamB);
  }

  /** Every search of the game, team A first. */
  public List<Search> searches() {
    List<Search> all = new ArrayList<>(teamA);
    all.addAll(teamB);
    return all;
  }

  /** Every player id of the game, team A first. */
  public List<Integer> playerIds() {
    return searches().stream().flatMap(s -> s.playerIds().stream()).toList();
  }

  /** Sum of team A's displayed ratings. */
  public double cumulativeRatingA() {
    return teamA.stream().mapToDouble(Search::cumulativeRating).sum();
  }

  /** Sum of team B's displayed ratings. */
  public double cumulativeRatingB() {
    return teamB.stream().mapToDouble(Search::cumulativeRating).sum();
  }
}
