package dev.skirmish.deploy;

import dev.skirmish.common.testing.OmegaClient;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.OmegaSupport.DEMO_UGI;
import static dev.skirmish.deploy.OmegaSupport.path;
import static org.assertj.core.api.Assertions.assertThat;

/** A gateway whose cluster has no signaling service cannot look games up: the socket is refused after the upgrade. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class OmegaWithoutSignalingTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode("ROLES", "gateway");

  @Test
  @DisplayName("a failed game lookup is VIOLATION \"game lookup failed: ...\" and a close with 1008")
  void lookupFails(Vertx vertx, VertxTestContext ctx) {
    OmegaClient.connect(vertx, NODE.httpPort(), path(DEMO_UGI), null)
      .compose(client -> client.next().compose(p -> {
        ctx.verify(() -> {
          assertThat(p.getString("opcode")).isEqualTo("VIOLATION");
          assertThat(p.getString("payload")).startsWith("game lookup failed: ");
          assertThat(p.fieldNames()).containsExactlyInAnyOrder("opcode", "payload");
        });
        return client.expectClosed();
      }).map(v -> {
        ctx.verify(() -> assertThat(client.closeStatus()).isEqualTo((short) 1008));
        return null;
      }))
      .onComplete(ctx.succeedingThenComplete());
  }
}
