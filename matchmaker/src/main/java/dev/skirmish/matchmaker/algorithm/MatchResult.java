package dev.skirmish.matchmaker.algorithm;

import java.util.List;

/**
 * The outcome of one pop: the games found and the searches left waiting.
 *
 * @param matches the games, no search appearing twice
 * @param unmatched the searches that are in no game
 */
public record MatchResult(List<Match> matches, List<Search> unmatched) {

  public MatchResult {
    matches = List.copyOf(matches);
    unmatched = List.copyOf(unmatched);
  }
}
