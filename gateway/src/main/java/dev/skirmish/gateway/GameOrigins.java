package dev.skirmish.gateway;

import dev.skirmish.common.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;

/**
 * Every origin registered for any CL Omega game, held in memory so a CORS check is a set look-up and not a
 * query. The set is read again when a registry change is announced ({@link Addresses#GAME_ORIGINS_CHANGED},
 * from this node or another) and at the latest every {@code CORS_ORIGINS_REFRESH_SECONDS}; a failed read
 * keeps the previous set.
 */
final class GameOrigins {

  private static final Logger LOG = LoggerFactory.getLogger(GameOrigins.class);
  private static final String ALL = "SELECT DISTINCT origin FROM games_authorized_origins";

  private final Vertx vertx;
  private final Pool pool;
  private final String nodeId;
  private volatile Set<String> origins = Set.of();
  private long started;
  private long applied;

  GameOrigins(Vertx vertx, Pool pool, String nodeId) {
    this.vertx = vertx;
    this.pool = pool;
    this.nodeId = nodeId;
  }

  /** Reads the origins, then keeps them fresh: on announced changes and every {@code refreshMs}. */
  Future<Void> start(long refreshMs) {
    var changes = vertx.eventBus().<JsonObject>consumer(Addresses.GAME_ORIGINS_CHANGED, msg -> {
      if (!nodeId.equals(msg.body().getString("node"))) {
        reload();
      }
    });
    vertx.setPeriodic(refreshMs, refreshMs, t -> reload());
    return changes.completion().compose(v -> reload());
  }

  /** Whether {@code origin} (as the browser sent it) is registered for some game. */
  boolean allowed(String origin) {
    return origin != null && origins.contains(origin);
  }

  /** This node's registry changed origins: reads them again here, then tells every other gateway node. */
  Future<Void> changed() {
    return reload().onComplete(ar -> vertx.eventBus().publish(Addresses.GAME_ORIGINS_CHANGED,
      new JsonObject().put("node", nodeId)));
  }

  /** Reads the origins; of reads that overlap, the one started last wins. Never fails. */
  Future<Void> reload() {
    long read = ++started;
    return pool.query(ALL).execute().<Void>map(rows -> {
      Set<String> all = new HashSet<>();
      for (Row r : rows) {
        all.add(r.getString("origin"));
      }
      if (read > applied) {
        applied = read;
        origins = Set.copyOf(all);
      }
      return null;
    }).recover(err -> {
      LOG.warn("Could not read the origins of the CL Omega games (keeping {} known): {}", origins.size(), err.getMessage());
      return Future.succeededFuture();
    });
  }
}
