package dev.skirmish.matchmaker.algorithm;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Builders and random queues shared by the matcher tests. */
final class Fixtures {

  private Fixtures() {}

  /** An established player (100 games). */
  static PlayerRating player(int id, double mean, double dev) {
    return new PlayerRating(id, mean, dev, 100);
  }

  static Search solo(int id, double mean, double dev) {
    return Search.of(player(id, mean, dev));
  }

  static Search solo(int id, double mean, double dev, int failed) {
    return new Search(List.of(player(id, mean, dev)), failed, 0);
  }

  /** A random player: ratings around 1500, some newbies, some uncertain. */
  static PlayerRating randomPlayer(Random rnd, int id) {
    double mean = 1500 + rnd.nextGaussian() * 400;
    double dev = 40 + rnd.nextDouble() * 460;
    int games = rnd.nextInt(5) == 0 ? rnd.nextInt(11) : 11 + rnd.nextInt(300);
    return new PlayerRating(id, mean, dev, games);
  }

  /** A random queue of parties of 1..teamSize players (mostly solo) with unique player ids. */
  static List<Search> randomQueue(Random rnd, int searches, int teamSize, int maxFailed) {
    List<Search> out = new ArrayList<>();
    int nextId = 1;
    for (int i = 0; i < searches; i++) {
      int size = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(teamSize) : 1;
      List<PlayerRating> players = new ArrayList<>();
      for (int p = 0; p < size; p++) {
        players.add(randomPlayer(rnd, nextId++));
      }
      int failed = maxFailed == 0 ? 0 : rnd.nextInt(maxFailed + 1);
      out.add(new Search(players, failed, rnd.nextDouble() * 300));
    }
    return out;
  }

  /** The same parties with the given failed attempts and queue time. */
  static List<Search> withWait(List<Search> searches, int failed, double seconds) {
    return searches.stream().map(s -> new Search(s.players(), failed, seconds)).toList();
  }
}
