package dev.skirmish.gateway;

import dev.skirmish.common.AckedEvents;
import dev.skirmish.common.Addresses;
import dev.skirmish.common.DatabaseHealth;
import dev.skirmish.common.Delivery;
import dev.skirmish.common.Faf;
import dev.skirmish.common.Failures;
import dev.skirmish.common.TextDelivery;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.ServiceMetrics;
import dev.skirmish.common.NodeStatus;
import dev.skirmish.common.SessionDirectory;
import dev.skirmish.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The gateway of one node: the HTTP server (both WebSocket front doors, REST, health, metrics), the FAF
 * TCP port, and the node's single delivery consumer that routes pushes to local connections.
 */
public final class GatewayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);
  /** The close reason CL Omega sockets get when their node stops. */
  static final String SHUTTING_DOWN = "server shutting down";

  private final NodeConfig config;
  private final Pool pool;
  private final DatabaseHealth database;
  private final String nodeId;
  private final BooleanSupplier nodeReady;
  private final ServiceMetrics metrics;
  private Gateway gw;
  private HttpServer http;
  private Router router;
  private NetServer tcp;
  private long tick = -1;
  private ClusterStatus clusterStatus;

  /**
   * @param database  whether the database answers (for {@code /ready}, and told of failed queries)
   * @param nodeId    this node's id: the suffix of its delivery address
   * @param nodeReady whether every service of the node has started (for {@code /ready})
   */
  public GatewayVerticle(NodeConfig config, Pool pool, DatabaseHealth database, String nodeId,
                         BooleanSupplier nodeReady) {
    this(config, pool, database, nodeId, nodeReady, ServiceMetrics.none());
  }

  /** @param metrics the node's registry for the gateway's meters ({@link GatewayMeters}) */
  public GatewayVerticle(NodeConfig config, Pool pool, DatabaseHealth database, String nodeId,
                         BooleanSupplier nodeReady, ServiceMetrics metrics) {
    this.metrics = metrics;
    this.config = config;
    this.pool = pool;
    this.database = database;
    this.nodeId = nodeId;
    this.nodeReady = nodeReady;
  }

  /** The port the HTTP server listens on (useful when configured as 0). */
  public int httpPort() {
    return http.actualPort();
  }

  /** The router of the HTTP server (its routes are what the API contract test compares with the document). */
  public Router router() {
    return router;
  }

  /** The port of the FAF TCP listener, or -1 when disabled. */
  public int fafTcpPort() {
    return tcp == null ? -1 : tcp.actualPort();
  }

  @Override
  public Future<?> start() {
    TokenService tokens = new TokenService(vertx, config, pool);
    return CountryLookup.open(vertx, config.get(Setting.GEOIP_DB)).compose(countries -> {
      AccountRepository accounts = new AccountRepository(pool);
      SessionDirectory fafSessions = new SessionDirectory(vertx, Delivery.FAF_SESSIONS);
      ConnectionRegistry connections = new ConnectionRegistry();
      NodeTextBatches batches = new NodeTextBatches(vertx, context);
      GatewayMeters meters = new GatewayMeters(metrics.registry(), connections);
      gw = new Gateway(vertx, config, nodeId, database, accounts, new PasswordHasher(vertx, config), tokens,
        connections, fafSessions, new SessionDirectory(vertx, Delivery.OMEGA_SESSIONS), new RelayCache(), batches,
        new FafGameRelay(vertx, config, nodeId, connections, fafSessions, batches, meters), new PresenceTick(), new LoginLog(accounts),
        countries, new DisabledCommands(config.get(Setting.FAF_DISABLED_COMMANDS)), new LoginThrottle(config), new ConnectionLimits(config.getInt(Setting.MAX_CONNECTIONS_PER_IP)),
        AckedEvents.from(vertx, config), meters, new GameOrigins(vertx, pool, nodeId));
      return startServices(tokens);
    });
  }

  private Future<Void> startServices(TokenService tokens) {
    var node = vertx.eventBus().<JsonObject>consumer(Addresses.gatewayNode(nodeId), this::onNodeMessage);
    var nodeText = vertx.eventBus().<String>consumer(Addresses.gatewayNodeText(nodeId), this::onNodeText);
    var fafBroadcast = vertx.eventBus().<JsonObject>consumer(Addresses.FAF_BROADCAST, this::onFafBroadcast);
    var omegaBroadcast = vertx.eventBus().<JsonObject>consumer(Addresses.OMEGA_BROADCAST, this::onOmegaBroadcast);
    var presence = vertx.eventBus().<JsonObject>consumer(Addresses.FAF_PRESENCE, msg -> {
      gw.fafRelay().onPresence(msg.body());
      gw.presence().onPresence(msg.body());
    });
    var gameMembers = vertx.eventBus().<JsonObject>consumer(Addresses.FAF_GAME_MEMBERS_CHANGED,
      msg -> gw.fafRelay().onMembersChanged(msg.body()));
    var gameInfo = vertx.eventBus().<JsonObject>consumer(Addresses.FAF_GAME_INFO, msg -> gw.presence().onGames(msg.body()));
    var queues = vertx.eventBus().<JsonObject>consumer(Addresses.FAF_MATCHMAKER_INFO,
      msg -> gw.presence().onQueues(msg.body()));
    var omegaChanged = vertx.eventBus().<JsonObject>consumer(Addresses.OMEGA_SESSION_CHANGED,
      msg -> gw.relayCache().invalidate(msg.body().getJsonArray("ids", new JsonArray())));
    var omegaClosed = vertx.eventBus().<JsonObject>consumer(Addresses.OMEGA_SESSION_CLOSED,
      msg -> gw.relayCache().invalidate(msg.body().getString("id")));
    clusterStatus = new ClusterStatus(gw.presence(), config.getLong(Setting.STATUS_HISTORY_SECONDS) * 1000,
      config.getInt(Setting.STATUS_MAX_ITEMS));
    var nodeStatus = vertx.eventBus().<JsonObject>consumer(Addresses.NODE_STATUS,
      msg -> clusterStatus.onStatus(msg.body(), System.currentTimeMillis()));
    var section = NodeStatus.serveSection(vertx, "gateway", () -> Future.succeededFuture(statusSection()));
    long statusEvery = config.getLong(Setting.STATUS_INTERVAL_MS);
    vertx.setPeriodic(statusEvery, statusEvery, t -> clusterStatus.sample(System.currentTimeMillis()));
    long ping = config.getLong(Setting.FAF_PING_INTERVAL_SECONDS) * 1000;
    vertx.setPeriodic(ping, ping, t -> pingAll());
    vertx.setPeriodic(60_000, 60_000, t -> gw.throttle().prune());

    return Future.all(List.of(tokens.start(), gw.origins().start(Math.max(1, config.getLong(Setting.CORS_ORIGINS_REFRESH_SECONDS)) * 1000),
      node.completion(), nodeText.completion(), fafBroadcast.completion(), omegaBroadcast.completion(),
      gameInfo.completion(), presence.completion(), gameMembers.completion(), queues.completion(), omegaChanged.completion(),
      omegaClosed.completion(), nodeStatus.completion(), section.completion()))
      .compose(v -> gw.presence().load(gw.fafSessions(), vertx.eventBus()
        .<JsonObject>request(Addresses.GAMES_VISIBLE, new JsonObject(), gw.requestOptions())
        .map(reply -> reply.body().getJsonArray("games", new JsonArray()))))
      .onSuccess(v -> {
        long every = config.getLong(Setting.PRESENCE_TICK_MS);
        tick = vertx.setPeriodic(every, every, t -> {
          gw.presence().tick();
          gw.loginLog().flush();
        });
      })
      .compose(v -> RestContract.load(vertx))
      .compose(this::startHttp)
      .compose(v -> startTcp())
      .onSuccess(v -> LOG.info("Gateway {} listening: HTTP {} (FAF /lobby, CL Omega /api/v0/signaling), FAF TCP {}",
        nodeId, httpPort(), fafTcpPort()));
  }

  /** This gateway's status section: its connections and sessions, and its traffic totals. */
  private JsonObject statusSection() {
    int faf = 0;
    int omega = 0;
    for (ClientConnection c : gw.connections().all()) {
      if (c instanceof FafSession s && s.isLoggedIn()) {
        faf++;
      } else if (c instanceof OmegaSession s && s.accountId() != null) {
        omega++;
      }
    }
    return new JsonObject().put("connections", gw.connections().size()).put("faf_players", faf)
      .put("omega_sessions", omega).put("traffic", gw.meters().totals());
  }

  /** The paths of the CL Omega signaling door. */
  public static final List<String> OMEGA_DOORS = List.of("/api/v0/signaling", "/api/v0/signaling/", "/api/signaling", "/api/signaling/");

  int wsLimit() {
    long limit = Math.min(4L * config.getInt(Setting.MAX_MESSAGE_BYTES), 64L * 1024 * 1024);
    return (int) Math.max(limit, 65536);
  }

  private Future<Void> startHttp(RestContract contract) {
    Map<String, RestOperation> operations = new HashMap<>();
    operations.putAll(new AccountsApi(gw).operations(new Cors(gw.origins(), config.getLong(Setting.CORS_MAX_AGE_SECONDS))));
    operations.putAll(new GamesRegistryApi(gw).operations());
    operations.putAll(new AdminApi(gw, clusterStatus).operations());
    operations.put("health", RestOperation.of(ctx -> Rest.json(ctx, 200, new JsonObject().put("status", "UP").put("node", nodeId))));
    operations.put("ready", RestOperation.of(this::ready));
    Handler<RoutingContext> metrics = config.getBoolean(Setting.METRICS_ENABLED) ? PrometheusScrapingHandler.create(nodeId)
      : ctx -> RestErrors.send(ctx, 404, "metrics are off on this node (METRICS_ENABLED=false)");
    operations.put("metrics", RestOperation.of(metrics));
    operations.put("openapi", RestOperation.of(ctx -> ctx.response().putHeader("Content-Type", "application/yaml")
      .end(contract.text())));
    // the REST operations of the document (the admin API among them), then the WebSocket doors and the static
    // pages, which it does not describe
    router = RestRouter.create(vertx, contract, operations);
    // every request gets its id (X-Request-Id, the log lines' MDC) first
    router.route().order(RestRouter.TAG_ORDER).handler(LogContext::tagRequest);
    FafDoors faf = new FafDoors(gw, wsLimit());
    OmegaDoor omega = new OmegaDoor(gw);
    router.route("/lobby").handler(faf::upgrade);
    for (String path : OMEGA_DOORS) {
      router.route(path).handler(omega::upgrade);
    }
    WebPages.mount(router);
    router.route("/").handler(ctx -> {
      if (isWebSocketUpgrade(ctx.request())) {
        faf.upgrade(ctx);
      } else {
        ctx.next();
      }
    });
    router.get("/").handler(WebPages.index());
    HttpServerOptions options = new HttpServerOptions()
      .setHost(config.get(Setting.HTTP_HOST))
      .setPort(config.getInt(Setting.HTTP_PORT))
      .setMaxWebSocketFrameSize(wsLimit())
      .setMaxWebSocketMessageSize(wsLimit());
    return vertx.createHttpServer(options).requestHandler(router).listen().map(server -> {
      http = server;
      return null;
    });
  }

  static boolean isWebSocketUpgrade(HttpServerRequest req) {
    String upgrade = req.getHeader("Upgrade");
    return upgrade != null && upgrade.equalsIgnoreCase("websocket");
  }

  private Future<Void> startTcp() {
    int port = config.getInt(Setting.FAF_TCP_PORT);
    if (port < 0) {
      return Future.succeededFuture();
    }
    return vertx.createNetServer().connectHandler(new FafDoors(gw, wsLimit())::tcp).listen(port, config.get(Setting.HTTP_HOST))
      .map(server -> {
        tcp = server;
        return null;
      });
  }


  /**
   * Readiness: 503 {@code STARTING} until every service of the node has started (and again once it stops),
   * 503 {@code DATABASE_UNAVAILABLE} while the database does not answer its probe, otherwise 200 {@code READY}.
   * The body says which: {@code {ready, status, database: up|down, node}}.
   */
  private void ready(RoutingContext ctx) {
    boolean started = nodeReady.getAsBoolean();
    boolean databaseUp = database.isUp();
    String status = !started ? "STARTING" : databaseUp ? "READY" : "DATABASE_UNAVAILABLE";
    JsonObject body = new JsonObject()
      .put("ready", started && databaseUp)
      .put("status", status)
      .put("database", databaseUp ? "up" : "down")
      .put("node", nodeId);
    if (started && databaseUp) {
      body.put("connections", gw.connections().size());
    }
    Rest.json(ctx, started && databaseUp ? 200 : 503, body);
  }

  private void onNodeMessage(Message<JsonObject> msg) {
    JsonObject body = msg.body() == null ? new JsonObject() : msg.body();
    ClientConnection c = gw.connections().get(body.getString("connection"));
    switch (body.getString("type", "")) {
      case "deliver" -> {
        if (c != null) {
          if (c instanceof OmegaSession omega && body.containsKey("lobby")) {
            omega.setLobby(body.getString("lobby"));
          }
          JsonObject message = body.getJsonObject("message");
          if (message != null) {
            c.send(message);
          }
        }
      }
      case "kick", "close" -> {
        JsonObject last = body.getJsonObject("message");
        if (c != null && last != null) {
          c.sendAndClose(last);
        }
      }
      case "alive" -> msg.reply(new JsonObject().put("alive", c != null && c.isOpen()));
      default -> {
        LOG.warn("Unknown node message type: {}", body.getString("type"));
        if (msg.replyAddress() != null) {
          msg.fail(Failures.BAD_REQUEST, "unknown node message type: " + body.getString("type"));
        }
      }
    }
  }

  /**
   * Messages already encoded, each for one connection ({@link TextDelivery}, a batch); one with a lobby is written only while the
   * connection is in it, so a CL Omega peer that has left a lobby hears nothing more of it.
   */
  private void onNodeText(Message<String> msg) {
    for (TextDelivery d : TextDelivery.decodeAll(msg.body())) {
      ClientConnection c = gw.connections().get(d.connection());
      if (c != null && (d.lobby() == null || c instanceof OmegaSession omega && d.lobby().equals(omega.lobby()))) {
        c.sendText(d.text());
      }
    }
  }


  private void onFafBroadcast(Message<JsonObject> msg) {
    JsonObject message = msg.body() == null ? null : msg.body().getJsonObject("message");
    if (message == null) {
      return;
    }
    // Node-local fan-out: the broadcast crossed the cluster once, to this node's single consumer.
    for (ClientConnection c : gw.connections().all()) {
      if (c instanceof FafSession faf && faf.isLoggedIn()) {
        faf.send(message);
      }
    }
  }

  private void onOmegaBroadcast(Message<JsonObject> msg) {
    String ugi = msg.body().getString("ugi");
    JsonObject message = msg.body().getJsonObject("message");
    String except = msg.body().getString("exceptConnection");
    JsonArray exceptAll = msg.body().getJsonArray("exceptConnections", new JsonArray());
    for (ClientConnection c : gw.connections().all()) {
      if (c instanceof OmegaSession omega && omega.ugi().equals(ugi) && omega.lobby() == null
        && !omega.id().equals(except) && !exceptAll.contains(omega.id())) {
        omega.send(message);
      }
    }
  }

  private void pingAll() {
    for (ClientConnection c : gw.connections().all()) {
      if (c instanceof FafSession faf) {
        faf.ping();
      }
    }
  }

  /**
   * Stops the node's front doors: new games and searches are refused ({@code disabled}) from now on; every
   * logged-in FAF player is told that the server is going away, those in an open or running game also get a
   * {@code kill} notice (their game is closed), and their sessions are closed cleanly; CL Omega sockets are
   * closed with status 1001 (going away) and {@value #SHUTTING_DOWN}; then the listeners close with every
   * other socket. All of it runs in one turn of the gateway's event loop, so no connection is accepted
   * between the notices and the listeners' close.
   */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(tick);
    List<Future<?>> closing = new ArrayList<>();
    if (gw != null) {
      gw.disabled().stopping();
      gw.presence().tick();
      closing.add(gw.loginLog().flush());
      for (ClientConnection c : gw.connections().all()) {
        if (c instanceof FafSession faf && faf.isLoggedIn()) {
          faf.send(Faf.infoNotice("This server is shutting down. Please reconnect in a moment."));
          if (!gw.presence().gamesOf(faf.playerId()).isEmpty()) {
            faf.send(Faf.notice("kill", "The server is shutting down: your game has been closed."));
          }
          faf.close();
        } else if (c instanceof OmegaSession omega) {
          omega.goingAway(SHUTTING_DOWN);
        }
      }
    }
    closing.add(http == null ? Future.succeededFuture() : http.close());
    closing.add(tcp == null ? Future.succeededFuture() : tcp.close());
    return Future.join(closing);
  }
}
