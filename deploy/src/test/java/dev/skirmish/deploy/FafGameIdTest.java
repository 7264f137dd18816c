package dev.skirmish.deploy;

import dev.skirmish.deploy.FafTestSupport.Player;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafGameKit.host;
import static dev.skirmish.deploy.FafGameKit.hostCommand;
import static org.assertj.core.api.Assertions.assertThat;

/** FAF game ids come from the database: a node restarted on the same database never hands out an id again. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class FafGameIdTest {

  /** Each player hosts a game that never launches (so no game record is written); completes with the game ids. */
  private static Future<List<Long>> hostedIds(Vertx vertx, Node node, String... prefixes) {
    return FafGameKit.players(vertx, node, prefixes).compose(ps -> {
      List<Future<Long>> ids = new ArrayList<>();
      for (Player p : ps) {
        ids.add(host(p, hostCommand("Never launched")).map(launch -> launch.getLong("uid")));
      }
      return Future.all(ids).compose(all -> FafGameKit.closeAll(ps))
        .map(v -> ids.stream().map(Future::result).toList());
    });
  }

  @Test
  @DisplayName("game ids hosted after a node restart on the same database are new ones")
  void idsSurviveARestart(Vertx vertx, VertxTestContext ctx) {
    List<Node> running = new ArrayList<>();
    TestNodes.start()
      .compose(first -> {
        running.add(first);
        return hostedIds(vertx, first, "gida", "gidb").compose(before -> {
          running.remove(first);
          return first.close().map(before);
        });
      })
      .compose(before -> TestNodes.start().compose(second -> {
        running.add(second);
        return hostedIds(vertx, second, "gidc", "gidd").map(after -> {
          ctx.verify(() -> {
            assertThat(before).doesNotHaveDuplicates();
            assertThat(after).doesNotHaveDuplicates().doesNotContainAnyElementsOf(before);
            assertThat(after.stream().mapToLong(Long::longValue).min().orElseThrow())
              .isGreaterThan(before.stream().mapToLong(Long::longValue).max().orElseThrow());
          });
          return null;
        });
      }))
      .eventually(() -> Future.all(running.stream().map(Node::close).toList()))
      .onComplete(ctx.succeedingThenComplete());
  }
}
