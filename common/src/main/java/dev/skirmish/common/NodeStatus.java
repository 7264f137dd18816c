package dev.skirmish.common;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Publishes this node's status on {@link Addresses#NODE_STATUS} every {@code STATUS_INTERVAL_MS}: its id and
 * roles, uptime, heap and process CPU, and the section each of its services answers on
 * {@link Addresses#statusSection} (asked locally, so a section always describes this node's service). The
 * operator console of every gateway is built from these publishes.
 */
public final class NodeStatus extends VerticleBase {

  private final NodeConfig config;
  private final String nodeId;
  private final long started = System.currentTimeMillis();
  private long timer = -1;

  public NodeStatus(NodeConfig config, String nodeId) {
    this.config = config;
    this.nodeId = nodeId;
  }

  /**
   * Answers the status section of {@code role} on this node with what {@code section} supplies; for the
   * service verticles. A failed section is answered with an error and left out of the publish.
   */
  public static MessageConsumer<JsonObject> serveSection(Vertx vertx, String role, Supplier<Future<JsonObject>> section) {
    return vertx.eventBus().<JsonObject>localConsumer(Addresses.statusSection(role), msg ->
      Future.succeededFuture().compose(v -> section.get())
        .onSuccess(msg::reply)
        .onFailure(err -> msg.fail(Failures.INTERNAL, String.valueOf(err.getMessage()))));
  }

  @Override
  public Future<?> start() {
    long every = config.getLong(Setting.STATUS_INTERVAL_MS);
    timer = vertx.setPeriodic(0, every, t -> publish(every));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private void publish(long every) {
    DeliveryOptions local = new DeliveryOptions().setLocalOnly(true).setSendTimeout(Math.max(100, every / 2));
    List<String> roles = new ArrayList<>(config.roles());
    List<Future<JsonObject>> asks = new ArrayList<>();
    for (String role : roles) {
      asks.add(vertx.eventBus().<JsonObject>request(Addresses.statusSection(role), new JsonObject(), local)
        .map(reply -> reply.body()).otherwise((JsonObject) null));
    }
    Future.join(asks).onComplete(done -> {
      JsonObject sections = new JsonObject();
      for (int i = 0; i < roles.size(); i++) {
        JsonObject section = asks.get(i).result();
        if (section != null) {
          sections.put(roles.get(i), section);
        }
      }
      vertx.eventBus().publish(Addresses.NODE_STATUS, snapshot(every).put("sections", sections));
    });
  }

  /** The node-level part of a publish. */
  private JsonObject snapshot(long every) {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    double cpu = -1;
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      cpu = os.getProcessCpuLoad();
    }
    long now = System.currentTimeMillis();
    return new JsonObject()
      .put("node", nodeId)
      .put("roles", new JsonArray(new ArrayList<>(config.roles())))
      .put("started", started)
      .put("uptime_ms", now - started)
      .put("heap_used", heap.getUsed())
      .put("heap_max", heap.getMax())
      .put("cpu", cpu)
      .put("processors", Runtime.getRuntime().availableProcessors())
      .put("interval_ms", every)
      .put("at", now);
  }
}
