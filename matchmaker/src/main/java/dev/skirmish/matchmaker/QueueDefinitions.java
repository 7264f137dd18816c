package dev.skirmish.matchmaker;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The enabled matchmaker queues with their map pools and rating brackets, as last loaded from the
 * database. Readers always see one complete set; {@link #load} swaps in a new one.
 */
final class QueueDefinitions {

  private static final Logger LOG = LoggerFactory.getLogger(QueueDefinitions.class);

  private static final String QUEUES =
    "SELECT q.id, q.technical_name, q.team_size, q.ready_check, q.params::text AS params, f.gamemod, l.technical_name AS leaderboard"
      + " FROM matchmaker_queue q JOIN game_featured_mods f ON f.id = q.featured_mod_id"
      + " JOIN leaderboard l ON l.id = q.leaderboard_id WHERE q.enabled ORDER BY q.id";
  private static final String POOLS =
    "SELECT qp.id, qp.matchmaker_queue_id, qp.min_rating, qp.max_rating, qp.veto_tokens_per_player,"
      + " qp.max_tokens_per_map, qp.minimum_maps_after_veto, e.id AS entry_id, e.weight,"
      + " e.map_params::text AS map_params, v.filename FROM matchmaker_queue_map_pool qp"
      + " LEFT JOIN map_pool_map_version e ON e.map_pool_id = qp.map_pool_id"
      + " LEFT JOIN map_version v ON v.id = e.map_version_id ORDER BY qp.id, e.id";

  private final Pool pool;
  private volatile Map<String, QueueDef> queues = Map.of();

  QueueDefinitions(Pool pool) {
    this.pool = pool;
  }

  /** Reads the queues from the database and makes them current; the result is the new set, by name. */
  Future<Map<String, QueueDef>> load() {
    return pool.query(QUEUES).execute().compose(qrows -> pool.query(POOLS).execute().map(prows -> {
      Map<String, QueueDef> loaded = build(qrows, prows);
      queues = loaded;
      LOG.info("Loaded {} matchmaker queue(s)", loaded.size());
      return loaded;
    }));
  }

  private static Map<String, QueueDef> build(RowSet<Row> qrows, RowSet<Row> prows) {
    Map<Integer, Map<Integer, List<QueueDef.PoolMap>>> maps = new HashMap<>();
    Map<Integer, Row> poolRows = new LinkedHashMap<>();
    for (Row r : prows) {
      int poolId = r.getInteger("id");
      poolRows.putIfAbsent(poolId, r);
      List<QueueDef.PoolMap> list = maps.computeIfAbsent(r.getInteger("matchmaker_queue_id"), k -> new LinkedHashMap<>())
        .computeIfAbsent(poolId, k -> new ArrayList<>());
      if (r.getInteger("entry_id") != null) {
        String params = r.getString("map_params");
        list.add(new QueueDef.PoolMap(r.getInteger("entry_id"), QueueDef.folderOf(r.getString("filename")),
          r.getInteger("weight"), params == null ? null : new JsonObject(params)));
      }
    }
    Map<String, QueueDef> loaded = new LinkedHashMap<>();
    for (Row q : qrows) {
      int id = q.getInteger("id");
      List<QueueDef.MapPool> pools = new ArrayList<>();
      maps.getOrDefault(id, Map.of()).forEach((poolId, entries) -> {
        Row pr = poolRows.get(poolId);
        pools.add(new QueueDef.MapPool(poolId, pr.getDouble("min_rating"), pr.getDouble("max_rating"), entries,
          pr.getInteger("veto_tokens_per_player"), pr.getDouble("max_tokens_per_map"), pr.getDouble("minimum_maps_after_veto")));
      });
      String params = q.getString("params");
      JsonObject options = params == null ? new JsonObject()
        : new JsonObject(params).getJsonObject("GameOptions", new JsonObject());
      loaded.put(q.getString("technical_name"), new QueueDef(id, q.getString("technical_name"),
        q.getInteger("team_size"), q.getString("gamemod"), q.getString("leaderboard"), options, pools,
        Boolean.TRUE.equals(q.getBoolean("ready_check"))));
    }
    return loaded;
  }

  /** The current queues, by name, in database order. */
  Map<String, QueueDef> current() {
    return queues;
  }

  /** The queue named {@code name}, or null. */
  QueueDef get(String name) {
    return queues.get(name);
  }

  boolean contains(String name) {
    return queues.containsKey(name);
  }

  /** Every queue, in database order. */
  Collection<QueueDef> all() {
    return queues.values();
  }

  /** Every bracket of every queue, by {@code matchmaker_queue_map_pool.id}. */
  Map<Integer, QueueDef.MapPool> pools() {
    return pools(queues.values());
  }

  static Map<Integer, QueueDef.MapPool> pools(Collection<QueueDef> queues) {
    Map<Integer, QueueDef.MapPool> out = new HashMap<>();
    queues.forEach(q -> q.pools().forEach(p -> out.put(p.id(), p)));
    return out;
  }
}
