package dev.skirmish.deploy;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import dev.skirmish.common.AckedEvents;
import dev.skirmish.common.Database;
import dev.skirmish.common.Delivery;
import dev.skirmish.common.Ids;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.NodeStatus;
import dev.skirmish.common.ServiceMetrics;
import dev.skirmish.common.Setting;
import dev.skirmish.games.GamesVerticle;
import dev.skirmish.gateway.GatewayVerticle;
import dev.skirmish.matchmaker.MatchmakerVerticle;
import dev.skirmish.party.PartyVerticle;
import dev.skirmish.signaling.SignalingVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.micrometer.MicrometerMetricsFactory;
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
 *
 * <p>Clustered, the node's id is published as a Hazelcast member attribute. When a member leaves the
 * cluster (cleanly or not), every remaining node sweeps the session directories for entries of the node
 * that left, so its players go offline for everyone instead of lingering as ghosts.
 */
public final class Node {

  private static final Logger LOG = LoggerFactory.getLogger(Node.class);

  private final String id;
  private final Vertx vertx;
  private final ClusterManager clusterManager;
  private final Database database;
  private final GatewayVerticle gateway;
  private final ManagementServer management;
  private final List<String> deployments;
  private final AtomicBoolean ready;
  private final AckedEvents events;
  private final NodeMeters meters;
  private Future<Void> closing;

  private Node(String id, Vertx vertx, ClusterManager clusterManager, Database database, GatewayVerticle gateway,
               ManagementServer management, List<String> deployments, AtomicBoolean ready, AckedEvents events,
               NodeMeters meters) {
    this.id = id;
    this.vertx = vertx;
    this.clusterManager = clusterManager;
    this.database = database;
    this.gateway = gateway;
    this.management = management;
    this.deployments = deployments;
    this.ready = ready;
    this.events = events;
    this.meters = meters;
  }

  /**
   * Starts a node with the given configuration. The future completes on the caller's context when there is
   * one, so that a caller's chain never runs on (and dies with) a context of the node it started.
   */
  public static Future<Node> start(NodeConfig config) {
    return onCallerContext(startNode(config), null);
  }

  /**
   * {@code result}, completed on the context of the calling thread if it belongs to another Vert.x instance
   * than {@code self}; otherwise on whatever thread completes it.
   */
  private static <T> Future<T> onCallerContext(Future<T> result, Vertx self) {
    Context caller = Vertx.currentContext();
    Promise<T> done = Promise.promise();
    result.onComplete(ar -> {
      if (caller != null && caller.owner() != self) {
        caller.runOnContext(v -> done.handle(ar));
      } else {
        done.handle(ar);
      }
    });
    return done.future();
  }

  private static Future<Node> startNode(NodeConfig config) {
    String id = Ids.ulid();
    boolean clustered = config.getBoolean(Setting.CLUSTER);
    LOG.info("Starting node {} with roles {} ({})", id, config.roles(), clustered ? "clustered" : "standalone");
    VertxOptions options = new VertxOptions();
    int eventLoops = config.getInt(Setting.EVENT_LOOPS);
    if (eventLoops > 0) {
      options.setEventLoopPoolSize(eventLoops);
    }
    NodeMeters meters = null;
    if (config.getBoolean(Setting.METRICS_ENABLED)) {
      // One registry per node, named after it and tagged with its id: two nodes in one JVM (tests) never share or clash.
      meters = new NodeMeters(id);
      options.setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        .setRegistryName(id)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
    }
    if (!clustered) {
      Vertx vertx = builder(options, meters).build();
      return started(id, vertx, null, config, meters);
    }
    HazelcastClusterManager manager;
    try {
      Config hz = ClusterSupport.hazelcastConfig(config, id);
      for (ClusterExposure.Finding f : ClusterExposure.enforce(config, ClusterSupport.binds(hz),
        ClusterExposure::hostAddresses)) {
        LOG.warn("CLUSTER_INSECURE=true: {}={} is reachable on the public address(es) {}; keep it behind a firewall",
          f.setting(), f.bind(), String.join(", ", f.publicAddresses()));
      }
      options.setEventBusOptions(EventBusSecurity.options(config));
      manager = new HazelcastClusterManager(hz);
    } catch (RuntimeException e) {
      closeMeters(meters);
      return Future.failedFuture(e);
    }
    NodeMeters nodeMeters = meters;
    return builder(options, nodeMeters).withClusterManager(manager).buildClustered()
      .onFailure(err -> closeMeters(nodeMeters))
      .compose(vertx -> {
        watchMembers(vertx, manager, config);
        if (nodeMeters != null) {
          nodeMeters.watchCluster(manager.getHazelcastInstance());
        }
        return started(id, vertx, manager, config, nodeMeters);
      });
  }

  /** A Vert.x builder whose metrics (when on) go to the node's own registry. */
  private static VertxBuilder builder(VertxOptions options, NodeMeters meters) {
    VertxBuilder builder = Vertx.builder().with(options);
    return meters == null ? builder : builder.withMetrics(new MicrometerMetricsFactory(meters.registry()));
  }

  private static void closeMeters(NodeMeters meters) {
    if (meters != null) {
      meters.close();
    }
  }

  private static Future<Node> started(String id, Vertx vertx, ClusterManager manager, NodeConfig config,
                                      NodeMeters meters) {
    // Completed outside the node's contexts: after a failed start they are closed and could not run a callback.
    Promise<Node> result = Promise.promise();
    Database.start(vertx, config)
      .compose(db -> deploy(id, vertx, manager, db, config, meters))
      .onComplete(ar -> {
        if (ar.succeeded()) {
          result.complete(ar.result());
        } else {
          // A node that failed to start leaves the cluster and releases its threads before reporting.
          closeMeters(meters);
          vertx.close().onComplete(closed -> result.fail(ar.cause()));
        }
      });
    return result.future();
  }

  /** Sweeps the sessions of every member that leaves the cluster. */
  private static void watchMembers(Vertx vertx, HazelcastClusterManager manager, NodeConfig config) {
    Context context = vertx.getOrCreateContext();
    AckedEvents events = AckedEvents.from(vertx, config);
    manager.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        // nothing to do: a new member registers its own consumers
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        String gone = event.getMember().getAttribute(ClusterSupport.NODE_ATTRIBUTE);
        if (gone == null) {
          return;
        }
        context.runOnContext(v -> Delivery.sweepNode(vertx, events, gone)
          .onSuccess(n -> {
            if (n > 0) {
              LOG.info("Node {} left the cluster: closed {} of its sessions", gone, n);
            }
          })
          .onFailure(err -> LOG.warn("Could not sweep the sessions of node {}: {}", gone, err.getMessage())));
      }
    });
  }

  private static Future<Node> deploy(String id, Vertx vertx, ClusterManager manager, Database db, NodeConfig config,
                                     NodeMeters meters) {
    AtomicBoolean ready = new AtomicBoolean();
    List<String> deployments = new ArrayList<>();
    ServiceMetrics metrics = meters == null ? ServiceMetrics.none()
      : meters.services(vertx, manager instanceof HazelcastClusterManager hz ? hz.getHazelcastInstance() : null,
        config.getLong(Setting.METRICS_REFRESH_MS));
    GatewayVerticle gateway = config.hasRole("gateway")
      ? new GatewayVerticle(config, db.pool(), db.health(), id, ready::get, metrics)
      : null;
    ManagementServer management = config.getInt(Setting.MANAGEMENT_PORT) < 0 ? null
      : new ManagementServer(config, id, manager, db.health(), ready::get);
    Future<Void> chain = management == null ? Future.succeededFuture()
      : record(deployments, vertx.deployVerticle(management));
    // Services first, so that the gateway never accepts a command nobody can answer yet.
    if (config.hasRole("signaling")) {
      chain = chain.compose(v -> record(deployments, vertx.deployVerticle(new SignalingVerticle(config, db.pool(), metrics))));
    }
    if (config.hasRole("games")) {
      chain = chain.compose(v -> record(deployments, vertx.deployVerticle(new GamesVerticle(config, db.pool(), metrics))));
    }
    if (config.hasRole("party")) {
      chain = chain.compose(v -> record(deployments, vertx.deployVerticle(new PartyVerticle(config, db.pool(), metrics))));
    }
    if (config.hasRole("matchmaker")) {
      chain = chain.compose(v -> record(deployments, vertx.deployVerticle(new MatchmakerVerticle(config, db.pool(),
        config.getBoolean(Setting.METRICS_ENABLED) ? id : null))));
    }
    if (gateway != null) {
      chain = chain.compose(v -> record(deployments, vertx.deployVerticle(gateway)));
    }
    // The node's status for the operator console, once every service answers its section.
    chain = chain.compose(v -> record(deployments, vertx.deployVerticle(new NodeStatus(config, id))));
    return chain
      .map(v -> {
        ready.set(true);
        Node node = new Node(id, vertx, manager, db, gateway, management, deployments, ready, AckedEvents.from(vertx, config),
          meters);
        LOG.info("Node {} ready{}{}", id, gateway == null ? "" : " on HTTP port " + gateway.httpPort(),
          management == null ? "" : ", management port " + management.port());
        return node;
      })
      .recover(err -> undeployAll(vertx, deployments)
        .compose(v -> db.close(vertx))
        .transform(ar -> Future.failedFuture(err)));
  }

  private static Future<Void> record(List<String> deployments, Future<String> deployment) {
    return deployment.map(depId -> {
      deployments.add(depId);
      return null;
    });
  }

  /** Undeploys in reverse order of deployment (the gateway first); failures do not stop the others. */
  private static Future<Void> undeployAll(Vertx vertx, List<String> deployments) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String dep = deployments.get(i);
      chain = chain.compose(v -> vertx.undeploy(dep).otherwise(err -> {
        LOG.warn("Undeploying {} failed: {}", dep, err.getMessage());
        return null;
      }));
    }
    return chain;
  }

  public String id() {
    return id;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The cluster manager of a clustered node; null when standalone. */
  public ClusterManager clusterManager() {
    return clusterManager;
  }

  public Database database() {
    return database;
  }

  /** This node's gateway, or null without the gateway role. */
  public GatewayVerticle gateway() {
    return gateway;
  }

  /** The HTTP port of this node's gateway (-1 without the gateway role). */
  public int httpPort() {
    return gateway == null ? -1 : gateway.httpPort();
  }

  /** The FAF TCP port of this node's gateway (-1 when disabled or without the gateway role). */
  /** The management port ({@code /health}, {@code /ready}, {@code /metrics}), or -1 when it is off. */
  public int managementPort() {
    return management == null ? -1 : management.port();
  }

  public int fafTcpPort() {
    return gateway == null ? -1 : gateway.fafTcpPort();
  }

  /**
   * Stops the node. Clustered, it first removes its sessions from the cluster directories and announces
   * them offline while its event bus still runs (so every other node hears it), then undeploys the
   * verticles (gateway first, which closes every connection), sweeps once more for a session that began
   * meanwhile, closes the database, then Vert.x (leaving the cluster). Every step runs even if an earlier
   * one failed; calling it again waits for the same close.
   *
   * <p>The returned future completes on the caller's context when the caller runs on another Vert.x
   * instance (a test, another node), never on a context of the instance that has just been closed.
   */
  public Future<Void> close() {
    return onCallerContext(closing(), vertx);
  }

  private synchronized Future<Void> closing() {
    if (closing == null) {
      // Not ready any more: a load balancer stops sending new clients here while the node winds down.
      ready.set(false);
      closing = sweepOwnSessions()
        .compose(v -> undeployAll(vertx, deployments))
        .compose(v -> sweepOwnSessions())
        .compose(v -> database.close(vertx).otherwise(err -> {
          LOG.warn("Closing the database failed: {}", err.getMessage());
          return null;
        }))
        .compose(v -> vertx.close())
        .onComplete(ar -> closeMeters(meters))
        .onComplete(ar -> LOG.info("Node {} stopped{}", id, ar.failed() ? " (" + ar.cause().getMessage() + ")" : ""));
    }
    return closing;
  }

  private Future<Void> sweepOwnSessions() {
    if (clusterManager == null) {
      // Standalone, the directories live and die with this node: nobody else is there to tell.
      return Future.succeededFuture();
    }
    return Delivery.sweepNode(vertx, events, id)
      .<Void>map(n -> {
        if (n > 0) {
          LOG.info("Node {} closing: ended {} session(s)", id, n);
        }
        return null;
      })
      .otherwise(err -> {
        LOG.warn("Could not clear the sessions of node {}: {}", id, err.getMessage());
        return null;
      });
  }
}
