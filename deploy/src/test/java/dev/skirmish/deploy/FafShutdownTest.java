package dev.skirmish.deploy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A node that stops tells its logged-in FAF players (and closes their games) before it closes their connections. */
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

  @Test
  @DisplayName("shutdown: a player in a game gets the info notice, then a kill notice, then the connection closes; an idle one no kill")
  void shutdownKillsGames(Vertx vertx, VertxTestContext ctx) {
    TestNodes.start().compose(node -> FafGameKit.players(vertx, node, "sdhost", "sdidle").compose(ps -> {
      FafTestSupport.Player host = ps.get(0);
      FafTestSupport.Player idle = ps.get(1);
      return FafGameKit.hostOpen(host, "shutdown test")
        // The game is open once the tick announced it: wait for its game_info at the idle player.
        .compose(uid -> idle.client().inbox().next(FafGameKit.gameInfo(uid, "open"), "the open game"))
        .compose(g -> {
          Future<Void> closing = node.close();
          return host.client().expectNotice("info")
            .compose(info -> host.client().expectNotice("kill"))
            .compose(kill -> host.client().expectClosed())
            .compose(v -> idle.client().expectNotice("info"))
            .compose(info -> idle.client().expectClosed())
            .compose(v -> closing)
            .map(v -> {
              List<String> styles = idle.client().inbox().history().stream()
                .filter(m -> "notice".equals(m.getString("command"))).map(m -> m.getString("style")).toList();
              ctx.verify(() -> assertThat(styles).containsExactly("info"));
              return null;
            });
        });
    })).onComplete(ctx.succeedingThenComplete());
  }
}
