package dev.skirmish.deploy;

import dev.skirmish.deploy.FafTestSupport.Player;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafGameKit.gameInfo;
import static dev.skirmish.deploy.FafGameKit.gpg;
import static dev.skirmish.deploy.FafGameKit.gpgMessage;
import static dev.skirmish.deploy.FafGameKit.slot;

/**
 * A FAF game spread over a three-node cluster: the host on gateway node A, the joiner on gateway node B,
 * the games service (and every other service) on node C. Every GPGNet message and ICE relay crosses the
 * cluster; the finished game re-rates both players and both gateways announce it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class FafGameClusterTest {

  private static Node services;
  private static Node a;
  private static Node b;

  @BeforeAll
  static void startCluster() throws Exception {
    ClusterTestNodes cluster = ClusterTestNodes.create("faf-games");
    services = cluster.start("ROLES", "games,matchmaker,party,signaling", "GAME_INFO_TICK_MS", "100")
      .await(2, TimeUnit.MINUTES);
    a = cluster.start("ROLES", "gateway").await(2, TimeUnit.MINUTES);
    b = cluster.start("ROLES", "gateway").await(2, TimeUnit.MINUTES);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (Node n : List.of(b, a, services)) {
      n.close().await(1, TimeUnit.MINUTES);
    }
  }

  @Test
  @DisplayName("host on A, joiner on B, game on C: lobby, peer connection, ICE both ways, launch, results, new ratings")
  void gameAcrossNodes(Vertx vertx, VertxTestContext ctx) {
    Future.all(FafTestSupport.loggedIn(vertx, a, "cgh"), FafTestSupport.loggedIn(vertx, b, "cgj"),
      FafTestSupport.loggedIn(vertx, b, "cgv")).compose(all -> {
      Player host = all.resultAt(0);
      Player joiner = all.resultAt(1);
      Player viewer = all.resultAt(2);
      List<Player> ps = List.of(host, joiner, viewer);
      return FafGameKit.hostOpen(host, "Across the cluster").compose(uid -> viewer.client().inbox()
          .next(gameInfo(uid, "open"), "announced on B")
          .compose(v -> FafGameKit.join(joiner, uid, host))
          .compose(v -> {
            host.client().send(gpg("IceMsg", joiner.id(), "candidate from A"));
            joiner.client().send(gpg("IceMsg", host.id(), "candidate from B"));
            return Future.all(joiner.client().inbox().next(gpgMessage("IceMsg", host.id(), "candidate from A"), "ICE A->B"),
              host.client().inbox().next(gpgMessage("IceMsg", joiner.id(), "candidate from B"), "ICE B->A"));
          })
          .compose(v -> {
            slot(host, host, 2, 1);
            slot(host, joiner, 3, 2);
            host.client().send(gpg("EnforceRating")).send(gpg("GameState", "Launching"));
            return viewer.client().inbox().next(gameInfo(uid, "playing"), "live on B");
          })
          .compose(v -> {
            for (Player p : List.of(host, joiner)) {
              p.client().send(gpg("GameResult", 1, "defeat -10")).send(gpg("GameResult", 2, "victory 10"))
                .send(gpg("GameEnded"));
            }
            return Future.all(host.client().inbox().next(FafGameTest.ratedAbove(joiner.id(), 1500), "winner re-rated, seen on A"),
              viewer.client().inbox().next(FafGameTest.ratedBelow(host.id(), 1500), "loser re-rated, seen on B"),
              viewer.client().inbox().next(gameInfo(uid, "closed"), "closed on B"));
          }))
        .map(v -> ps);
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }
}
