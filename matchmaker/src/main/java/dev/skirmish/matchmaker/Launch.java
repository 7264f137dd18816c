package dev.skirmish.matchmaker;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;

/** How a found game is set up: factions, teams and slots, title and map. Pure and seedable. */
final class Launch {

  /** Faction names by their protocol number minus one. */
  static final List<String> FACTIONS = List.of("uef", "aeon", "cybran", "seraphim", "nomad");

  private Launch() {
  }

  /** One matched player as stored in their search. */
  record Player(int id, String login, String clan, double displayed, List<String> factions) {
  }

  /** A player's place in the game. */
  record Slot(int id, String login, int team, int faction, int startSpot) {

    JsonObject toJson() {
      return new JsonObject().put("id", id).put("login", login).put("team", team).put("faction", faction)
        .put("startSpot", startSpot);
    }
  }

  /** The players of one stored search. */
  static List<Player> players(JsonObject search) {
    List<Player> out = new ArrayList<>();
    for (Object o : search.getJsonArray("players")) {
      JsonObject p = (JsonObject) o;
      List<String> factions = new ArrayList<>();
      for (Object f : p.getJsonArray("factions", new JsonArray())) {
        factions.add(String.valueOf(f));
      }
      out.add(new Player(p.getInteger("id"), p.getString("login"), p.getString("clan"),
        p.getDouble("mean") - 3 * p.getDouble("dev"), factions));
    }
    return out;
  }

  /** The players of stored searches, in order. */
  static List<Player> playersOf(List<JsonObject> searches) {
    List<Player> out = new ArrayList<>();
    searches.forEach(s -> out.addAll(players(s)));
    return out;
  }

  /** Parses a faction given as a name or a number 1–5; null if it is neither. */
  static String parseFaction(Object value) {
    if (value instanceof Number n && n.doubleValue() == n.intValue() && n.intValue() >= 1 && n.intValue() <= FACTIONS.size()) {
      return FACTIONS.get(n.intValue() - 1);
    }
    if (value instanceof String s && FACTIONS.contains(s.trim().toLowerCase(Locale.ROOT))) {
      return s.trim().toLowerCase(Locale.ROOT);
    }
    return null;
  }

  /** A random faction number from a player's list (any of the four main factions if the list is empty). */
  static int pickFaction(List<String> factions, Random random) {
    List<String> choices = factions.isEmpty() ? FACTIONS.subList(0, 4) : factions;
    String f = choices.get(random.nextInt(choices.size()));
    int index = FACTIONS.indexOf(f);
    return index < 0 ? 1 : index + 1;
  }

  /**
   * Slots of a game: each team sorted by displayed rating, the teams paired by index, the pairs shuffled;
   * the i-th player of the interleaved order plays for team 2 (even i) or 3 (odd i) at start spot i+1. The
   * first player of team A hosts and comes first in the result; the others follow in start-spot order.
   */
  static List<Slot> slots(List<Player> teamA, List<Player> teamB, Random random) {
    Player host = teamA.get(0);
    List<Player> a = new ArrayList<>(teamA);
    List<Player> b = new ArrayList<>(teamB);
    a.sort(Comparator.comparingDouble(Player::displayed));
    b.sort(Comparator.comparingDouble(Player::displayed));
    List<Player[]> pairs = new ArrayList<>();
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      pairs.add(new Player[] {i < a.size() ? a.get(i) : null, i < b.size() ? b.get(i) : null});
    }
    java.util.Collections.shuffle(pairs, random);
    List<Slot> ordered = new ArrayList<>();
    int i = 0;
    for (Player[] pair : pairs) {
      for (int side = 0; side < 2; side++) {
        Player p = pair[side];
        if (p != null) {
          ordered.add(new Slot(p.id(), p.login(), side == 0 ? 2 : 3, pickFaction(p.factions(), random), i + 1));
        }
        i++;
      }
    }
    List<Slot> out = new ArrayList<>();
    ordered.stream().filter(s -> s.id() == host.id()).forEach(out::add);
    ordered.stream().filter(s -> s.id() != host.id()).forEach(out::add);
    return out;
  }

  /** The name of a team: the login of a solo player, else {@code Team <tag>} for a shared clan, else {@code Team <first login>}. */
  static String teamName(List<Player> team) {
    if (team.size() == 1) {
      return team.get(0).login();
    }
    String clan = team.get(0).clan();
    if (clan != null && team.stream().allMatch(p -> Objects.equals(clan, p.clan()))) {
      return "Team " + clan;
    }
    return "Team " + team.get(0).login();
  }

  static String title(List<Player> teamA, List<Player> teamB) {
    return teamName(teamA) + " Vs " + teamName(teamB);
  }

  /** The mean displayed rating of the players. */
  static double meanRating(List<Player> players) {
    return players.stream().mapToDouble(Player::displayed).average().orElse(0);
  }

  /**
   * A map for a game of players whose mean displayed rating is {@code rating}: the first pool whose bracket
   * holds it, then a weighted random pick among its fixed maps. Null when no pool serves the rating or
   * it has no fixed map.
   */
  static QueueDef.PoolMap chooseMap(QueueDef queue, double rating, Random random) {
    return chooseMap(queue, rating, List.of(), Map.of(), random);
  }

  /** The first pool of the queue whose bracket holds {@code rating}, or null. */
  static QueueDef.MapPool poolFor(QueueDef queue, double rating) {
    return queue.pools().stream().filter(p -> p.serves(rating)).findFirst().orElse(null);
  }

  /**
   * A map for a game: in the pool serving {@code rating}, each fixed map's weight is multiplied by its veto
   * factor ({@link Vetoes#weights}, tokens summed over the players); maps left without weight are dropped
   * unless that drops them all; of the rest, only the least played ({@code played}: folder → times the
   * players recently played it) stay; then a weighted random pick. Null when no pool serves the rating or
   * it has no fixed map.
   */
  static QueueDef.PoolMap chooseMap(QueueDef queue, double rating, Collection<List<Vetoes.Veto>> vetoes,
                                    Map<String, Integer> played, Random random) {
    QueueDef.MapPool pool = poolFor(queue, rating);
    if (pool == null) {
      return null;
    }
    List<QueueDef.PoolMap> maps = pool.maps().stream().filter(m -> m.folder() != null && m.weight() > 0).toList();
    if (maps.isEmpty()) {
      return null;
    }
    Map<Integer, Double> weights = Vetoes.weights(pool, Vetoes.tokensOn(pool, vetoes));
    List<QueueDef.PoolMap> allowed = maps.stream().filter(m -> weights.get(m.id()) > 0).toList();
    if (allowed.isEmpty()) {
      allowed = maps;
      weights.replaceAll((id, w) -> (double) pool.map(id).weight());
    }
    return pickWeighted(leastPlayed(allowed, played), weights, random);
  }

  /** The maps played least often ({@code played}: folder → count; absent = never). */
  static List<QueueDef.PoolMap> leastPlayed(List<QueueDef.PoolMap> maps, Map<String, Integer> played) {
    int least = maps.stream().mapToInt(m -> played.getOrDefault(m.folder(), 0)).min().orElse(0);
    return maps.stream().filter(m -> played.getOrDefault(m.folder(), 0) == least).toList();
  }

  /** How often each folder occurs among recently played map files (e.g. {@code maps/scmp_007.zip}). */
  static Map<String, Integer> playCounts(Collection<String> filenames) {
    Map<String, Integer> out = new HashMap<>();
    filenames.forEach(f -> out.merge(QueueDef.folderOf(f), 1, Integer::sum));
    return out;
  }

  private static QueueDef.PoolMap pickWeighted(List<QueueDef.PoolMap> maps, Map<Integer, Double> weights, Random random) {
    double total = maps.stream().mapToDouble(m -> weights.get(m.id())).sum();
    double pick = random.nextDouble() * total;
    for (QueueDef.PoolMap m : maps) {
      pick -= weights.get(m.id());
      if (pick < 0) {
        return m;
      }
    }
    return maps.get(maps.size() - 1);
  }
}
