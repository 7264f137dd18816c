package dev.skirmish.gateway;

import dev.skirmish.common.Addresses;
import dev.skirmish.common.Delivery;
import dev.skirmish.common.TextDelivery;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

import java.util.HashMap;
import java.util.Map;

/**
 * Relayed messages for connections on other gateway nodes, sent as one event-bus message per node per event-loop
 * turn: every delivery made while the gateway's event loop handles its current batch of input is appended to that
 * node's batch ({@link TextDelivery}), and the batches go out in a task queued behind that input. Under load many
 * relays share one cluster message (one write on this node, one read and one hand-off on the other); a lone relay
 * goes out alone, right after the input that caused it. Deliveries to one node keep their order.
 *
 * <p>Used from the gateway's event loop; a call from any other thread sends its delivery at once.
 */
final class NodeTextBatches {

  private final Vertx vertx;
  private final ContextInternal context;
  private final Map<String, StringBuilder> pending = new HashMap<>();
  private boolean scheduled;

  /** @param context the gateway's context, whose event loop calls {@link #send} */
  NodeTextBatches(Vertx vertx, Context context) {
    this.vertx = vertx;
    this.context = (ContextInternal) context;
  }

  /** Sends {@code text} to {@code connection} on {@code node}, with the batch of this turn. */
  void send(String node, String connection, String lobby, String text) {
    if (!context.nettyEventLoop().inEventLoop()) {
      Delivery.toConnection(vertx, node, connection, text, lobby);
      return;
    }
    TextDelivery.append(pending.computeIfAbsent(node, n -> new StringBuilder()), connection, lobby, text);
    if (!scheduled) {
      scheduled = true;
      context.runOnContext(v -> flush());
    }
  }

  private void flush() {
    scheduled = false;
    for (Map.Entry<String, StringBuilder> e : pending.entrySet()) {
      vertx.eventBus().send(Addresses.gatewayNodeText(e.getKey()), e.getValue().toString());
    }
    pending.clear();
  }
}
