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

/** Team matchmaking over real WebSockets: a party of two and two single players make one 2v2. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class MatchmakerTeamTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode("MATCHMAKER_POP_MIN_SECONDS", "1", "MATCHMAKER_POP_MAX_SECONDS", "2");

  @Test
  @DisplayName("tmm2v2: a party of two and two singles are matched; the party plays on one team, the singles on the other")
  void partyAndSingles(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "tmo", "tmm", "tms", "tmt").compose(ps -> {
      Player owner = ps.get(0);
      Player member = ps.get(1);
      Player single1 = ps.get(2);
      Player single2 = ps.get(3);
      Promise<Player> hostKnown = Promise.promise();
      List<Future<JsonObject>> launches = ps.stream().map(p -> p.client().expect("game_launch").onSuccess(launch -> {
        if (hostKnown.tryComplete(p)) {
          FafGameKit.openLobby(p);
        }
      })).toList();
      return MatchmakerKit.party(owner, member)
        .compose(v -> {
          owner.client().send(MatchmakerKit.start("tmm2v2"));
          return Future.all(owner.client().inbox().next(MatchmakerKit.searchInfo("tmm2v2", "start"), "owner searching"),
            member.client().inbox().next(MatchmakerKit.searchInfo("tmm2v2", "start"), "member searching"));
        })
        .compose(v -> Future.all(queue(single1, "tmm2v2"), queue(single2, "tmm2v2")))
        .compose(v -> Future.all(ps.stream().map(p -> p.client().expect("match_found")).toList()))
        .compose(v -> Future.all(launches))
        .map(all -> {
          int[] teams = launches.stream().mapToInt(f -> f.result().getInteger("team")).toArray();
          ctx.verify(() -> {
            assertThat(launches.stream().map(f -> f.result().getValue("uid")).distinct()).hasSize(1);
            assertThat(launches.stream().map(f -> f.result().getString("rating_type")).distinct()).containsExactly("tmm_2v2");
            assertThat(teams[0]).as("party members on one team").isEqualTo(teams[1]);
            assertThat(teams[2]).as("singles on one team").isEqualTo(teams[3]);
            assertThat(teams[0]).as("party against singles").isNotEqualTo(teams[2]);
            assertThat(launches.stream().map(f -> f.result().getInteger("map_position")).distinct()).hasSize(4);
            assertThat(launches.stream().allMatch(f -> f.result().getInteger("expected_players") == 4)).isTrue();
          });
          return ps;
        });
    }).compose(ps -> closeAll(ps)).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a member leaving a queued party cancels the party's search for everyone in it")
  void leavingCancelsSearch(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "tlo", "tlm").compose(ps -> {
      Player owner = ps.get(0);
      Player member = ps.get(1);
      return MatchmakerKit.party(owner, member)
        .compose(v -> {
          owner.client().send(MatchmakerKit.start("tmm2v2"));
          return member.client().inbox().next(MatchmakerKit.searchInfo("tmm2v2", "start"), "member searching");
        })
        .compose(v -> {
          member.client().send(new JsonObject().put("command", "leave_party"));
          return Future.all(owner.client().inbox().next(MatchmakerKit.searchInfo("tmm2v2", "stop"), "owner's search stopped"),
            member.client().inbox().next(MatchmakerKit.searchInfo("tmm2v2", "stop"), "member's search stopped"));
        })
        .compose(v -> {
          owner.client().send(new JsonObject().put("command", "matchmaker_info"));
          return owner.client().inbox().next(MatchmakerKit.numPlayers("tmm2v2", 0), "queue empty");
        })
        .map(v -> ps);
    }).compose(ps -> closeAll(ps)).onComplete(ctx.succeedingThenComplete());
  }
}
