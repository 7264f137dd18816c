package dev.skirmish.deploy;

import dev.skirmish.deploy.FafTestSupport.Player;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.MatchmakerKit.numPlayers;
import static dev.skirmish.deploy.MatchmakerKit.queue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Matchmaker hand-over on a three-node cluster: a gateway node with the other services, and two
 * matchmaker-only nodes. One matchmaker node stops while a search is queued; the search survives and the
 * remaining node pops the queue.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class MatchmakerClusterTest {

  private static final List<Node> NODES = new ArrayList<>();
  private static Node gateway;
  private static Node first;

  @BeforeAll
  static void startCluster() throws Exception {
    ClusterTestNodes cluster = ClusterTestNodes.create("matchmaker");
    String[] timers = {"MATCHMAKER_POP_MIN_SECONDS", "1", "MATCHMAKER_POP_MAX_SECONDS", "2"};
    gateway = cluster.start("ROLES", "gateway,games,party,signaling").await(2, TimeUnit.MINUTES);
    first = cluster.start(with(timers, "ROLES", "matchmaker")).await(2, TimeUnit.MINUTES);
    Node second = cluster.start(with(timers, "ROLES", "matchmaker")).await(2, TimeUnit.MINUTES);
    NODES.addAll(List.of(second, first, gateway));
  }

  private static String[] with(String[] base, String... more) {
    List<String> all = new ArrayList<>(List.of(base));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (Node n : NODES) {
      n.close().await(1, TimeUnit.MINUTES);
    }
  }

  @Test
  @DisplayName("a matchmaker node stops with a search queued: the search is kept and the other node matches it")
  void handOver(Vertx vertx, VertxTestContext ctx) {
    Future.all(FafTestSupport.loggedIn(vertx, gateway, "mch"), FafTestSupport.loggedIn(vertx, gateway, "mcg")).compose(all -> {
      Player a = all.resultAt(0);
      Player b = all.resultAt(1);
      return queue(a, "ladder1v1")
        .compose(v -> first.close())
        .compose(v -> {
          // The search is still in the queue after the node's departure.
          b.client().send(new JsonObject().put("command", "matchmaker_info"));
          return b.client().inbox().next(numPlayers("ladder1v1", 1), "a's search kept");
        })
        .compose(v -> queue(b, "ladder1v1"))
        .compose(v -> Future.all(a.client().expect("match_found"), b.client().expect("match_found")))
        .map(found -> {
          ctx.verify(() -> assertThat(found.<JsonObject>resultAt(0).getString("queue_name")).isEqualTo("ladder1v1"));
          return List.of(a, b);
        });
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }
}
