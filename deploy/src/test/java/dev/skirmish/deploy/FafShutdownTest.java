package dev.skirmish.deploy;

import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A node that stops tells its logged-in FAF players before it closes their connections. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class FafShutdownTest {

  @Test
  @DisplayName("stopping a node: every logged-in FAF player gets an info notice, then the connection closes")
  void noticeBeforeClose(Vertx vertx, VertxTestContext ctx) {
    TestNodes.start().compose(node -> FafTestSupport.loggedIn(vertx, node, "bye")
      .compose(p -> {
        io.vertx.core.Future<Void> closing = node.close();
        return p.client().expectNotice("info").compose(n -> {
          ctx.verify(() -> assertThat(n.getString("text")).contains("shutting down"));
          return p.client().expectClosed();
        }).compose(v -> closing);
      })).onComplete(ctx.succeedingThenComplete());
  }
}
