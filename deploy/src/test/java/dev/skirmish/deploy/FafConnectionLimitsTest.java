package dev.skirmish.deploy;

import dev.skirmish.common.testing.FafClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafTestSupport.account;
import static dev.skirmish.deploy.FafTestSupport.count;
import static dev.skirmish.deploy.FafTestSupport.isNotice;
import static dev.skirmish.deploy.FafTestSupport.ping;
import static dev.skirmish.deploy.FafTestSupport.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

/** The limits of FAF connections, with low settings: inbound message rate, idle time, connections per address. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FafConnectionLimitsTest {

  private static final int FLOOD = 40;

  /** One message a second on average, bursts of 5; a second of silence closes a connection. */
  @RegisterExtension
  @Order(1)
  static final TestNode RATE_NODE = new TestNode("INBOUND_MESSAGES_PER_SECOND", "1", "INBOUND_MESSAGE_BURST", "5",
    "IDLE_TIMEOUT_SECONDS", "1");

  @RegisterExtension
  @Order(2)
  static final TestNode CONNECTIONS_NODE = new TestNode("MAX_CONNECTIONS_PER_IP", "2");

  private static String flood() {
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < FLOOD; i++) {
      lines.append(ping().encode()).append('\n');
    }
    return lines.toString();
  }

  /** Floods {@code client} in one write; expects the warning, the closing notice and the close. */
  private static Future<Void> expectFloodClosed(VertxTestContext ctx, FafClient client) {
    client.sendRaw(flood());
    return client.expectNotice("error").compose(warning -> {
      ctx.verify(() -> assertThat(warning.getString("text")).contains("Too many messages").contains("slow down"));
      return client.expectNotice("error");
    }).compose(closing -> {
      ctx.verify(() -> assertThat(closing.getString("text")).contains("Closing"));
      return client.expectClosed();
    }).map(v -> {
      ctx.verify(() -> assertThat(count(client, m -> "pong".equals(m.getString("command")))).isLessThan(FLOOD / 2));
      return null;
    });
  }

  @Test
  @DisplayName("a flood of messages over TCP or WebSocket: dropped with an error notice, then the connection is closed; another client is served")
  void messageRate(Vertx vertx, VertxTestContext ctx) {
    Future.all(FafClient.tcp(vertx, RATE_NODE.fafTcpPort()), FafClient.webSocket(vertx, RATE_NODE.httpPort()))
      .compose(all -> Future.all(expectFloodClosed(ctx, all.resultAt(0)), expectFloodClosed(ctx, all.resultAt(1))))
      .compose(v -> FafClient.webSocket(vertx, RATE_NODE.httpPort()))
      .compose(calm -> roundTrip(calm).map(pong -> calm))
      .compose(FafClient::close)
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a logged-in connection that sends nothing for IDLE_TIMEOUT_SECONDS gets an error notice and is closed")
  void idleTimeout(Vertx vertx, VertxTestContext ctx) {
    account(vertx, RATE_NODE.node(), "idle").compose(p -> FafClient.tcp(vertx, RATE_NODE.fafTcpPort())
        .compose(client -> client.login(p.token())
          .compose(w -> client.inbox().next(m -> isNotice(m, "error"), "idle notice"))
          .compose(notice -> {
            ctx.verify(() -> assertThat(notice.getString("text")).contains("Nothing received"));
            return client.expectClosed();
          })))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("MAX_CONNECTIONS_PER_IP: beyond it, a TCP or WebSocket connection gets an error notice and is closed; the others keep working")
  void connectionsPerAddress(Vertx vertx, VertxTestContext ctx) {
    Future.all(FafClient.webSocket(vertx, CONNECTIONS_NODE.httpPort()), FafClient.tcp(vertx, CONNECTIONS_NODE.fafTcpPort()))
      .compose(all -> {
        FafClient first = all.resultAt(0);
        FafClient second = all.resultAt(1);
        return Future.all(roundTrip(first), roundTrip(second))
          .compose(v -> FafClient.tcp(vertx, CONNECTIONS_NODE.fafTcpPort()))
          .compose(third -> expectRefused(ctx, third))
          .compose(v -> FafClient.webSocket(vertx, CONNECTIONS_NODE.httpPort()))
          .compose(third -> expectRefused(ctx, third))
          .compose(v -> Future.all(roundTrip(first), roundTrip(second)))
          .compose(v -> Future.all(first.close(), second.close()));
      })
      .onComplete(ctx.succeedingThenComplete());
  }

  private static Future<Void> expectRefused(VertxTestContext ctx, FafClient client) {
    return client.expectNotice("error").compose(notice -> {
      ctx.verify(() -> assertThat(notice.getString("text")).contains("Too many connections"));
      return client.expectClosed();
    }).map(v -> {
      ctx.verify(() -> assertThat(client.inbox().history()).extracting(m -> m.getString("command")).containsExactly("notice"));
      return null;
    });
  }
}
