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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafGameKit.closeAll;
import static dev.skirmish.deploy.FafGameKit.players;
import static dev.skirmish.deploy.MatchmakerKit.queue;
import static dev.skirmish.deploy.MatchmakerKit.queuedNow;
import static dev.skirmish.deploy.MatchmakerKit.searchInfo;
import static dev.skirmish.deploy.MatchmakerKit.searchInfos;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A matched host whose game never opens its lobby, end to end: the match is cancelled for every player,
 * the host alone gets a violation, and the searches of the players who were not to blame go back into the
 * queue (a party only if its members are all innocent). The violation is recorded once the re-queue is
 * done, so when the host hears of it the queue holds exactly the innocent.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class MatchmakerTimeoutTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode("MATCHMAKER_POP_MIN_SECONDS", "1", "MATCHMAKER_POP_MAX_SECONDS", "2",
    "MATCH_HOST_TIMEOUT_SECONDS", "2");

  private static boolean launched(Player p) {
    return p.client().inbox().history().stream().anyMatch(m -> "game_launch".equals(m.getString("command")));
  }

  private static boolean blamed(Player p) {
    return p.client().inbox().history().stream().anyMatch(m -> "search_violation".equals(m.getString("command")));
  }

  /** The player whose game_launch comes first: the host, who never opens the lobby. */
  private static Future<Player> host(List<Player> ps) {
    Promise<Player> hostKnown = Promise.promise();
    ps.forEach(p -> p.client().expect("game_launch").onSuccess(launch -> hostKnown.tryComplete(p)));
    return hostKnown.future();
  }

  @Test
  @DisplayName("host time-out: match_cancelled to both, the guest is back in the queue by itself, the host gets a violation"
    + " and is not re-queued; queueing again, the host is matched with the guest")
  void hostTimeout(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "mto1", "mto2").compose(ps -> {
      Future<Player> hostKnown = host(ps);
      return Future.all(queue(ps.get(0), "ladder1v1"), queue(ps.get(1), "ladder1v1"))
        .compose(v -> hostKnown)
        .compose(host -> {
          Player guest = host == ps.get(0) ? ps.get(1) : ps.get(0);
          return Future.all(host.client().expect("match_cancelled"), guest.client().expect("match_cancelled"),
              guest.client().inbox().next(searchInfo("ladder1v1", "start"), "guest re-queued"),
              host.client().expect("search_violation"))
            .compose(all -> {
              JsonObject violation = all.resultAt(3);
              ctx.verify(() -> {
                assertThat(violation.getInteger("count")).isEqualTo(1);
                assertThat(launched(guest)).as("guest launched").isFalse();
                assertThat(searchInfos(host, "ladder1v1", "start")).as("host re-queued").isEqualTo(1);
              });
              return queuedNow(host, "ladder1v1");
            })
            .compose(counts -> {
              ctx.verify(() -> assertThat(counts).as("the guest alone is queued").isNotEmpty().containsOnly(1));
              return queue(host, "ladder1v1");
            })
            .compose(v -> Future.all(host.client().expect("match_found"), guest.client().expect("match_found")))
            .map(v -> {
              ctx.verify(() -> assertThat(blamed(guest)).as("guest blamed").isFalse());
              return List.of(host, guest);
            });
        });
    }).compose(ps -> closeAll(ps)).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("tmm2v2 host time-out: a party goes back into the queue only if the host is not one of its members;"
    + " the other innocent searches go back, the host's does not")
  void partyOfTheHostStaysOut(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "mtpo", "mtpm", "mtps", "mtpt").compose(ps -> {
      Player owner = ps.get(0);
      Player member = ps.get(1);
      Future<Player> hostKnown = host(ps);
      return MatchmakerKit.party(owner, member)
        .compose(v -> {
          owner.client().send(MatchmakerKit.start("tmm2v2"));
          return Future.all(owner.client().inbox().next(searchInfo("tmm2v2", "start"), "owner searching"),
            member.client().inbox().next(searchInfo("tmm2v2", "start"), "member searching"));
        })
        .compose(v -> Future.all(queue(ps.get(2), "tmm2v2"), queue(ps.get(3), "tmm2v2")))
        .compose(v -> hostKnown)
        .compose(host -> {
          List<Player> out = host == owner || host == member ? List.of(owner, member) : List.of(host);
          List<Player> back = new ArrayList<>(ps);
          back.removeAll(out);
          List<Future<JsonObject>> waits = new ArrayList<>();
          ps.forEach(p -> waits.add(p.client().expect("match_cancelled")));
          back.forEach(p -> waits.add(p.client().inbox().next(searchInfo("tmm2v2", "start"), "player " + p.id() + " re-queued")));
          waits.add(host.client().expect("search_violation"));
          return Future.all(waits)
            .compose(v -> queuedNow(host, "tmm2v2"))
            .map(counts -> {
              ctx.verify(() -> {
                assertThat(counts).as("exactly the innocent searches are queued").isNotEmpty().containsOnly(back.size());
                out.forEach(p -> assertThat(searchInfos(p, "tmm2v2", "start")).as("player " + p.id() + " re-queued").isEqualTo(1));
                back.forEach(p -> assertThat(blamed(p)).as("player " + p.id() + " blamed").isFalse());
              });
              return ps;
            });
        });
    }).compose(ps -> closeAll(ps)).onComplete(ctx.succeedingThenComplete());
  }
}
