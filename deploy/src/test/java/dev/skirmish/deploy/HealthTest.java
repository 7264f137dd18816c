package dev.skirmish.deploy;

import dev.skirmish.common.Database;
import dev.skirmish.common.DatabaseHealth;
import dev.skirmish.common.Ids;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.testing.TestDatabase;
import dev.skirmish.gateway.GatewayVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /health, /ready and /metrics. The node of this class reaches PostgreSQL through a small TCP relay that a
 * test can cut, so that "database unreachable" is a real network failure, not a mock.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class HealthTest {

  private static Vertx relayVertx;
  private static DatabaseRelay relay;
  private static Node node;
  private static Node second;

  @BeforeAll
  static void start() throws Exception {
    relayVertx = Vertx.vertx();
    PgConnectOptions db = Database.parseUrl(TestDatabase.url());
    relay = DatabaseRelay.start(relayVertx, db.getHost(), db.getPort()).await(1, TimeUnit.MINUTES);
    String url = "postgresql://" + db.getUser() + ":" + db.getPassword() + "@127.0.0.1:" + relay.port() + "/"
      + db.getDatabase();
    node = TestNodes.start("DATABASE_URL", url, "DATABASE_PROBE_MS", "100").await(2, TimeUnit.MINUTES);
    second = TestNodes.start().await(2, TimeUnit.MINUTES);
  }

  @AfterAll
  static void stop() throws Exception {
    if (second != null) {
      second.close().await(1, TimeUnit.MINUTES);
    }
    if (node != null) {
      node.close().await(1, TimeUnit.MINUTES);
    }
    if (relayVertx != null) {
      relayVertx.close().await(1, TimeUnit.MINUTES);
    }
  }

  private static WebClient web(Vertx vertx, int port) {
    return WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  private static Future<HttpResponse<Buffer>> get(Vertx vertx, int port, String path) {
    return web(vertx, port).get(path).send();
  }

  private static void assertStatus(HttpResponse<Buffer> resp, int code, String status) {
    assertThat(resp.statusCode()).as("HTTP status of %s", resp.bodyAsString()).isEqualTo(code);
    assertThat(resp.getHeader("Content-Type")).startsWith("application/json");
    assertThat(resp.bodyAsJsonObject().getString("status")).isEqualTo(status);
  }

  private static void assertPrometheus(HttpResponse<Buffer> resp) {
    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(resp.getHeader("Content-Type")).startsWith("text/plain");
    assertThat(resp.bodyAsString()).contains("# TYPE vertx_", "vertx_http_server_requests_total", "vertx_eventbus_");
  }

  @Test
  @DisplayName("/health answers 200 {status: UP}")
  void health(Vertx vertx, VertxTestContext ctx) {
    get(vertx, node.httpPort(), "/health").onComplete(ctx.succeeding(resp -> ctx.verify(() -> {
      assertStatus(resp, 200, "UP");
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("/ready answers 200 {status: READY} once every service of the node has started")
  void ready(Vertx vertx, VertxTestContext ctx) {
    get(vertx, node.httpPort(), "/ready").onComplete(ctx.succeeding(resp -> ctx.verify(() -> {
      assertStatus(resp, 200, "READY");
      assertThat(resp.bodyAsJsonObject().getString("node")).isEqualTo(node.id());
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("/ready answers 503 {ready: false, database: down} while the database is unreachable, and 200 again once it is back")
  void readyFollowsTheDatabase(Vertx vertx, VertxTestContext ctx) {
    Future<HttpResponse<Buffer>> down = relay.cut().compose(v -> readyUntil(vertx, node.httpPort(), 503, 200));
    // /health is liveness only: the process is fine even when its database is not.
    Future<HttpResponse<Buffer>> health = down.compose(r -> get(vertx, node.httpPort(), "/health"));
    Future<HttpResponse<Buffer>> up = health.compose(r -> {
      relay.restore();
      return readyUntil(vertx, node.httpPort(), 200, 200);
    });
    up.eventually(() -> {
      relay.restore();
      return Future.succeededFuture();
    }).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertStatus(down.result(), 503, "DATABASE_UNAVAILABLE");
      assertThat(down.result().bodyAsJsonObject().getBoolean("ready")).isFalse();
      assertThat(down.result().bodyAsJsonObject().getString("database")).isEqualTo("down");
      assertStatus(health.result(), 200, "UP");
      assertStatus(up.result(), 200, "READY");
      assertThat(up.result().bodyAsJsonObject().getBoolean("ready")).isTrue();
      assertThat(up.result().bodyAsJsonObject().getString("database")).isEqualTo("up");
      ctx.completeNow();
    })));
  }

  /**
   * /ready until it answers {@code status}, a bounded number of times (the database is probed every
   * {@code DATABASE_PROBE_MS}); the last answer either way.
   */
  static Future<HttpResponse<Buffer>> readyUntil(Vertx vertx, int port, int status, int attemptsLeft) {
    return get(vertx, port, "/ready").compose(resp -> resp.statusCode() == status || attemptsLeft == 0
      ? Future.succeededFuture(resp)
      : vertx.timer(50, TimeUnit.MILLISECONDS).compose(t -> readyUntil(vertx, port, status, attemptsLeft - 1)));
  }

  @Test
  @DisplayName("/ready answers 503 {status: STARTING} while the node's services are still starting")
  void readyWaitsForTheServices(Vertx vertx, VertxTestContext ctx) {
    AtomicBoolean servicesStarted = new AtomicBoolean(false);
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
      .connectingTo(Database.parseUrl(TestDatabase.url())).using(vertx).build();
    NodeConfig config = TestNodes.config("FAF_TCP_PORT", "-1", "METRICS_ENABLED", "false");
    DatabaseHealth health = DatabaseHealth.start(vertx, pool, config);
    GatewayVerticle gateway = new GatewayVerticle(config, pool, health, Ids.ulid(), servicesStarted::get);
    Future<String> deployed = vertx.deployVerticle(gateway);
    Future<HttpResponse<Buffer>> starting = deployed.compose(id -> get(vertx, gateway.httpPort(), "/ready"));
    Future<HttpResponse<Buffer>> started = starting.compose(r -> {
      servicesStarted.set(true);
      return get(vertx, gateway.httpPort(), "/ready");
    });
    started
      .onSuccess(r -> ctx.verify(() -> {
        assertStatus(starting.result(), 503, "STARTING");
        assertStatus(started.result(), 200, "READY");
      }))
      .eventually(() -> deployed.compose(vertx::undeploy))
      .eventually(() -> {
        health.stop();
        return pool.close();
      })
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("/metrics serves Prometheus text with Vert.x metrics, per node, for two nodes in one JVM")
  void metrics(Vertx vertx, VertxTestContext ctx) {
    // One request first, so that HTTP server metrics exist.
    Future<?> requested = Future.all(get(vertx, node.httpPort(), "/health"), get(vertx, second.httpPort(), "/health"));
    Future<HttpResponse<Buffer>> first = requested.compose(v -> get(vertx, node.httpPort(), "/metrics"));
    Future<HttpResponse<Buffer>> other = requested.compose(v -> get(vertx, second.httpPort(), "/metrics"));
    Future.all(first, other).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertPrometheus(first.result());
      assertPrometheus(other.result());
      ctx.completeNow();
    })));
  }

  /** A TCP relay to PostgreSQL that can be cut (every connection closed, new ones refused) and restored. */
  static final class DatabaseRelay {

    private final Vertx vertx;
    private final String host;
    private final int targetPort;
    private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private NetServer server;

    private DatabaseRelay(Vertx vertx, String host, int targetPort) {
      this.vertx = vertx;
      this.host = host;
      this.targetPort = targetPort;
    }

    static Future<DatabaseRelay> start(Vertx vertx, String host, int targetPort) {
      DatabaseRelay relay = new DatabaseRelay(vertx, host, targetPort);
      return vertx.createNetServer().connectHandler(relay::accept).listen(0, "127.0.0.1").map(server -> {
        relay.server = server;
        return relay;
      });
    }

    int port() {
      return server.actualPort();
    }

    private void accept(NetSocket client) {
      if (cut) {
        client.close();
        return;
      }
      client.pause();
      vertx.createNetClient().connect(targetPort, host).onComplete(ar -> {
        if (ar.failed() || cut) {
          client.close();
          if (ar.succeeded()) {
            ar.result().close();
          }
          return;
        }
        NetSocket upstream = ar.result();
        sockets.add(client);
        sockets.add(upstream);
        client.closeHandler(v -> {
          sockets.remove(client);
          upstream.close();
        });
        upstream.closeHandler(v -> {
          sockets.remove(upstream);
          client.close();
        });
        client.pipeTo(upstream);
        upstream.pipeTo(client);
        client.resume();
      });
    }

    /** Closes every relayed connection and refuses new ones; completes once they are all closed. */
    Future<Void> cut() {
      cut = true;
      return Future.all(sockets.stream().map(NetSocket::close).toList()).mapEmpty();
    }

    void restore() {
      cut = false;
    }
  }
}
