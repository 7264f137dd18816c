package dev.skirmish.deploy;

import dev.skirmish.common.testing.FafClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafTestSupport.account;
import static dev.skirmish.deploy.FafTestSupport.commands;
import static dev.skirmish.deploy.FafTestSupport.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

/** The login time-out and the server ping, with both shortened to one second. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FafTimersTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode("FAF_LOGIN_TIMEOUT_SECONDS", "1", "FAF_PING_INTERVAL_SECONDS", "1");

  @Test
  @DisplayName("a connection that does not log in gets an error notice and is closed when the login time-out ends")
  void loginTimeout(Vertx vertx, VertxTestContext ctx) {
    Future.all(FafClient.webSocket(vertx, NODE.httpPort()), FafClient.tcp(vertx, NODE.fafTcpPort())).compose(all -> {
      FafClient ws = all.resultAt(0);
      FafClient tcp = all.resultAt(1);
      // Talking without logging in does not extend the time-out.
      return roundTrip(ws)
        .compose(pong -> Future.all(ws.expectNotice("error"), tcp.expectNotice("error")))
        .compose(notices -> Future.all(ws.expectClosed(), tcp.expectClosed()).map(v -> {
          ctx.verify(() -> {
            assertThat(notices.<JsonObject>resultAt(0).getString("text")).containsIgnoringCase("login");
            assertThat(commands(ws)).containsExactly("pong", "notice");
            assertThat(commands(tcp)).containsExactly("notice");
          });
          return null;
        }));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a failed login does not stop the time-out")
  void failedLoginStillTimesOut(Vertx vertx, VertxTestContext ctx) {
    FafClient.webSocket(vertx, NODE.httpPort()).compose(client -> {
      client.send(FafTestSupport.auth("garbage"));
      return client.expect("authentication_failed")
        .compose(f -> client.expectNotice("error"))
        .compose(n -> client.expectClosed());
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a logged-in client gets the server ping, is not timed out, and only logged-in clients are pinged")
  void serverPingAndNoTimeoutAfterLogin(Vertx vertx, VertxTestContext ctx) {
    account(vertx, NODE.node(), "pinged").compose(p -> FafClient.webSocket(vertx, NODE.httpPort())
      .compose(client -> FafClient.webSocket(vertx, NODE.httpPort()).compose(anonymous -> client.login(p.token())
        .compose(w -> client.expect("ping"))
        .compose(ping -> client.expect("ping"))
        // Two pings a second apart: the login time-out of this connection has passed, and every ping round
        // so far has also visited the anonymous connection.
        .compose(ping -> anonymous.expectClosed())
        .compose(v -> roundTrip(client))
        .map(pong -> {
          ctx.verify(() -> {
            assertThat(client.isClosed()).isFalse();
            assertThat(client.inbox().history()).noneMatch(m -> FafTestSupport.isNotice(m, "error"));
            assertThat(commands(anonymous)).containsExactly("notice");
          });
          return client;
        }))))
      .compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a client ping is answered with pong, before and after login")
  void clientPing(Vertx vertx, VertxTestContext ctx) {
    account(vertx, NODE.node(), "pong").compose(p -> FafClient.tcp(vertx, NODE.fafTcpPort())
      .compose(client -> roundTrip(client)
        .compose(pong -> client.login(p.token()))
        .compose(w -> roundTrip(client))
        .map(pong -> {
          ctx.verify(() -> assertThat(pong.fieldNames()).containsExactly("command"));
          return client;
        })))
      .compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }
}
