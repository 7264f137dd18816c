package dev.skirmish.deploy;

import dev.skirmish.deploy.FafTestSupport.Player;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafGameKit.closeAll;
import static dev.skirmish.deploy.FafGameKit.players;
import static dev.skirmish.deploy.MatchmakerKit.queue;
import static dev.skirmish.deploy.MatchmakerKit.searchInfo;
import static dev.skirmish.deploy.MatchmakerKit.searchInfos;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A matchmade game refused by a player who leaves during its set-up (the set-up time-outs are the long
 * defaults, so nothing else ends the match): the leaver is blamed, the host is put back into the queue and
 * is matched again with the next player who queues.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class MatchmakerRequeueTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode("MATCHMAKER_POP_MIN_SECONDS", "1", "MATCHMAKER_POP_MAX_SECONDS", "2");

  @Test
  @DisplayName("the guest disconnects while the host sets up: match_cancelled to the host, who is re-queued without a"
    + " violation and matched with a newcomer")
  void guestLeavesDuringSetUp(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "mrq1", "mrq2", "mrq3").compose(ps -> {
      Promise<Player> hostKnown = Promise.promise();
      ps.subList(0, 2).forEach(p -> p.client().expect("game_launch").onSuccess(launch -> hostKnown.tryComplete(p)));
      Player newcomer = ps.get(2);
      return Future.all(queue(ps.get(0), "ladder1v1"), queue(ps.get(1), "ladder1v1"))
        .compose(v -> hostKnown.future())
        .compose(host -> {
          Player guest = host == ps.get(0) ? ps.get(1) : ps.get(0);
          return guest.client().close()
            .compose(v -> Future.all(host.client().expect("match_cancelled"),
              host.client().inbox().next(searchInfo("ladder1v1", "start"), "host re-queued")))
            .compose(v -> queue(newcomer, "ladder1v1"))
            .compose(v -> Future.all(host.client().expect("match_found"), newcomer.client().expect("match_found")))
            .map(v -> {
              ctx.verify(() -> {
                assertThat(searchInfos(host, "ladder1v1", "start")).as("queued, then re-queued once").isEqualTo(2);
                assertThat(host.client().inbox().history())
                  .noneMatch(m -> "search_violation".equals(m.getString("command")));
              });
              return List.of(host, newcomer);
            });
        });
    }).compose(ps -> closeAll(ps)).onComplete(ctx.succeedingThenComplete());
  }
}
