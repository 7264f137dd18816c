package dev.skirmish.matchmaker;

import dev.skirmish.common.Failures;
import dev.skirmish.common.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Map vetoes ({@code set_player_vetoes}): parsing, trimming to a bracket's token limits, and the weights they
 * give the maps of a pool at map choice. Pure.
 */
final class Vetoes {

  /** Tokens a player applied to one entry of one bracket. */
  record Veto(int poolId, int mapId, int tokens) {

    JsonObject toJson() {
      return new JsonObject().put("matchmaker_queue_map_pool_id", poolId).put("map_pool_map_version_id", mapId)
        .put("veto_tokens_applied", tokens);
    }

    static Veto fromJson(JsonObject o) {
      return new Veto(o.getInteger("matchmaker_queue_map_pool_id"), o.getInteger("map_pool_map_version_id"),
        o.getInteger("veto_tokens_applied"));
    }
  }

  private Vetoes() {
  }

  /** The vetoes of a {@code set_player_vetoes} message; a bad shape is a {@link Failures#BAD_REQUEST}. */
  static List<Veto> parse(JsonObject message) {
    Object value = message.getValue("vetoes");
    if (!(value instanceof JsonArray array)) {
      throw bad("set_player_vetoes needs a list 'vetoes'.");
    }
    List<Veto> out = new ArrayList<>();
    for (Object o : array) {
      if (!(o instanceof JsonObject v)) {
        throw bad("Each veto must be an object.");
      }
      out.add(new Veto(natural(v, "matchmaker_queue_map_pool_id"), natural(v, "map_pool_map_version_id"),
        natural(v, "veto_tokens_applied")));
    }
    return out;
  }

  private static int natural(JsonObject v, String key) {
    Object x = v.getValue(key);
    if (x instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.doubleValue() >= 0
      && n.doubleValue() <= Integer.MAX_VALUE) {
      return n.intValue();
    }
    throw bad("Veto field '" + key + "' must be a non-negative integer.");
  }

  private static ServiceException bad(String text) {
    return new ServiceException(Failures.BAD_REQUEST, text);
  }

  /**
   * The vetoes kept of a request: zero-token entries and entries naming no entry of a known bracket are
   * dropped, repeated entries merged, then in request order each entry is cut to the bracket's
   * {@code max_tokens_per_map} (when it is not dynamic) and to what remains of its
   * {@code veto_tokens_per_player}.
   */
  static List<Veto> trim(List<Veto> requested, Map<Integer, QueueDef.MapPool> pools) {
    Map<List<Integer>, Integer> merged = new LinkedHashMap<>();
    for (Veto v : requested) {
      QueueDef.MapPool pool = pools.get(v.poolId());
      if (v.tokens() <= 0 || pool == null || pool.map(v.mapId()) == null) {
        continue;
      }
      merged.merge(List.of(v.poolId(), v.mapId()), v.tokens(), (a, b) -> (int) Math.min(Integer.MAX_VALUE, (long) a + b));
    }
    Map<Integer, Integer> spent = new HashMap<>();
    List<Veto> out = new ArrayList<>();
    merged.forEach((key, tokens) -> {
      QueueDef.MapPool pool = pools.get(key.get(0));
      int left = pool.vetoTokensPerPlayer() - spent.getOrDefault(pool.id(), 0);
      int kept = Math.min(tokens, Math.max(0, left));
      if (pool.maxTokensPerMap() > 0) {
        kept = Math.min(kept, (int) Math.floor(pool.maxTokensPerMap()));
      }
      if (kept > 0) {
        spent.merge(pool.id(), kept, Integer::sum);
        out.add(new Veto(key.get(0), key.get(1), kept));
      }
    });
    return out;
  }

  /**
   * A player's stored vetoes against changed brackets: the set trimmed to them ({@link #trim}, stored order
   * first), or null when the stored set still fits.
   */
  static List<Veto> refit(List<Veto> stored, Map<Integer, QueueDef.MapPool> pools) {
    List<Veto> kept = trim(stored, pools);
    return same(kept, stored) ? null : kept;
  }

  /** Whether two veto lists hold the same tokens on the same entries (order and zero-token entries aside). */
  static boolean same(Collection<Veto> a, Collection<Veto> b) {
    return asSet(a).equals(asSet(b));
  }

  private static Set<Veto> asSet(Collection<Veto> vetoes) {
    Set<Veto> out = new LinkedHashSet<>();
    vetoes.stream().filter(v -> v.tokens() > 0).forEach(out::add);
    return out;
  }

  static JsonArray toJson(List<Veto> vetoes) {
    JsonArray out = new JsonArray();
    vetoes.forEach(v -> out.add(v.toJson()));
    return out;
  }

  static List<Veto> fromJson(JsonArray array) {
    List<Veto> out = new ArrayList<>();
    if (array != null) {
      array.forEach(o -> out.add(Veto.fromJson((JsonObject) o)));
    }
    return out;
  }

  /**
   * The dynamic token limit per map: the smallest {@code T} with Σ max((T − V)/T, 0) ≥ {@code minimumMaps},
   * V being the tokens on each map. 0 when any positive T would do (no map needs a limit);
   * {@link Double#POSITIVE_INFINITY} when no T can reach it (fewer maps than {@code minimumMaps}).
   */
  static double dynamicMaxTokens(Collection<Integer> tokensPerMap, double minimumMaps) {
    List<Integer> v = new ArrayList<>(tokensPerMap);
    v.sort(Integer::compare);
    int n = v.size();
    if (minimumMaps <= 0) {
      return 0;
    }
    if (n <= minimumMaps) {
      return n == minimumMaps && v.stream().allMatch(t -> t == 0) ? 0 : Double.POSITIVE_INFINITY;
    }
    // With the k smallest counts below T: f(T) = k − S_k/T, so f(T) ≥ M ⟺ T ≥ S_k/(k − M) when k > M.
    long sum = 0;
    for (int k = 1; k <= n; k++) {
      sum += v.get(k - 1);
      if (k == minimumMaps && sum == 0) {
        return 0; // k unvetoed maps are exactly enough for any T
      }
      if (k <= minimumMaps) {
        continue;
      }
      double t = Math.max(sum / (k - minimumMaps), v.get(k - 1));
      if (k == n || t <= v.get(k)) {
        return t;
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  /** The token limit per map of a pool at map choice, given the tokens on its maps. */
  static double maxTokens(QueueDef.MapPool pool, Map<Integer, Integer> tokens) {
    if (pool.maxTokensPerMap() > 0) {
      return pool.maxTokensPerMap();
    }
    List<Integer> perMap = pool.maps().stream().map(m -> tokens.getOrDefault(m.id(), 0)).toList();
    return dynamicMaxTokens(perMap, pool.minimumMapsAfterVeto());
  }

  /** The factor a map's weight is multiplied by: max(0, 1 − tokens/max); with a limit of 0, only unvetoed maps stay. */
  static double factor(int tokens, double max) {
    if (tokens <= 0) {
      return 1;
    }
    if (max <= 0) {
      return 0;
    }
    return Math.max(0, 1 - tokens / max);
  }

  /** The tokens the players put on each entry of a pool, summed over the players. */
  static Map<Integer, Integer> tokensOn(QueueDef.MapPool pool, Collection<List<Veto>> players) {
    Map<Integer, Integer> out = new HashMap<>();
    for (List<Veto> vetoes : players) {
      for (Veto v : vetoes) {
        if (v.poolId() == pool.id()) {
          out.merge(v.mapId(), v.tokens(), Integer::sum);
        }
      }
    }
    return out;
  }

  /** Each entry's weight × its veto factor, by entry id. */
  static Map<Integer, Double> weights(QueueDef.MapPool pool, Map<Integer, Integer> tokens) {
    double max = maxTokens(pool, tokens);
    Map<Integer, Double> out = new LinkedHashMap<>();
    for (QueueDef.PoolMap m : pool.maps()) {
      out.put(m.id(), m.weight() * factor(tokens.getOrDefault(m.id(), 0), max));
    }
    return out;
  }
}
