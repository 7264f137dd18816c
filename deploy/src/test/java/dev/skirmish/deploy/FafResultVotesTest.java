package dev.skirmish.deploy;

import dev.skirmish.deploy.FafTestSupport.Player;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafGameKit.gameInfo;
import static dev.skirmish.deploy.FafGameKit.gpg;
import static dev.skirmish.deploy.FafGameKit.hostOpen;
import static dev.skirmish.deploy.FafGameKit.join;
import static dev.skirmish.deploy.FafGameKit.players;
import static dev.skirmish.deploy.FafGameKit.slot;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GameResult} votes over real WebSockets: a player whose game repeats a false report many times still
 * votes once, so the honest reports of the other players decide the result, the scores and the new ratings.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class FafResultVotesTest {

  private static final int REPEATS = 20;

  @RegisterExtension
  static final TestNode NODE = new TestNode("GAME_INFO_TICK_MS", "100");

  /**
   * A rated 2v2: the liar (host, army 1) and their teammate (army 2) against two players (armies 3 and 4) who won.
   * The liar's game sends "army 1 victory 100" twenty times and nothing else; the three other games report the
   * truth once each. Army 1 has three DEFEAT votes against one VICTORY vote, so it lost, and its score is the
   * honest -5. Counted report by report, twenty VICTORY reports against three would make army 1 a winner (a lead
   * of three or more), both teams would claim victory and the game would be rated for nobody; its stored score
   * would be 100.
   */
  @Test
  @DisplayName("a GameResult repeated twenty times by one player votes once: the honest majority decides results, scores and ratings")
  void repeatedReportVotesOnce(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "rvl", "rvm", "rvw", "rvx", "rvv").compose(ps -> {
      Player liar = ps.get(0);
      Player mate = ps.get(1);
      Player winner1 = ps.get(2);
      Player winner2 = ps.get(3);
      Player viewer = ps.get(4);
      return hostOpen(liar, "Four players, one liar")
        .compose(uid -> join(mate, uid, liar)
          .compose(v -> join(winner1, uid, liar))
          .compose(v -> join(winner2, uid, liar))
          .compose(v -> {
            slot(liar, liar, 2, 1);
            slot(liar, mate, 2, 2);
            slot(liar, winner1, 3, 3);
            slot(liar, winner2, 3, 4);
            liar.client().send(gpg("EnforceRating")).send(gpg("GameState", "Launching"));
            return viewer.client().inbox().next(gameInfo(uid, "playing"), "the 2v2 live");
          })
          .compose(live -> {
            for (int i = 0; i < REPEATS; i++) {
              liar.client().send(gpg("GameResult", 1, "victory 100"));
            }
            liar.client().send(gpg("GameEnded"));
            for (Player honest : List.of(mate, winner1, winner2)) {
              honest.client().send(gpg("GameResult", 1, "defeat -5")).send(gpg("GameResult", 2, "defeat -5"))
                .send(gpg("GameResult", 3, "victory 10")).send(gpg("GameResult", 4, "victory 10"))
                .send(gpg("GameEnded"));
            }
            return Future.all(viewer.client().inbox().next(gameInfo(uid, "closed"), "the game closed"),
              FafTestSupport.awaitAll(viewer.client(), List.of(
                FafGameTest.ratedAbove(winner1.id(), 1500), FafGameTest.ratedAbove(winner2.id(), 1500),
                FafGameTest.ratedBelow(liar.id(), 1500), FafGameTest.ratedBelow(mate.id(), 1500)),
                "the honest result rated"));
          })
          .compose(v -> NODE.node().database().pool().preparedQuery(
              "SELECT player_id, result, score FROM game_player_stats WHERE game_id = $1")
            .execute(Tuple.of(uid))))
        .map(rows -> {
          Map<Integer, Row> byPlayer = new HashMap<>();
          rows.forEach(r -> byPlayer.put(r.getInteger("player_id"), r));
          ctx.verify(() -> {
            assertThat(byPlayer).hasSize(4);
            for (Player p : List.of(liar, mate)) {
              assertThat(byPlayer.get(p.id()).getString("result")).as("result of " + p.login()).isEqualToIgnoringCase("defeat");
              assertThat(byPlayer.get(p.id()).getInteger("score")).as("score of " + p.login()).isEqualTo(-5);
            }
            for (Player p : List.of(winner1, winner2)) {
              assertThat(byPlayer.get(p.id()).getString("result")).as("result of " + p.login()).isEqualToIgnoringCase("victory");
              assertThat(byPlayer.get(p.id()).getInteger("score")).as("score of " + p.login()).isEqualTo(10);
            }
          });
          return ps;
        });
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }
}
