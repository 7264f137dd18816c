package dev.skirmish.deploy;

import dev.skirmish.common.testing.EndRecordFault;
import dev.skirmish.deploy.FafTestSupport.Player;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static dev.skirmish.deploy.FafGameKit.gameInfo;
import static dev.skirmish.deploy.FafGameKit.gpg;
import static dev.skirmish.deploy.FafGameKit.hostCommand;
import static dev.skirmish.deploy.FafGameKit.hostOpen;
import static dev.skirmish.deploy.FafGameKit.players;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How FAF games end: partial GameEnded, mutual draws, teamkills, set-up time-outs, bans at host and join, results
 * written while the database rejects them.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class FafGameEndTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode("GAME_INFO_TICK_MS", "100", "GAME_SETUP_TIMEOUT_SECONDS", "2",
    "GAME_RECORD_RETRY_MS", "100", "GAME_RECORD_LEASE_MS", "2000");

  /** Host and joiner in a launched 1v1 (host army 1 team 2, joiner army 2 team 3); completes with the game id. */
  private static Future<Long> liveDuel(Player host, Player joiner, Player viewer) {
    return FafGameKit.seatedDuel(host, joiner, "Duel").compose(uid -> {
      host.client().send(gpg("EnforceRating")).send(gpg("GameState", "Launching"));
      return viewer.client().inbox().next(gameInfo(uid, "playing"), "live game").map(v -> uid);
    });
  }

  /** Re-runs {@code query} every 200 ms until its rows satisfy {@code done} (at most 10 s): database writes that follow a message. */
  private static Future<RowSet<Row>> eventually(Vertx vertx, Supplier<Future<RowSet<Row>>> query, Predicate<RowSet<Row>> done) {
    Promise<RowSet<Row>> result = Promise.promise();
    attempt(vertx, query, done, result, 50);
    return result.future();
  }

  private static void attempt(Vertx vertx, Supplier<Future<RowSet<Row>>> query, Predicate<RowSet<Row>> done,
                              Promise<RowSet<Row>> result, int left) {
    query.get().onComplete(ar -> {
      if (ar.succeeded() && done.test(ar.result())) {
        result.complete(ar.result());
      } else if (left <= 0) {
        result.fail(ar.failed() ? ar.cause() : new AssertionError("condition not reached; last rows: " + ar.result().size()));
      } else {
        vertx.setTimer(200, t -> attempt(vertx, query, done, result, left - 1));
      }
    });
  }

  private static Future<RowSet<Row>> sql(String query, Object... args) {
    return NODE.node().database().pool().preparedQuery(query).execute(Tuple.from(args));
  }

  @Test
  @DisplayName("one player reports GameEnded and the other's game closes without it: the game still ends and is rated")
  void partialGameEnded(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "peh", "pej", "pev").compose(ps -> {
      Player host = ps.get(0);
      Player joiner = ps.get(1);
      Player viewer = ps.get(2);
      return liveDuel(host, joiner, viewer).compose(uid -> {
        host.client().send(gpg("GameResult", 1, "victory 5")).send(gpg("GameResult", 2, "defeat 0")).send(gpg("GameEnded"));
        joiner.client().send(gpg("GameResult", 1, "victory 5")).send(gpg("GameState", "Ended"));
        return Future.all(viewer.client().inbox().next(gameInfo(uid, "closed"), "closed"),
          FafTestSupport.awaitAll(viewer.client(), List.of(FafGameTest.ratedAbove(host.id(), 1500),
            FafGameTest.ratedBelow(joiner.id(), 1500)), "winner and loser re-rated"));
      }).map(v -> ps);
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a game that ends while the database rejects its end record is closed at once, cannot be restored, frees"
    + " its players, and is recorded and rated once as soon as the database accepts the record again")
  void resultsSurviveADatabaseFault(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "dfh", "dfj", "dfv").compose(ps -> {
      Player host = ps.get(0);
      Player joiner = ps.get(1);
      Player viewer = ps.get(2);
      return liveDuel(host, joiner, viewer).compose(uid -> EndRecordFault.install(NODE.node().database().pool(), uid,
        Integer.MAX_VALUE).compose(fault -> {
          for (Player p : List.of(host, joiner)) {
            p.client().send(gpg("GameResult", 1, "victory 5")).send(gpg("GameResult", 2, "defeat 0")).send(gpg("GameEnded"));
          }
          return viewer.client().inbox().next(gameInfo(uid, "closed"), "closed")
            .compose(v -> eventually(vertx, () -> sql("SELECT 1 FROM " + fault.counter() + " WHERE is_called AND last_value >= 2"),
              rows -> rows.size() == 1))
            .compose(v -> {
              // Refused twice so far, and the game is gone for everyone.
              host.client().send(new JsonObject().put("command", "restore_game_session").put("game_id", uid));
              return host.client().expectNotice("info");
            })
            .compose(n -> {
              ctx.verify(() -> assertThat(n.getString("text")).isEqualTo("The game you were connected to is no longer available."));
              return FafGameKit.host(joiner, hostCommand("Free again"));
            })
            .compose(v -> fault.remove())
            .compose(v -> FafTestSupport.awaitAll(viewer.client(), List.of(FafGameTest.ratedAbove(host.id(), 1500),
              FafGameTest.ratedBelow(joiner.id(), 1500)), "winner and loser re-rated"))
            .compose(v -> sql("SELECT s.player_id, r.total_games FROM leaderboard_rating_journal j "
              + "JOIN game_player_stats s ON s.id = j.game_player_stats_id "
              + "JOIN leaderboard_rating r ON r.login_id = s.player_id AND r.leaderboard_id = j.leaderboard_id "
              + "WHERE s.game_id = $1", uid))
            .map(rows -> {
              ctx.verify(() -> {
                assertThat(rows.size()).as("one journal row per player").isEqualTo(2);
                rows.forEach(r -> assertThat(r.getInteger("total_games")).as("games rated").isEqualTo(1));
              });
              return ps;
            });
        }));
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a mutual draw is recorded as MUTUAL_DRAW and rates nobody; a teamkill is recorded")
  void mutualDrawAndTeamkill(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "mdh", "mdj", "mdv").compose(ps -> {
      Player host = ps.get(0);
      Player joiner = ps.get(1);
      Player viewer = ps.get(2);
      return liveDuel(host, joiner, viewer).compose(uid -> {
        host.client().send(gpg("TeamkillHappened", 300, joiner.id(), joiner.login(), host.id(), host.login()));
        for (Player p : List.of(host, joiner)) {
          p.client().send(gpg("GameResult", 1, "mutual_draw 0")).send(gpg("GameResult", 2, "mutual_draw 0"))
            .send(gpg("GameEnded"));
        }
        return viewer.client().inbox().next(gameInfo(uid, "closed"), "closed")
          .compose(v -> eventually(vertx, () -> sql("SELECT validity FROM game_stats WHERE id = $1 AND end_time IS NOT NULL", uid),
            rows -> rows.size() == 1))
          .compose(rows -> {
            ctx.verify(() -> assertThat(rows.iterator().next().getInteger("validity")).isEqualTo(12));
            return sql("SELECT count(*) AS n FROM leaderboard_rating WHERE login_id = ANY($1)",
              (Object) new Integer[] {host.id(), joiner.id()});
          })
          .compose(rows -> {
            ctx.verify(() -> assertThat(rows.iterator().next().getLong("n")).as("rating rows").isZero());
            return sql("SELECT teamkiller, victim, gametime FROM teamkills WHERE game_id = $1", uid);
          })
          .map(rows -> {
            ctx.verify(() -> {
              assertThat(rows.size()).isEqualTo(1);
              Row r = rows.iterator().next();
              assertThat(r.getInteger("teamkiller")).isEqualTo(host.id());
              assertThat(r.getInteger("victim")).isEqualTo(joiner.id());
              assertThat(r.getInteger("gametime")).isEqualTo(300);
            });
            return ps;
          });
      });
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a host whose game never starts is freed by the set-up time-out")
  void setupTimeout(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "sth").compose(ps -> {
      Player host = ps.get(0);
      return FafGameKit.host(host, hostCommand("Never started")).compose(launch -> {
        host.client().send(hostCommand("Too early"));
        return host.client().expectNotice("error");
      }).compose(n -> {
        ctx.verify(() -> assertThat(n.getString("text")).startsWith("Can't host a game while in state"));
        return hostWhenFree(vertx, host, 40);
      }).map(v -> ps);
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  /** Tries game_host every 250 ms until it is accepted. */
  private static Future<JsonObject> hostWhenFree(Vertx vertx, Player host, int attempts) {
    host.client().send(hostCommand("After the time-out"));
    return host.client().inbox().next(m -> "game_launch".equals(m.getString("command"))
      || FafTestSupport.isNotice(m, "error"), "game_launch or refusal").compose(reply -> {
      if ("game_launch".equals(reply.getString("command"))) {
        return Future.succeededFuture(reply);
      }
      if (attempts <= 0) {
        return Future.failedFuture("still refused: " + reply);
      }
      Promise<JsonObject> next = Promise.promise();
      vertx.setTimer(250, t -> hostWhenFree(vertx, host, attempts - 1).onComplete(next));
      return next.future();
    });
  }

  @Test
  @DisplayName("a player banned after login can neither host nor join")
  void bannedAtHostAndJoin(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "bnh", "bnb").compose(ps -> {
      Player host = ps.get(0);
      Player banned = ps.get(1);
      return hostOpen(host, "Open to all").compose(uid -> sql(
          "INSERT INTO ban (player_id, reason, level, expires_at) VALUES ($1, 'griefing', 'GLOBAL', now() + interval '1 day')",
          banned.id())
        .compose(v -> {
          banned.client().send(hostCommand("Banned host"));
          return banned.client().expectNotice("error");
        })
        .compose(n -> {
          ctx.verify(() -> assertThat(n.getString("text")).contains("banned").contains("griefing"));
          return FafGameKit.sendJoin(banned, uid, null);
        })
        .map(n -> {
          ctx.verify(() -> {
            assertThat(n.getString("style")).isEqualTo("error");
            assertThat(n.getString("text")).contains("banned");
          });
          return ps;
        }));
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }
}
