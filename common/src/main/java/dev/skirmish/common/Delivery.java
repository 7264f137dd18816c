package dev.skirmish.common;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * Pushes protocol messages to connections through the one consumer of the gateway node that holds them
 * ({@link Addresses#gatewayNode}), never through per-connection cluster registrations.
 */
public final class Delivery {

  /** Directory of logged-in FAF players, keyed by player id. */
  public static final String FAF_SESSIONS = "faf.sessions";
  /** Directory of initialised CL Omega sessions, keyed by account ULID. */
  public static final String OMEGA_SESSIONS = "omega.sessions";

  private Delivery() {
  }

  /** Sends {@code message} to one connection of a known node. */
  public static void toConnection(Vertx vertx, String node, String connection, JsonObject message) {
    vertx.eventBus().send(Addresses.gatewayNode(node),
      new JsonObject().put("type", "deliver").put("connection", connection).put("message", message));
  }

  /** Sends {@code message} to the live session of {@code key} in {@code directory}; false if it has none. */
  public static Future<Boolean> toSession(Vertx vertx, SessionDirectory directory, String key, JsonObject message) {
    return directory.get(key).map(entry -> {
      if (entry == null) {
        return false;
      }
      toConnection(vertx, entry.node(), entry.connection(), message);
      return true;
    });
  }

  /** Asks a node whether one of its connections is still open; a vanished node counts as closed. */
  public static Future<Boolean> isAlive(Vertx vertx, String node, String connection, long timeoutMs) {
    return vertx.eventBus().<JsonObject>request(Addresses.gatewayNode(node),
        new JsonObject().put("type", "alive").put("connection", connection),
        new DeliveryOptions().setSendTimeout(timeoutMs))
      .map(reply -> reply.body().getBoolean("alive", false))
      .otherwise(false);
  }

  /** Publishes an FAF lobby message to every logged-in FAF connection in the cluster. */
  public static void fafBroadcast(Vertx vertx, JsonObject message) {
    vertx.eventBus().publish(Addresses.FAF_BROADCAST, new JsonObject().put("message", message));
  }
}
