package dev.skirmish.deploy;

import dev.skirmish.common.Ids;
import dev.skirmish.common.testing.OmegaClient;
import dev.skirmish.common.testing.TestAccounts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.OmegaSupport.DEMO_UGI;
import static dev.skirmish.deploy.OmegaSupport.path;
import static org.assertj.core.api.Assertions.assertThat;

/** Games with authorized origins refuse WebSocket upgrades from other origins with HTTP 403. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class OmegaAllowedOriginsTest {

  private static final String ALLOWED = "http://allowed.example";
  private static final String ALSO_ALLOWED = "https://also.example:8443";
  private static final String UGI = Ids.ulid();
  private static final String GAME = "Origin Game " + UGI.substring(20);

  @RegisterExtension
  static final TestNode NODE = new TestNode();

  @BeforeAll
  static void insertGame() throws Exception {
    OmegaSupport.insertGame(NODE.node().database().pool(), Ids.ulid(), UGI, GAME, ALLOWED, ALSO_ALLOWED)
      .await(1, TimeUnit.MINUTES);
  }

  /** Expects the upgrade to fail with HTTP 403. */
  private static Future<Void> expectRefused(VertxTestContext ctx, Future<?> connect, String what) {
    return connect.transform(ar -> {
      ctx.verify(() -> {
        assertThat(ar.succeeded()).as(what + ": upgrade should be refused").isFalse();
        assertThat(ar.cause()).as(what).isInstanceOf(UpgradeRejectedException.class);
        assertThat(((UpgradeRejectedException) ar.cause()).getStatus()).as(what).isEqualTo(403);
      });
      return Future.succeededFuture();
    });
  }

  @Test
  @DisplayName("an upgrade from a listed Origin is accepted and INIT succeeds")
  void allowedOrigin(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    accounts.register("allowed").compose(account -> accounts.omegaToken(account, ALLOWED)
        .compose(token -> OmegaClient.connect(vertx, NODE.httpPort(), path(UGI), ALLOWED).compose(client ->
          client.init(token).compose(ok -> {
            ctx.verify(() -> {
              assertThat(ok.getJsonObject("payload").getString("game")).isEqualTo(GAME);
              assertThat(ok.getJsonObject("payload").getString("user")).isEqualTo(account.username());
            });
            return client.close().compose(v -> client.expectClosed());
          })))
        .compose(v -> accounts.omegaToken(account, null))
        .compose(token -> OmegaClient.connect(vertx, NODE.httpPort(), "/api/signaling?ugi=" + UGI.toLowerCase(), ALSO_ALLOWED)
          .compose(client -> OmegaSupport.initOnceFree(vertx, client, token, 100).compose(ok -> client.close()))))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("an upgrade from an unlisted Origin is refused with HTTP 403")
  void otherOrigin(Vertx vertx, VertxTestContext ctx) {
    expectRefused(ctx, OmegaClient.connect(vertx, NODE.httpPort(), path(UGI), "http://evil.example"), "evil origin")
      .compose(v -> expectRefused(ctx, OmegaClient.connect(vertx, NODE.httpPort(), path(UGI), ALLOWED + "/"),
        "trailing slash"))
      .compose(v -> expectRefused(ctx, OmegaClient.connect(vertx, NODE.httpPort(), path(UGI), "https://allowed.example"),
        "other scheme"))
      .compose(v -> expectRefused(ctx, OmegaClient.connect(vertx, NODE.httpPort(), path(UGI), "http://allowed.example:8080"),
        "other port"))
      .compose(v -> expectRefused(ctx, OmegaClient.connect(vertx, NODE.httpPort(), "/api/signaling?ugi=" + UGI,
        "http://evil.example"), "unversioned path"))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("an upgrade without any Origin header is refused with HTTP 403")
  void noOrigin(Vertx vertx, VertxTestContext ctx) {
    expectRefused(ctx, OmegaSupport.connectWithoutOrigin(vertx, NODE.httpPort(), path(UGI)), "no Origin")
      // the test client's default Origin is not listed either
      .compose(v -> expectRefused(ctx, OmegaClient.connect(vertx, NODE.httpPort(), path(UGI), null), "default Origin"))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a game without authorized origins accepts any Origin, and none")
  void unrestrictedGame(Vertx vertx, VertxTestContext ctx) {
    OmegaClient.connect(vertx, NODE.httpPort(), path(DEMO_UGI), "http://evil.example")
      .compose(client -> {
        client.send("KEEPALIVE", null, "a");
        return client.expect("KEEPALIVE").compose(p -> client.close());
      })
      .compose(v -> OmegaSupport.connectWithoutOrigin(vertx, NODE.httpPort(), path(DEMO_UGI)))
      .compose(raw -> {
        raw.send("KEEPALIVE", null, "b");
        return raw.expect("KEEPALIVE").compose(p -> {
          ctx.verify(() -> assertThat(p.getString("listener")).isEqualTo("b"));
          return raw.ws().close();
        });
      })
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("the origin check does not hide UGI errors: a malformed or unknown UGI is still a VIOLATION")
  void ugiErrorsUnaffected(Vertx vertx, VertxTestContext ctx) {
    OmegaClient.connect(vertx, NODE.httpPort(), path("bad"), "http://evil.example")
      .compose(client -> client.expect("VIOLATION").compose(p -> client.expectClosed()))
      .compose(v -> OmegaClient.connect(vertx, NODE.httpPort(), path(Ids.ulid()), "http://evil.example"))
      .compose(client -> client.expect("VIOLATION").compose(p -> {
        ctx.verify(() -> assertThat(p.getString("payload")).isEqualTo("game not found"));
        return client.expectClosed();
      }))
      .onComplete(ctx.succeedingThenComplete());
  }
}
