package dev.skirmish.deploy;

import dev.skirmish.common.testing.OmegaClient;
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

import static dev.skirmish.deploy.OmegaSupport.DEMO_UGI;
import static org.assertj.core.api.Assertions.assertThat;

/** The limits of CL Omega sockets, with low settings: the INIT deadline, idle time, message rate, sockets per address. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class OmegaConnectionLimitsTest {

  private static final short POLICY_VIOLATION = 1008;

  @RegisterExtension
  @Order(1)
  static final TestNode INIT_NODE = new TestNode("OMEGA_INIT_TIMEOUT_SECONDS", "1");

  /** A second of silence closes a socket; one message a second on average, bursts of 5. */
  @RegisterExtension
  @Order(2)
  static final TestNode BUSY_NODE = new TestNode("IDLE_TIMEOUT_SECONDS", "1", "INBOUND_MESSAGES_PER_SECOND", "1",
    "INBOUND_MESSAGE_BURST", "5");

  @RegisterExtension
  @Order(3)
  static final TestNode CONNECTIONS_NODE = new TestNode("MAX_CONNECTIONS_PER_IP", "1");

  private static Future<OmegaClient> connect(Vertx vertx, TestNode node) {
    return OmegaClient.connect(vertx, node.httpPort(), DEMO_UGI);
  }

  /** Waits for a VIOLATION whose payload contains {@code text}, then for the close with status 1008. */
  private static Future<Void> expectViolation(VertxTestContext ctx, OmegaClient client, String text) {
    return client.expect("VIOLATION").compose(v -> {
      ctx.verify(() -> assertThat(String.valueOf(v.getValue("payload"))).contains(text));
      return client.expectClosed();
    }).map(v -> {
      ctx.verify(() -> assertThat(client.closeStatus()).isEqualTo(POLICY_VIOLATION));
      return null;
    });
  }

  private static Future<Void> keepalive(OmegaClient client) {
    client.send("KEEPALIVE", null, "k");
    return client.expect("KEEPALIVE").mapEmpty();
  }

  @Test
  @DisplayName("a socket that talks but sends no INIT within OMEGA_INIT_TIMEOUT_SECONDS gets VIOLATION and the close")
  void initDeadline(Vertx vertx, VertxTestContext ctx) {
    connect(vertx, INIT_NODE).compose(client -> keepalive(client).compose(v -> expectViolation(ctx, client, "INIT")))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a socket that sends nothing for IDLE_TIMEOUT_SECONDS gets VIOLATION and the close")
  void idleTimeout(Vertx vertx, VertxTestContext ctx) {
    connect(vertx, BUSY_NODE).compose(client -> keepalive(client).compose(v -> expectViolation(ctx, client, "Nothing received")))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a flood of packets: WARNING, then VIOLATION and the close; another socket is served")
  void messageRate(Vertx vertx, VertxTestContext ctx) {
    connect(vertx, BUSY_NODE).compose(client -> {
      for (int i = 0; i < 40; i++) {
        client.send("KEEPALIVE", null, "flood");
      }
      return client.inbox().next(p -> "WARNING".equals(p.getString("opcode")), "WARNING").compose(w -> {
        ctx.verify(() -> assertThat(w.getString("payload")).contains("Too many messages"));
        return expectViolation(ctx, client, "Too many messages");
      }).map(v -> {
        ctx.verify(() -> assertThat(client.inbox().history().stream()
          .filter(p -> "KEEPALIVE".equals(p.getString("opcode"))).count()).isLessThan(20));
        return null;
      });
    }).compose(v -> connect(vertx, BUSY_NODE))
      .compose(calm -> keepalive(calm).compose(v -> calm.close()))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("MAX_CONNECTIONS_PER_IP: a socket beyond it gets VIOLATION and the close; the first keeps working")
  void connectionsPerAddress(Vertx vertx, VertxTestContext ctx) {
    connect(vertx, CONNECTIONS_NODE).compose(first -> keepalive(first)
        .compose(v -> connect(vertx, CONNECTIONS_NODE))
        .compose(second -> expectViolation(ctx, second, "Too many connections"))
        .compose(v -> keepalive(first))
        .compose(v -> first.close()))
      .onComplete(ctx.succeedingThenComplete());
  }
}
