package dev.skirmish.deploy;

import dev.skirmish.deploy.FafTestSupport.Player;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafTestSupport.roundTrip;
import static dev.skirmish.deploy.MatchmakerKit.queue;
import static dev.skirmish.deploy.MatchmakerKit.searchInfo;
import static dev.skirmish.deploy.MatchmakerKit.searchInfos;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A ready check outlives the matchmaker node that began it: a gateway node with the other services and two
 * matchmaker-only nodes, ladder1v1 with a ready check (for the time of this class). The two matchmaker
 * nodes give different times to accept, so {@code expires_in} tells which node began the check; that node
 * then drops out of the cluster without any clean-up, and the other expires the check at its stored deadline.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class MatchmakerReadyClusterTest {

  private static Node gateway;
  private static Node first;
  private static Node second;

  @BeforeAll
  static void startCluster() throws Exception {
    ClusterTestNodes cluster = ClusterTestNodes.create("mmready");
    gateway = cluster.start("ROLES", "gateway,games,party,signaling").await(2, TimeUnit.MINUTES);
    readyCheck(true).await(1, TimeUnit.MINUTES);
    first = cluster.start(matchmaker(5)).await(2, TimeUnit.MINUTES);
    second = cluster.start(matchmaker(6)).await(2, TimeUnit.MINUTES);
  }

  private static String[] matchmaker(int readySeconds) {
    return new String[] {"ROLES", "matchmaker", "MATCHMAKER_POP_MIN_SECONDS", "1", "MATCHMAKER_POP_MAX_SECONDS", "2",
      "MATCHMAKER_READY_SECONDS", String.valueOf(readySeconds)};
  }

  /** Switches ladder1v1's ready check in the shared test database; matchmaker nodes load it when they start. */
  private static Future<Void> readyCheck(boolean on) {
    return gateway.database().pool()
      .query("UPDATE matchmaker_queue SET ready_check = " + on + " WHERE technical_name = 'ladder1v1'").execute()
      .mapEmpty();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    // A terminated member's Vert.x still runs on a dead Hazelcast member: close it, whatever leaving reports.
    for (Node n : List.of(second, first)) {
      n.close().otherwiseEmpty().await(1, TimeUnit.MINUTES);
    }
    readyCheck(false).await(1, TimeUnit.MINUTES);
    gateway.close().await(1, TimeUnit.MINUTES);
  }

  private static Future<JsonObject> readyFound(Player p) {
    return p.client().inbox().next(m -> "match_found".equals(m.getString("command")) && m.getBoolean("ready_check", false),
      "match_found with a ready check");
  }

  @Test
  @DisplayName("the node that began a ready check dies: the other node expires it; match_cancelled to both, the acceptor"
    + " is re-queued, the other player gets a violation")
  void survivorExpiresTheCheck(Vertx vertx, VertxTestContext ctx) {
    Future.all(FafTestSupport.loggedIn(vertx, gateway, "mrcok"), FafTestSupport.loggedIn(vertx, gateway, "mrcno")).compose(all -> {
      Player ok = all.resultAt(0);
      Player no = all.resultAt(1);
      return Future.all(queue(ok, "ladder1v1"), queue(no, "ladder1v1"))
        .compose(v -> Future.all(readyFound(ok), readyFound(no)))
        .compose(found -> {
          Node began = found.<JsonObject>resultAt(0).getInteger("expires_in") == 5 ? first : second;
          ok.client().send(new JsonObject().put("command", "match_ready"));
          // The session handles one command at a time: the pong means the acceptance is stored.
          return roundTrip(ok.client()).compose(pong -> vertx.executeBlocking(() -> {
            ((HazelcastClusterManager) began.clusterManager()).getHazelcastInstance().getLifecycleService().terminate();
            return null;
          }));
        })
        .compose(v -> Future.all(ok.client().expect("match_cancelled"), no.client().expect("match_cancelled"),
          ok.client().inbox().next(searchInfo("ladder1v1", "start"), "acceptor re-queued"),
          no.client().expect("search_violation")))
        .map(v -> {
          ctx.verify(() -> {
            assertThat(searchInfos(no, "ladder1v1", "start")).as("the other player re-queued").isEqualTo(1);
            assertThat(ok.client().inbox().history()).noneMatch(m -> "search_violation".equals(m.getString("command")));
            assertThat(ok.client().inbox().history()).noneMatch(m -> "game_launch".equals(m.getString("command")));
          });
          return List.of(ok, no);
        });
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }
}
