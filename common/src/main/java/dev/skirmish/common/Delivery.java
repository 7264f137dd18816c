package dev.skirmish.common;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Pushes protocol messages to connections through the one consumer of the gateway node that holds them
 * ({@link Addresses#gatewayNode}), never through per-connection cluster registrations.
 */
public final class Delivery {

  private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);

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

  /**
   * Sends one protocol message already encoded as its JSON text (without framing) to one connection of a known node,
   * through the node's text consumer ({@link Addresses#gatewayNodeText}): it crosses the cluster as that text and is
   * written to the socket as it arrives, with nothing encoded or decoded as JSON on the way. With a {@code lobby},
   * the node writes it only while the connection is in that CL Omega lobby.
   */
  public static void toConnection(Vertx vertx, String node, String connection, String text, String lobby) {
    vertx.eventBus().send(Addresses.gatewayNodeText(node), TextDelivery.batchOf(connection, lobby, text));
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

  /**
   * Asks the node that holds a connection whether it is still open. A node with no consumer (stopped, or
   * gone from the cluster) and a node that does not answer within {@code timeoutMs} both count as closed,
   * so a session of a dead node never blocks a new one.
   */
  public static Future<Boolean> isAlive(Vertx vertx, String node, String connection, long timeoutMs) {
    return vertx.eventBus().<JsonObject>request(Addresses.gatewayNode(node),
        new JsonObject().put("type", "alive").put("connection", connection),
        new DeliveryOptions().setSendTimeout(timeoutMs))
      .map(reply -> reply.body() != null && reply.body().getBoolean("alive", false))
      .otherwise(err -> {
        if (!(err instanceof ReplyException re) || re.failureType() != ReplyFailure.NO_HANDLERS) {
          LOG.debug("Liveness check of {} on node {} failed ({}): treating it as closed", connection, node,
            err.getMessage());
        }
        return false;
      });
  }

  /**
   * Announces a player who is online on {@code connection}, or whose player document changed
   * ({@link Addresses#FAF_PRESENCE}).
   */
  public static void fafOnline(Vertx vertx, String connection, JsonObject player) {
    vertx.eventBus().publish(Addresses.FAF_PRESENCE, new JsonObject().put("online", new JsonArray()
      .add(new JsonObject().put("connection", connection).put("player", player))));
  }

  /** Announces that the player's session on {@code connection} ended ({@link Addresses#FAF_PRESENCE}). */
  public static void fafOffline(Vertx vertx, String connection, JsonObject player) {
    vertx.eventBus().publish(Addresses.FAF_PRESENCE, new JsonObject().put("offline", new JsonArray()
      .add(new JsonObject().put("connection", connection).put("player", player))));
  }

  /** Announces changed matchmaker queue entries ({@link Addresses#FAF_MATCHMAKER_INFO}). */
  public static void fafQueues(Vertx vertx, JsonArray queues) {
    vertx.eventBus().publish(Addresses.FAF_MATCHMAKER_INFO, new JsonObject().put("queues", queues));
  }

  /**
   * Announces that the FAF session of {@code playerKey} ended: offline presence, and an event to each service
   * ({@link Addresses#FAF_PLAYER_OFFLINE}) that is retried until a node of that service has acted on it.
   */
  public static void fafSessionEnded(Vertx vertx, AckedEvents events, String playerKey, SessionDirectory.Entry entry) {
    fafOffline(vertx, entry.connection(), entry.data());
    JsonObject event = new JsonObject();
    try {
      event.put("player", Integer.parseInt(playerKey));
    } catch (NumberFormatException e) {
      event.put("player", playerKey);
    }
    event.put("connection", entry.connection());
    for (String address : Addresses.FAF_PLAYER_OFFLINE) {
      events.send(address, event);
    }
  }

  /**
   * Announces that the CL Omega session of account {@code accountKey} ended: gateways drop their cache of it,
   * and one signaling node removes the socket from its lobby (retried until one has).
   */
  public static void omegaSessionEnded(Vertx vertx, AckedEvents events, String accountKey, SessionDirectory.Entry entry) {
    JsonObject event = new JsonObject()
      .put("id", accountKey)
      .put("ugi", entry.data().getString("ugi"))
      .put("node", entry.node())
      .put("connection", entry.connection());
    vertx.eventBus().publish(Addresses.OMEGA_SESSION_CLOSED, event);
    events.send(Addresses.SIGNALING_SESSION_CLOSED, event);
  }

  /**
   * Removes every session that {@code node} holds from both directories and announces each one that this
   * call removed (a session released concurrently by its own connection is announced once, by whoever
   * removed it). Used when a node stops and when it leaves the cluster. Completes with the number removed.
   */
  public static Future<Integer> sweepNode(Vertx vertx, AckedEvents events, String node) {
    SessionDirectory faf = new SessionDirectory(vertx, FAF_SESSIONS);
    SessionDirectory omega = new SessionDirectory(vertx, OMEGA_SESSIONS);
    Future<Integer> fafSwept = sweep(faf, node, (key, entry) -> fafSessionEnded(vertx, events, key, entry));
    Future<Integer> omegaSwept = sweep(omega, node, (key, entry) -> omegaSessionEnded(vertx, events, key, entry));
    return Future.all(fafSwept, omegaSwept).map(all -> fafSwept.result() + omegaSwept.result());
  }

  private static Future<Integer> sweep(SessionDirectory directory, String node,
                                       BiConsumer<String, SessionDirectory.Entry> ended) {
    return directory.snapshot().compose(all -> {
      List<Future<Boolean>> removals = new ArrayList<>();
      for (Map.Entry<String, SessionDirectory.Entry> e : all.entrySet()) {
        if (e.getValue() != null && node.equals(e.getValue().node())) {
          removals.add(directory.release(e.getKey(), e.getValue()).onSuccess(removed -> {
            if (removed) {
              ended.accept(e.getKey(), e.getValue());
            }
          }));
        }
      }
      return Future.all(removals).map(done -> (int) removals.stream().filter(f -> f.result()).count());
    });
  }

  /** Publishes an FAF lobby message to every logged-in FAF connection in the cluster. */
  public static void fafBroadcast(Vertx vertx, JsonObject message) {
    vertx.eventBus().publish(Addresses.FAF_BROADCAST, new JsonObject().put("message", message));
  }
}
