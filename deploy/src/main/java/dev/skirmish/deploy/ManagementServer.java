package dev.skirmish.deploy;

import dev.skirmish.common.DatabaseHealth;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.function.BooleanSupplier;

/**
 * The management port of every node, whatever its roles ({@code MANAGEMENT_PORT}, default 9090; 0 = any free
 * port, -1 = none): {@code /health} (liveness: the process answers), {@code /ready} (readiness: every service of
 * the node has started, the database answers its probe, and a clustered node is a member of the cluster) and
 * {@code /metrics} (Prometheus, when {@code METRICS_ENABLED}). A gateway node answers the same paths on its HTTP
 * port too. It is started before the node's services, so that {@code /health} answers during start-up.
 */
final class ManagementServer extends VerticleBase {

  private final NodeConfig config;
  private final String nodeId;
  private final ClusterManager cluster;
  private final DatabaseHealth database;
  private final BooleanSupplier started;
  private HttpServer server;

  ManagementServer(NodeConfig config, String nodeId, ClusterManager cluster, DatabaseHealth database, BooleanSupplier started) {
    this.config = config;
    this.nodeId = nodeId;
    this.cluster = cluster;
    this.database = database;
    this.started = started;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP").put("node", nodeId)));
    router.get("/ready").handler(this::ready);
    if (config.getBoolean(Setting.METRICS_ENABLED)) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(nodeId));
    }
    server = vertx.createHttpServer().requestHandler(router);
    return server.listen(config.getInt(Setting.MANAGEMENT_PORT), config.get(Setting.MANAGEMENT_HOST));
  }

  /** The port it listens on. */
  int port() {
    return server.actualPort();
  }

  /**
   * 200 when the node's services have started, the database answers and (clustered) the node is a member of
   * the cluster; 503 otherwise. The body names each part: {@code {ready, status, roles, database, cluster, node}}.
   */
  private void ready(RoutingContext ctx) {
    boolean up = started.getAsBoolean();
    boolean databaseUp = database.isUp();
    boolean member = cluster == null || cluster.getNodes().contains(cluster.getNodeId());
    boolean ready = up && databaseUp && member;
    String status = !up ? "STARTING" : !databaseUp ? "DATABASE_UNAVAILABLE" : !member ? "NOT_IN_CLUSTER" : "READY";
    JsonObject body = new JsonObject()
      .put("ready", ready)
      .put("status", status)
      .put("roles", new JsonArray(config.roles().stream().toList()))
      .put("database", databaseUp ? "up" : "down")
      .put("cluster", cluster == null ? "standalone" : member ? "member of " + cluster.getNodes().size() : "not a member")
      .put("node", nodeId);
    json(ctx, ready ? 200 : 503, body);
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
