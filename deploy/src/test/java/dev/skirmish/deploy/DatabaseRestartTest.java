package dev.skirmish.deploy;

import dev.skirmish.common.Failures;
import dev.skirmish.common.testing.FafClient;
import dev.skirmish.common.testing.OmegaClient;
import dev.skirmish.common.testing.TestAccounts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A PostgreSQL restart under a running node: the node's own PostgreSQL (data directory and port fixed) is
 * stopped and started again while FAF and CL Omega clients are connected. Nothing here restarts the node.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
class DatabaseRestartTest {

  private static Path dataDir;
  private static int port;
  private static EmbeddedPostgres pg;
  private static Node node;

  @BeforeAll
  static void start() throws Exception {
    dataDir = Files.createTempDirectory("skirmish-restart-pg");
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    pg = startDatabase();
    node = TestNodes.start("DATABASE_URL", "postgresql://postgres:postgres@127.0.0.1:" + port + "/postgres",
      "DATABASE_PROBE_MS", "200", "DATABASE_PROBE_TIMEOUT_MS", "1000").await(2, TimeUnit.MINUTES);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close().await(1, TimeUnit.MINUTES);
    }
    if (pg != null) {
      pg.close();
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The test's PostgreSQL, on its port and data directory (kept from an earlier start). */
  private static EmbeddedPostgres startDatabase() throws IOException {
    return EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port).start();
  }

  private static Future<Void> stopDatabase(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      pg.close();
      pg = null;
      return null;
    });
  }

  private static Future<Void> restartDatabase(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      pg = startDatabase();
      return null;
    });
  }

  private static JsonObject avatars() {
    return new JsonObject().put("command", "avatar").put("action", "list_avatar");
  }

  @Test
  @SuppressWarnings("unchecked")
  @DisplayName("PostgreSQL stopped and started again: clients stay connected, /ready is 503 then 200, commands"
    + " that need the database get a clear error, and logins work again without restarting the node")
  void databaseRestart(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, node.httpPort());
    int http = node.httpPort();
    Map<String, Object> seen = new HashMap<>();

    // Before: a logged-in FAF player, an initialised CL Omega socket, and tokens of two more players.
    Future<FafClient> faf = FafTestSupport.loggedIn(vertx, node, "dbfaf").map(FafTestSupport.Player::client);
    Future<TestAccounts.Account> omegaAccount = accounts.register("dbomega");
    Future<OmegaClient> omega = omegaAccount.compose(a -> accounts.omegaToken(a, null))
      .compose(token -> OmegaClient.connect(vertx, http, OmegaSupport.DEMO_UGI)
        .compose(c -> c.init(token).map(ok -> c)));
    Future<FafTestSupport.Player> lateFaf = FafTestSupport.account(vertx, node, "dblate");
    Future<String> lateOmegaToken = accounts.register("dblateo").compose(a -> accounts.omegaToken(a, null));
    // The CL Omega door looks the game up in the database: this socket is opened before the outage.
    Future<OmegaClient> lateOmega = OmegaClient.connect(vertx, http, OmegaSupport.DEMO_UGI);
    Future<FafClient> lateFafClient = FafClient.tcp(vertx, node.fafTcpPort());

    Future<?> before = Future.all(faf, omega, lateFaf, lateOmegaToken, lateOmega, lateFafClient);

    Future<?> outage = before
      .compose(v -> stopDatabase(vertx))
      .compose(v -> HealthTest.readyUntil(vertx, http, 503, 400)).map(r -> seen.put("readyDown", r))
      .compose(v -> accounts.web().get("/health").send()).map(r -> seen.put("health", r))
      // FAF: a command of a logged-in player, then a login, each need the database
      .compose(v -> {
        faf.result().send(avatars());
        return faf.result().expectNotice("error");
      }).map(n -> seen.put("fafCommand", n))
      .compose(v -> {
        lateFafClient.result().send(FafTestSupport.auth(lateFaf.result().token()));
        return lateFafClient.result().expect("authentication_failed");
      }).map(m -> seen.put("fafLogin", m))
      .compose(v -> {
        faf.result().send(new JsonObject().put("command", "ping"));
        return faf.result().expect("pong");
      })
      // CL Omega: INIT needs the database, KEEPALIVE does not
      .compose(v -> {
        lateOmega.result().send("INIT", lateOmegaToken.result(), "init");
        return lateOmega.result().expect("WARNING");
      }).map(w -> seen.put("omegaInit", w))
      .compose(v -> {
        omega.result().send("KEEPALIVE", null, "ka");
        return omega.result().expect("KEEPALIVE");
      })
      // REST
      .compose(v -> accounts.web().post("/api/v0/login")
        .sendJsonObject(new JsonObject().put("email", omegaAccount.result().email())
          .put("password", omegaAccount.result().password())))
      .map(r -> seen.put("restLogin", r))
      .compose(v -> accounts.tokenResponse(omegaAccount.result().username(), omegaAccount.result().password(), "lobby"))
      .map(r -> seen.put("restToken", r));

    Future<String> after = outage
      .compose(v -> restartDatabase(vertx))
      .compose(v -> HealthTest.readyUntil(vertx, http, 200, 400)).map(r -> seen.put("readyUp", r))
      .compose(v -> {
        faf.result().send(avatars());
        return faf.result().expect("avatar");
      })
      .compose(v -> {
        lateFafClient.result().send(FafTestSupport.auth(lateFaf.result().token()));
        return lateFafClient.result().expect("welcome");
      })
      .compose(v -> {
        lateOmega.result().send("INIT", lateOmegaToken.result(), "init");
        return lateOmega.result().expect("INIT_OK");
      })
      .compose(v -> accounts.omegaToken(omegaAccount.result(), null));

    after.onComplete(ctx.succeeding(token -> ctx.verify(() -> {
      HttpResponse<?> down = (HttpResponse<?>) seen.get("readyDown");
      assertThat(down.statusCode()).isEqualTo(503);
      JsonObject downBody = ((HttpResponse<Buffer>) down).bodyAsJsonObject();
      assertThat(downBody.getBoolean("ready")).isFalse();
      assertThat(downBody.getString("database")).isEqualTo("down");
      assertThat(((HttpResponse<?>) seen.get("health")).statusCode()).isEqualTo(200);

      assertThat(((JsonObject) seen.get("fafCommand")).getString("text")).isEqualTo(Failures.UNAVAILABLE_TEXT);
      assertThat(((JsonObject) seen.get("fafLogin")).getString("text")).isEqualTo(Failures.UNAVAILABLE_TEXT);
      JsonObject warning = (JsonObject) seen.get("omegaInit");
      assertThat(warning.getString("payload")).isEqualTo(Failures.UNAVAILABLE_TEXT);
      assertThat(warning.getString("listener")).isEqualTo("init");

      for (String key : new String[] {"restLogin", "restToken"}) {
        HttpResponse<Buffer> rest = (HttpResponse<Buffer>) seen.get(key);
        assertThat(rest.statusCode()).as(key).isEqualTo(503);
        assertThat(rest.getHeader("Retry-After")).as(key).isNotBlank();
        assertThat(rest.bodyAsJsonObject().getString("error")).as(key).isEqualTo("temporarily_unavailable");
      }

      assertThat(((HttpResponse<?>) seen.get("readyUp")).statusCode()).isEqualTo(200);
      assertThat(token).isNotBlank();
      assertThat(faf.result().isClosed()).isFalse();
      assertThat(omega.result().inbox().closed().isComplete()).isFalse();
      assertThat(lateFafClient.result().isClosed()).isFalse();
      assertThat(lateOmega.result().inbox().closed().isComplete()).isFalse();
      ctx.completeNow();
    })));
  }
}
