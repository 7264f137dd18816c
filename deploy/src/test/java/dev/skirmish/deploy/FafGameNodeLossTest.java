package dev.skirmish.deploy;

import dev.skirmish.common.Addresses;
import dev.skirmish.deploy.FafTestSupport.Player;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
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

import static dev.skirmish.deploy.FafMatchGameTest.match;
import static dev.skirmish.deploy.FafGameKit.players;

/**
 * A games node dies (its Hazelcast member vanishes without any clean-up of its own) while a matchmade game it
 * created is setting up: the set-up deadline lives in the game's document, so the other games node's sweep
 * cancels the match with exactly the messages of a time-out on the node that created it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class FafGameNodeLossTest {

  private static final String[] GAMES = {"ROLES", "games", "GAME_INFO_TICK_MS", "100",
    "MATCH_HOST_TIMEOUT_SECONDS", "3", "GAME_DEADLINE_SWEEP_MS", "100"};

  private static Node gateway;
  private static Node doomed;
  private static Node survivor;
  private static Future<Void> doomedClosed;

  @BeforeAll
  static void startCluster() throws Exception {
    ClusterTestNodes cluster = ClusterTestNodes.create("faf-node-loss");
    gateway = cluster.start("ROLES", "gateway").await(2, TimeUnit.MINUTES);
    doomed = cluster.start(GAMES).await(2, TimeUnit.MINUTES);
    survivor = cluster.start(GAMES).await(2, TimeUnit.MINUTES);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (doomedClosed == null) {
      doomed.close().await(1, TimeUnit.MINUTES);
    } else {
      doomedClosed.await(1, TimeUnit.MINUTES);
    }
    for (Node n : List.of(survivor, gateway)) {
      n.close().await(1, TimeUnit.MINUTES);
    }
  }

  /**
   * Kills the games node that created the match: its cluster member is terminated at once; its Vert.x, still running
   * on a dead member, is closed in the background (whatever leaving the cluster reports) and awaited after the tests.
   */
  private static Future<Void> kill(Vertx vertx, Node node) {
    return vertx.<Void>executeBlocking(() -> {
      ((HazelcastClusterManager) node.clusterManager()).getHazelcastInstance().getLifecycleService().terminate();
      return null;
    }).onSuccess(v -> doomedClosed = node.close().otherwiseEmpty());
  }

  @Test
  @DisplayName("the games node that created a match dies before the host opens the lobby: the other games node cancels"
    + " it at the host deadline (match_cancelled to both, the host blamed, the game closed), and both can play again")
  void matchOfADeadNodeIsCancelled(Vertx vertx, VertxTestContext ctx) {
    Promise<JsonObject> failed = Promise.promise();
    var consumer = gateway.vertx().eventBus().<JsonObject>consumer(Addresses.MATCH_FAILED, m -> {
      // No matchmaker runs here: the test acknowledges the event in its place.
      failed.tryComplete(m.body());
      m.reply(null);
    });
    players(vertx, gateway, "nlh", "nlg").compose(ps -> {
      Player host = ps.get(0);
      Player guest = ps.get(1);
      // Created by the doomed node: the request is delivered to its own games service only.
      return consumer.completion()
        .compose(x -> doomed.vertx().eventBus().<JsonObject>request(Addresses.GAMES_MATCH, match(host, guest),
          new DeliveryOptions().setLocalOnly(true)))
        .map(reply -> reply.body().getLong("game"))
        .compose(uid -> host.client().expect("game_launch")
          .compose(launch -> kill(vertx, doomed))
          .compose(v -> FafMatchGameTest.cancelledBlamingHost(ctx, uid, host, guest, failed.future()))
          // nobody is left in a game: a new match of the same players starts on the survivor
          .compose(v -> gateway.vertx().eventBus().<JsonObject>request(Addresses.GAMES_MATCH, match(guest, host)))
          .compose(next -> guest.client().expect("game_launch")))
        .map(v -> ps);
    }).compose(FafGameKit::closeAll).eventually(consumer::unregister).onComplete(ctx.succeedingThenComplete());
  }
}
