package dev.skirmish.deploy;

import dev.skirmish.common.Database;
import dev.skirmish.common.Ids;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.Setting;
import dev.skirmish.games.GamesVerticle;
import dev.skirmish.gateway.GatewayVerticle;
import dev.skirmish.matchmaker.MatchmakerVerticle;
import dev.skirmish.party.PartyVerticle;
import dev.skirmish.signaling.SignalingVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One running node: a Vert.x instance (clustered or standalone), its database, and the verticles of its
 * roles. Services talk only over the event bus, in both modes.
 */
public final class Node {

  private static final Logger LOG = LoggerFactory.getLogger(Node.class);

  private final String id;
  private final Vertx vertx;
  private final Database database;
  private final GatewayVerticle gateway;
  private final List<String> deployments;

  private Node(String id, Vertx vertx, Database database, GatewayVerticle gateway, List<String> deployments) {
    this.id = id;
    this.vertx = vertx;
    this.database = database;
    this.gateway = gateway;
    this.deployments = deployments;
  }

  /** Starts a node with the given configuration. */
  public static Future<Node> start(NodeConfig config) {
    String id = Ids.ulid();
    LOG.info("Starting node {} with roles {} ({})", id, config.roles(),
      config.getBoolean(Setting.CLUSTER) ? "clustered" : "standalone");
    VertxOptions options = new VertxOptions();
    if (config.getBoolean(Setting.METRICS_ENABLED)) {
      options.setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        .setRegistryName(id)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
    }
    VertxBuilder builder = Vertx.builder().with(options);
    Future<Vertx> vertxFuture;
    if (config.getBoolean(Setting.CLUSTER)) {
      String host = config.get(Setting.EVENTBUS_HOST);
      String publicHost = config.get(Setting.EVENTBUS_PUBLIC_HOST);
      options.setEventBusOptions(new EventBusOptions().setHost(host)
        .setClusterPublicHost(publicHost.isBlank() ? host : publicHost));
      builder = Vertx.builder().with(options)
        .withClusterManager(new HazelcastClusterManager(ClusterSupport.hazelcastConfig(config)));
      vertxFuture = builder.buildClustered();
    } else {
      vertxFuture = Future.succeededFuture(builder.build());
    }
    return vertxFuture.compose(vertx -> Database.start(vertx, config)
      .compose(db -> deploy(id, vertx, db, config))
      .onFailure(err -> vertx.close()));
  }

  private static Future<Node> deploy(String id, Vertx vertx, Database db, NodeConfig config) {
    AtomicBoolean ready = new AtomicBoolean();
    List<String> deployments = new ArrayList<>();
    GatewayVerticle gateway = config.hasRole("gateway")
      ? new GatewayVerticle(config, db.pool(), id, ready::get)
      : null;
    Future<Void> chain = Future.succeededFuture();
    // Services first, so that the gateway never accepts a command nobody can answer yet.
    if (config.hasRole("signaling")) {
      chain = chain.compose(v -> record(deployments, vertx.deployVerticle(new SignalingVerticle(config, db.pool()))));
    }
    if (config.hasRole("games")) {
      chain = chain.compose(v -> record(deployments, vertx.deployVerticle(new GamesVerticle(config, db.pool()))));
    }
    if (config.hasRole("party")) {
      chain = chain.compose(v -> record(deployments, vertx.deployVerticle(new PartyVerticle(config))));
    }
    if (config.hasRole("matchmaker")) {
      chain = chain.compose(v -> record(deployments, vertx.deployVerticle(new MatchmakerVerticle(config, db.pool()))));
    }
    if (gateway != null) {
      chain = chain.compose(v -> record(deployments, vertx.deployVerticle(gateway)));
    }
    return chain
      .map(v -> {
        ready.set(true);
        Node node = new Node(id, vertx, db, gateway, deployments);
        LOG.info("Node {} ready{}", id, gateway == null ? "" : " on HTTP port " + gateway.httpPort());
        return node;
      })
      .recover(err -> db.close(vertx).transform(ar -> Future.failedFuture(err)));
  }

  private static Future<Void> record(List<String> deployments, Future<String> deployment) {
    return deployment.map(depId -> {
      deployments.add(depId);
      return null;
    });
  }

  public String id() {
    return id;
  }

  public Vertx vertx() {
    return vertx;
  }

  public Database database() {
    return database;
  }

  /** The HTTP port of this node's gateway (-1 without the gateway role). */
  public int httpPort() {
    return gateway == null ? -1 : gateway.httpPort();
  }

  /** The FAF TCP port of this node's gateway (-1 when disabled or without the gateway role). */
  public int fafTcpPort() {
    return gateway == null ? -1 : gateway.fafTcpPort();
  }

  /** Undeploys the verticles (gateway first), closes the database, then Vert.x (leaving the cluster). */
  public Future<Void> close() {
    Future<Void> chain = Future.succeededFuture();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String dep = deployments.get(i);
      chain = chain.compose(v -> vertx.undeploy(dep).otherwise(err -> null));
    }
    return chain
      .compose(v -> database.close(vertx).otherwise(err -> null))
      .compose(v -> vertx.close())
      .onComplete(ar -> LOG.info("Node {} stopped", id));
  }
}
