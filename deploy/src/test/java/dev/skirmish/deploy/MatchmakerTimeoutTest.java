package dev.skirmish.deploy;

import dev.skirmish.deploy.FafTestSupport.Player;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
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
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A matched host whose game never opens its lobby, end to end: the match is cancelled for both players,
 * the host alone gets a violation, and the other player can queue again at once.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class MatchmakerTimeoutTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode("MATCHMAKER_POP_MIN_SECONDS", "1", "MATCHMAKER_POP_MAX_SECONDS", "2",
    "MATCH_HOST_TIMEOUT_SECONDS", "2");

  @Test
  @DisplayName("host time-out: match_cancelled to both, search_violation to the host only, the guest queues again")
  void hostTimeout(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "mto1", "mto2").compose(ps -> {
      Promise<Player> hostKnown = Promise.promise();
      ps.forEach(p -> p.client().expect("game_launch").onSuccess(launch -> hostKnown.tryComplete(p)));
      return Future.all(queue(ps.get(0), "ladder1v1"), queue(ps.get(1), "ladder1v1"))
        .compose(v -> hostKnown.future())
        .compose(host -> {
          Player guest = host == ps.get(0) ? ps.get(1) : ps.get(0);
          return Future.all(host.client().expect("match_cancelled"), guest.client().expect("match_cancelled"),
              host.client().expect("search_violation"))
            .compose(all -> {
              JsonObject violation = all.resultAt(2);
              ctx.verify(() -> {
                assertThat(violation.getInteger("count")).isEqualTo(1);
                assertThat(guest.client().inbox().history().stream()
                  .anyMatch(m -> "game_launch".equals(m.getString("command")))).as("guest launched").isFalse();
              });
              return queue(guest, "ladder1v1");
            })
            .compose(v -> FafTestSupport.roundTrip(guest.client()))
            .map(v -> {
              ctx.verify(() -> assertThat(guest.client().inbox().history().stream()
                .anyMatch(m -> "search_violation".equals(m.getString("command")))).as("guest blamed").isFalse());
              return List.of(host, guest);
            });
        });
    }).compose(ps -> closeAll(ps)).onComplete(ctx.succeedingThenComplete());
  }
}
