package dev.skirmish.games;

import dev.skirmish.common.Database;
import dev.skirmish.common.DocumentStore.Change;
import dev.skirmish.common.Ids;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.rating.Rating;
import dev.skirmish.common.testing.EndRecordFault;
import dev.skirmish.common.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static dev.skirmish.games.GameDocsFixture.report;
import static org.assertj.core.api.Assertions.assertThat;

/** GameRecords, Ratings and EndRecorder against a real PostgreSQL with the project's migrations. */
@ExtendWith(VertxExtension.class)
class GameRecordsTest {

  private static final Offset<Double> EXACT = Offset.offset(1e-6);
  /** Published-style reference values for FAF's environment, computed independently from the TrueSkill paper. */
  private static final Offset<Double> REFERENCE = Offset.offset(0.05);
  private static final AtomicLong GAME_IDS = new AtomicLong(System.currentTimeMillis() * 1000);

  private static Vertx vertx;
  private static Database db;
  private static Pool pool;
  private static GameRecords records;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    db = Database.start(vertx, NodeConfig.of("DATABASE_URL", TestDatabase.url())).await(2, TimeUnit.MINUTES);
    pool = db.pool();
    records = new GameRecords(pool);
  }

  @AfterAll
  static void stop() throws Exception {
    if (db != null) {
      db.close(vertx).await(1, TimeUnit.MINUTES);
    }
    if (vertx != null) {
      vertx.close().await(1, TimeUnit.MINUTES);
    }
  }

  // ---- fixtures -------------------------------------------------------------------------------------

  private static Future<RowSet<Row>> sql(String query, Object... args) {
    return pool.preparedQuery(query).execute(Tuple.from(Arrays.asList(args)));
  }

  private static Future<List<Integer>> accounts(int n) {
    Future<List<Integer>> out = Future.succeededFuture(new ArrayList<>());
    for (int i = 0; i < n; i++) {
      out = out.compose(ids -> {
        String login = "gr" + Long.toString(GAME_IDS.incrementAndGet() % 1_000_000_000_000L, 36);
        return sql("INSERT INTO account (ulid, login, email, password_hash) VALUES ($1, $2, $3, 'x') RETURNING id",
          Ids.ulid(), login, login.toLowerCase() + "@example.com")
          .map(rows -> {
            ids.add(rows.iterator().next().getInteger("id"));
            return ids;
          });
      });
    }
    return out;
  }

  private static Future<Void> setRating(int player, String leaderboard, double mean, double deviation) {
    return sql("INSERT INTO leaderboard_rating (login_id, leaderboard_id, mean, deviation, total_games, won_games) "
      + "SELECT $1, id, $2, $3, 7, 3 FROM leaderboard WHERE technical_name = $4", player, mean, deviation, leaderboard)
      .mapEmpty();
  }

  /** A custom 1v1/NvN game document: {player id, team} pairs, army = position + 1, lasting an hour. */
  private static JsonObject game(String gameType, int... idTeamPairs) {
    return GameDocsFixture.game(GAME_IDS.incrementAndGet(), gameType, idTeamPairs);
  }

  private static JsonObject withReports(JsonObject game, JsonObject... reports) {
    return GameDocsFixture.withReports(game, reports);
  }

  /** Both players report army 1 winning (score 10) and army 2 losing (score 2). */
  private static JsonObject firstArmyWins(JsonObject game, int a, int b) {
    return withReports(game, report(a, 1, "victory", 10), report(a, 2, "defeat", 2),
      report(b, 1, "victory", 10), report(b, 2, "defeat", 2));
  }

  private static <T> void check(VertxTestContext ctx, Future<T> future, Consumer<T> assertions) {
    future.onComplete(ctx.succeeding(value -> ctx.verify(() -> {
      assertions.accept(value);
      ctx.completeNow();
    })));
  }

  /** Row values keyed by player id. */
  private static Map<Integer, Row> byPlayer(RowSet<Row> rows, String column) {
    Map<Integer, Row> out = new HashMap<>();
    for (Row r : rows) {
      out.put(r.getInteger(column), r);
    }
    return out;
  }

  private record Snapshot(Row game, Map<Integer, Row> players, Map<Integer, Row> journal, Map<Integer, Row> ratings) {
  }

  /** game_stats, game_player_stats, the journal (by player) and the ratings on {@code leaderboard}. */
  private static Future<Snapshot> snapshot(long gameId, String leaderboard, List<Integer> players) {
    Future<RowSet<Row>> game = sql("SELECT * FROM game_stats WHERE id = $1", gameId);
    Future<RowSet<Row>> stats = sql("SELECT * FROM game_player_stats WHERE game_id = $1", gameId);
    Future<RowSet<Row>> journal = sql("SELECT j.*, s.player_id FROM leaderboard_rating_journal j "
      + "JOIN game_player_stats s ON s.id = j.game_player_stats_id JOIN leaderboard l ON l.id = j.leaderboard_id "
      + "WHERE s.game_id = $1 AND l.technical_name = $2", gameId, leaderboard);
    Future<RowSet<Row>> ratings = sql("SELECT r.* FROM leaderboard_rating r JOIN leaderboard l ON l.id = r.leaderboard_id "
      + "WHERE l.technical_name = $1 AND r.login_id = ANY($2)", leaderboard, players.toArray(new Integer[0]));
    return Future.all(game, stats, journal, ratings).map(v -> new Snapshot(
      game.result().size() == 0 ? null : game.result().iterator().next(),
      byPlayer(stats.result(), "player_id"), byPlayer(journal.result(), "player_id"),
      byPlayer(ratings.result(), "login_id")));
  }

  private static void assertRating(Row row, Rating expected, String meanColumn, String deviationColumn) {
    assertThat(row.getDouble(meanColumn)).isCloseTo(expected.mean(), EXACT);
    assertThat(row.getDouble(deviationColumn)).isCloseTo(expected.deviation(), EXACT);
  }

  // ---- tests ----------------------------------------------------------------------------------------

  @Test
  void aOneVersusOneVictoryIsRecordedAndRatedFromDefaultRatings(VertxTestContext ctx) {
    List<Integer> ids = new ArrayList<>();
    JsonObject[] doc = new JsonObject[1];
    Future<Snapshot> done = accounts(2).compose(created -> {
      ids.addAll(created);
      doc[0] = game("custom", ids.get(0), 2, ids.get(1), 3).put("title", "x".repeat(200));
      return records.launched(doc[0]);
    }).compose(validity -> {
      assertThat(validity).isEqualTo(Validity.VALID);
      return snapshot(doc[0].getLong("id"), "global", ids);
    }).compose(launched -> {
      ctx.verify(() -> {
        assertThat(launched.game().getInteger("host")).isEqualTo(ids.get(0));
        assertThat(launched.game().getString("game_name")).hasSize(128);
        assertThat(launched.game().getString("game_type")).isEqualTo("demoralization");
        assertThat(launched.game().getShort("validity")).isEqualTo((short) 0);
        assertThat(launched.game().getValue("end_time")).isNull();
        assertThat(launched.players()).hasSize(2);
        Row first = launched.players().get(ids.get(0));
        assertThat(first.getShort("team")).isEqualTo((short) 2);
        assertThat(first.getShort("place")).isEqualTo((short) 1);
        assertThat(first.getShort("faction")).isEqualTo((short) 1);
        assertThat(first.getDouble("mean")).isEqualTo(1500.0);
        assertThat(first.getDouble("deviation")).isEqualTo(500.0);
        assertThat(first.getValue("after_mean")).isNull();
        assertThat(launched.ratings()).isEmpty();
      });
      return sql("SELECT g.map_id = m.id AS same_map, g.game_mod = f.id AS same_mod FROM game_stats g, map_version m, "
        + "game_featured_mods f WHERE g.id = $1 AND m.filename = 'maps/scmp_007.zip' AND f.gamemod = 'faf'", doc[0].getLong("id"));
    }).compose(rows -> {
      ctx.verify(() -> {
        assertThat(rows.iterator().next().getBoolean("same_map")).isTrue();
        assertThat(rows.iterator().next().getBoolean("same_mod")).isTrue();
      });
      return records.ended(firstArmyWins(doc[0], ids.get(0), ids.get(1)));
    }).compose(ended -> {
      ctx.verify(() -> {
        assertThat(ended.validity()).isEqualTo(Validity.VALID);
        assertThat(ended.recorded()).isTrue();
        assertThat(ended.rated()).isTrue();
        assertThat(ended.ratedPlayers()).containsExactly(ids.get(0), ids.get(1));
        assertThat(ended.players()).containsExactly(new Results.PlayerResult(ids.get(0), 1, Results.VICTORY, 10),
          new Results.PlayerResult(ids.get(1), 2, Results.DEFEAT, 2));
      });
      return snapshot(doc[0].getLong("id"), "global", ids);
    });
    check(ctx, done, s -> {
      Rating start = Ratings.TRUESKILL.defaultRating();
      List<List<Rating>> expected = Ratings.TRUESKILL.rate(List.of(List.of(start), List.of(start)), new int[] {0, 1});
      Rating winner = expected.get(0).get(0);
      Rating loser = expected.get(1).get(0);
      // Reference values of FAF's environment (mu 1500, sigma 500, beta 240, tau 10, draw 0.1).
      assertThat(winner.mean()).isCloseTo(1765.51, REFERENCE);
      assertThat(winner.deviation()).isCloseTo(429.19, REFERENCE);
      assertThat(loser.mean()).isCloseTo(1234.49, REFERENCE);

      assertThat(s.game().getValue("end_time")).isNotNull();
      assertThat(s.game().getShort("validity")).isEqualTo((short) 0);

      Row w = s.players().get(ids.get(0));
      Row l = s.players().get(ids.get(1));
      assertThat(w.getString("result")).isEqualTo("VICTORY");
      assertThat(w.getShort("score")).isEqualTo((short) 10);
      assertThat(w.getValue("score_time")).isNotNull();
      assertThat(l.getString("result")).isEqualTo("DEFEAT");
      assertThat(l.getShort("score")).isEqualTo((short) 2);
      assertRating(w, start, "mean", "deviation");
      assertRating(w, winner, "after_mean", "after_deviation");
      assertRating(l, loser, "after_mean", "after_deviation");

      assertThat(s.journal()).hasSize(2);
      Row jw = s.journal().get(ids.get(0));
      assertRating(jw, start, "rating_mean_before", "rating_deviation_before");
      assertRating(jw, winner, "rating_mean_after", "rating_deviation_after");
      assertThat(jw.getLong("game_player_stats_id")).isEqualTo(w.getLong("id"));
      assertRating(s.journal().get(ids.get(1)), loser, "rating_mean_after", "rating_deviation_after");

      Row rw = s.ratings().get(ids.get(0));
      Row rl = s.ratings().get(ids.get(1));
      assertRating(rw, winner, "mean", "deviation");
      assertRating(rl, loser, "mean", "deviation");
      assertThat(rw.getInteger("total_games")).isEqualTo(1);
      assertThat(rw.getInteger("won_games")).isEqualTo(1);
      assertThat(rl.getInteger("total_games")).isEqualTo(1);
      assertThat(rl.getInteger("won_games")).isZero();
      assertThat(rw.getDouble("rating")).isCloseTo(winner.displayed(), EXACT);
    });
  }

  @Test
  void aSecondGameStartsFromTheStoredRatings(VertxTestContext ctx) {
    List<Integer> ids = new ArrayList<>();
    JsonObject[] second = new JsonObject[1];
    Future<Snapshot> done = accounts(2).compose(created -> {
      ids.addAll(created);
      return setRating(ids.get(0), "global", 1900, 120).compose(v -> setRating(ids.get(1), "global", 1700, 90));
    }).compose(v -> {
      // The second player wins this time: team 3 is army 2.
      second[0] = withReports(game("custom", ids.get(0), 2, ids.get(1), 3),
        report(ids.get(0), 2, "victory", 1), report(ids.get(1), 2, "victory", 1));
      return records.launched(second[0]);
    }).compose(v -> records.ended(second[0]))
      .compose(ended -> snapshot(second[0].getLong("id"), "global", ids));
    check(ctx, done, s -> {
      Rating a = new Rating(1900, 120);
      Rating b = new Rating(1700, 90);
      List<List<Rating>> expected = Ratings.TRUESKILL.rate(List.of(List.of(a), List.of(b)), new int[] {1, 0});
      assertRating(s.players().get(ids.get(0)), a, "mean", "deviation");
      assertRating(s.ratings().get(ids.get(0)), expected.get(0).get(0), "mean", "deviation");
      assertRating(s.ratings().get(ids.get(1)), expected.get(1).get(0), "mean", "deviation");
      assertThat(s.ratings().get(ids.get(0)).getInteger("total_games")).isEqualTo(8);
      assertThat(s.ratings().get(ids.get(0)).getInteger("won_games")).isEqualTo(3);
      assertThat(s.ratings().get(ids.get(1)).getInteger("won_games")).isEqualTo(4);
      assertThat(s.players().get(ids.get(0)).getString("result")).isEqualTo("UNKNOWN");
    });
  }

  @Test
  void endingTwiceRatesOnce(VertxTestContext ctx) {
    List<Integer> ids = new ArrayList<>();
    JsonObject[] doc = new JsonObject[1];
    Future<Snapshot> done = accounts(2).compose(created -> {
      ids.addAll(created);
      doc[0] = firstArmyWins(game("custom", ids.get(0), 2, ids.get(1), 3), ids.get(0), ids.get(1));
      return records.launched(doc[0]);
    }).compose(v -> records.ended(doc[0]))
      .compose(first -> records.ended(doc[0]))
      .compose(second -> {
        ctx.verify(() -> {
          assertThat(second.recorded()).isTrue();
          assertThat(second.validity()).isEqualTo(Validity.VALID);
          assertThat(second.ratedPlayers()).isEmpty();
        });
        return snapshot(doc[0].getLong("id"), "global", ids);
      });
    check(ctx, done, s -> {
      assertThat(s.journal()).hasSize(2);
      assertThat(s.ratings().get(ids.get(0)).getInteger("total_games")).isEqualTo(1);
    });
  }

  /** Completes once {@code condition} holds, looking again every 20 ms. */
  private static Future<Void> until(Supplier<Future<Boolean>> condition) {
    return condition.get().compose(done -> done
      ? Future.succeededFuture()
      : vertx.timer(20).compose(t -> until(condition)));
  }

  @Test
  void anEndRetriedAfterDatabaseErrorsIsRecordedOnceAndAnotherWriterRatesNoOneAgain(VertxTestContext ctx) {
    // Two games nodes sharing the cluster maps: the first ends the game, the second takes it over later.
    NodeConfig config = NodeConfig.of("GAME_RECORD_RETRY_MS", "20", "GAME_RECORD_LEASE_MS", "60000");
    GamesContext first = new GamesContext(vertx, config, pool);
    GamesContext second = new GamesContext(vertx, config, pool);
    EndRecorder writer = new EndRecorder(first, new GameStats(first));
    EndRecorder takeOver = new EndRecorder(second, new GameStats(second));
    List<Integer> ids = new ArrayList<>();
    JsonObject[] doc = new JsonObject[1];
    EndRecordFault[] fault = new EndRecordFault[1];
    Future<Snapshot> done = accounts(2).compose(created -> {
      ids.addAll(created);
      doc[0] = firstArmyWins(game("custom", ids.get(0), 2, ids.get(1), 3), ids.get(0), ids.get(1)).put("state", GameRules.ENDED);
      return records.launched(doc[0]);
    }).compose(v -> EndRecordFault.install(pool, doc[0].getLong("id"), 2)).compose(f -> {
      fault[0] = f;
      String key = GamesContext.key(doc[0].getLong("id"));
      JsonObject ended = first.games.leased(doc[0].copy(), System.currentTimeMillis());
      return first.games.updateEnded(key, current -> new Change<>(ended, null))
        .compose(v -> {
          writer.ended(ended);
          return until(() -> first.games.readEnded(key).map(JsonObject::isEmpty));
        })
        // As if the writer had died after its commit, before removing the game: its lease has run out.
        .compose(v -> second.games.updateEnded(key, current -> new Change<>(doc[0].copy()
          .put(GameDocuments.RECORDING, new JsonObject().put("node", "lost").put("until", 0L)), null)))
        .compose(v -> takeOver.claim(doc[0].getLong("id"), System.currentTimeMillis()))
        .compose(claimed -> {
          ctx.verify(() -> assertThat(second.games.holds(claimed)).isTrue());
          return until(() -> second.games.readEnded(key).map(JsonObject::isEmpty));
        });
    }).compose(v -> fault[0].attempts()).compose(attempts -> {
      // two failed attempts, the one that committed; the second writer found the end recorded and updated nothing
      ctx.verify(() -> assertThat(attempts).isEqualTo(3L));
      return snapshot(doc[0].getLong("id"), "global", ids);
    }).eventually(() -> fault[0] == null ? Future.succeededFuture() : fault[0].remove());
    check(ctx, done, s -> {
      assertThat(s.game().getValue("end_time")).isNotNull();
      assertThat(s.journal()).hasSize(2);
      assertThat(s.ratings().get(ids.get(0)).getInteger("total_games")).isEqualTo(1);
      assertThat(s.ratings().get(ids.get(1)).getInteger("total_games")).isEqualTo(1);
    });
  }

  @Test
  void aDrawRatesBothPlayersTheSame(VertxTestContext ctx) {
    List<Integer> ids = new ArrayList<>();
    JsonObject[] doc = new JsonObject[1];
    Future<Snapshot> done = accounts(2).compose(created -> {
      ids.addAll(created);
      doc[0] = game("custom", ids.get(0), 2, ids.get(1), 3);
      return records.launched(doc[0]);
    }).compose(v -> records.ended(withReports(doc[0], report(ids.get(0), 1, "draw", 0), report(ids.get(0), 2, "draw", 0),
      report(ids.get(1), 1, "draw", 0), report(ids.get(1), 2, "draw", 0))))
      .compose(ended -> {
        ctx.verify(() -> assertThat(ended.validity()).isEqualTo(Validity.VALID));
        return snapshot(doc[0].getLong("id"), "global", ids);
      });
    check(ctx, done, s -> {
      Rating start = Ratings.TRUESKILL.defaultRating();
      Rating drawn = Ratings.TRUESKILL.rate(List.of(List.of(start), List.of(start)), new int[] {0, 0}).get(0).get(0);
      assertThat(drawn.mean()).isCloseTo(1500.0, REFERENCE);
      assertThat(drawn.deviation()).isCloseTo(385.43, REFERENCE);
      for (int id : ids) {
        assertRating(s.ratings().get(id), drawn, "mean", "deviation");
        assertThat(s.ratings().get(id).getInteger("total_games")).isEqualTo(1);
        assertThat(s.ratings().get(id).getInteger("won_games")).isZero();
        assertThat(s.players().get(id).getString("result")).isEqualTo("DRAW");
      }
    });
  }

  @Test
  void teamMatchmakerRatingsStartFromGlobalAndMayAdjustGlobal(VertxTestContext ctx) {
    List<Integer> ids = new ArrayList<>();
    JsonObject[] doc = new JsonObject[1];
    Snapshot[] tmm = new Snapshot[1];
    Future<Snapshot> done = accounts(4).compose(created -> {
      ids.addAll(created);
      return setRating(ids.get(0), "global", 1800, 80)
        .compose(v -> setRating(ids.get(2), "global", 1600, 200))
        .compose(v -> setRating(ids.get(3), "global", 1400, 300));
    }).compose(v -> {
      // Team 2: players 0 and 1 (armies 1, 2); team 3: players 2 and 3 (armies 3, 4). Team 2 wins.
      doc[0] = game("custom", ids.get(0), 2, ids.get(1), 2, ids.get(2), 3, ids.get(3), 3).put("ratingType", "tmm_2v2");
      return records.launched(doc[0]);
    }).compose(validity -> {
      ctx.verify(() -> assertThat(validity).isEqualTo(Validity.VALID));
      return snapshot(doc[0].getLong("id"), "tmm_2v2", ids);
    }).compose(launched -> {
      ctx.verify(() -> {
        // Launch records the initial ratings without creating any row.
        assertRating(launched.players().get(ids.get(0)), new Rating(1800, 230), "mean", "deviation");
        assertRating(launched.players().get(ids.get(1)), new Rating(1500, 500), "mean", "deviation");
        assertRating(launched.players().get(ids.get(2)), new Rating(1600, 250), "mean", "deviation");
        assertRating(launched.players().get(ids.get(3)), new Rating(1400, 300), "mean", "deviation");
        assertThat(launched.ratings()).isEmpty();
      });
      return records.ended(withReports(doc[0], report(ids.get(0), 1, "victory", 5), report(ids.get(1), 2, "victory", 5),
        report(ids.get(2), 3, "defeat", 0), report(ids.get(3), 4, "defeat", 0)));
    }).compose(ended -> {
      ctx.verify(() -> {
        assertThat(ended.validity()).isEqualTo(Validity.VALID);
        assertThat(ended.ratingChanges()).extracting(Ratings.Change::leaderboard)
          .containsExactly("tmm_2v2", "tmm_2v2", "tmm_2v2", "tmm_2v2", "global");
      });
      return snapshot(doc[0].getLong("id"), "tmm_2v2", ids);
    }).compose(s -> {
      tmm[0] = s;
      return snapshot(doc[0].getLong("id"), "global", ids);
    });
    check(ctx, done, global -> {
      Snapshot s = tmm[0];
      List<List<Rating>> before = List.of(List.of(new Rating(1800, 230), new Rating(1500, 500)),
        List.of(new Rating(1600, 250), new Rating(1400, 300)));
      List<List<Rating>> after = Ratings.TRUESKILL.rate(before, new int[] {0, 1});
      for (int i = 0; i < 4; i++) {
        int team = i / 2;
        int index = i % 2;
        int id = ids.get(i);
        assertRating(s.journal().get(id), before.get(team).get(index), "rating_mean_before", "rating_deviation_before");
        assertRating(s.journal().get(id), after.get(team).get(index), "rating_mean_after", "rating_deviation_after");
        assertRating(s.ratings().get(id), after.get(team).get(index), "mean", "deviation");
        assertRating(s.players().get(id), after.get(team).get(index), "after_mean", "after_deviation");
        assertThat(s.ratings().get(id).getInteger("total_games")).isEqualTo(1);
        assertThat(s.ratings().get(id).getInteger("won_games")).isEqualTo(team == 0 ? 1 : 0);
      }
      // Player 1 had no global rating (displayed 0, not above their tmm rating) and won: global rises.
      Rating adjusted = Ratings.TRUESKILL.rate(before, new int[] {0, 1}).get(0).get(1);
      assertRating(global.ratings().get(ids.get(1)), adjusted, "mean", "deviation");
      assertThat(global.ratings().get(ids.get(1)).getInteger("total_games")).isEqualTo(1);
      assertThat(global.ratings().get(ids.get(1)).getInteger("won_games")).isEqualTo(1);
      assertThat(global.journal()).containsOnlyKeys(ids.get(1));
      // Player 0's global rating is above their tmm one; player 3 lost; player 2 (global 1000 > tmm 850) too.
      assertRating(global.ratings().get(ids.get(0)), new Rating(1800, 80), "mean", "deviation");
      assertRating(global.ratings().get(ids.get(2)), new Rating(1600, 200), "mean", "deviation");
      assertRating(global.ratings().get(ids.get(3)), new Rating(1400, 300), "mean", "deviation");
      assertThat(global.ratings().get(ids.get(3)).getInteger("total_games")).isEqualTo(7);
    });
  }

  @Test
  void ladderDuelIsDecidedByScoreAndLinkedToItsQueue(VertxTestContext ctx) {
    List<Integer> ids = new ArrayList<>();
    JsonObject[] doc = new JsonObject[1];
    Future<Snapshot> done = accounts(2)
      .compose(created -> {
        ids.addAll(created);
        return sql("SELECT id FROM matchmaker_queue WHERE technical_name = 'ladder1v1'");
      })
      .compose(queue -> {
        doc[0] = game("matchmaker", ids.get(0), 2, ids.get(1), 3).put("ratingType", "ladder_1v1")
          .put("featuredMod", "ladder1v1").put("queueId", queue.iterator().next().getInteger("id"));
        return records.launched(doc[0]);
      })
      .compose(v -> sql("SELECT count(*) AS n FROM matchmaker_queue_game q JOIN matchmaker_queue m "
        + "ON m.id = q.matchmaker_queue_id WHERE q.game_stats_id = $1 AND m.technical_name = 'ladder1v1'", doc[0].getLong("id")))
      .compose(linked -> {
        ctx.verify(() -> assertThat(linked.iterator().next().getLong("n")).isEqualTo(1L));
        // Both commanders died: everyone reports defeat, but army 2 scored more.
        return records.ended(withReports(doc[0], report(ids.get(0), 1, "defeat", 1), report(ids.get(0), 2, "defeat", 4),
          report(ids.get(1), 1, "defeat", 1), report(ids.get(1), 2, "defeat", 4)));
      })
      .compose(ended -> snapshot(doc[0].getLong("id"), "ladder_1v1", ids));
    check(ctx, done, s -> {
      assertThat(s.players().get(ids.get(0)).getShort("score")).isEqualTo((short) 0);
      assertThat(s.players().get(ids.get(1)).getShort("score")).isEqualTo((short) 1);
      assertThat(s.ratings().get(ids.get(1)).getInteger("won_games")).isEqualTo(1);
      assertThat(s.ratings().get(ids.get(1)).getDouble("mean")).isCloseTo(1765.51, REFERENCE);
      assertThat(s.ratings().get(ids.get(0)).getDouble("mean")).isCloseTo(1234.49, REFERENCE);
      assertThat(s.game().getString("game_type")).isEqualTo("demoralization");
    });
  }

  @Test
  void anInvalidGameStoresResultsButNoRatings(VertxTestContext ctx) {
    List<Integer> ids = new ArrayList<>();
    JsonObject[] doc = new JsonObject[1];
    Future<Snapshot> done = accounts(2).compose(created -> {
      ids.addAll(created);
      doc[0] = game("custom", ids.get(0), 2, ids.get(1), 3);
      doc[0].getJsonObject("options").put("Unranked", "Yes");
      return records.launched(doc[0]);
    }).compose(validity -> {
      ctx.verify(() -> assertThat(validity).isEqualTo(Validity.HOST_SET_UNRANKED));
      return records.ended(firstArmyWins(doc[0], ids.get(0), ids.get(1)));
    }).compose(ended -> {
      ctx.verify(() -> {
        assertThat(ended.validity()).isEqualTo(Validity.HOST_SET_UNRANKED);
        assertThat(ended.rated()).isFalse();
        assertThat(ended.ratedPlayers()).isEmpty();
      });
      return snapshot(doc[0].getLong("id"), "global", ids);
    });
    check(ctx, done, s -> {
      assertThat(s.game().getShort("validity")).isEqualTo((short) Validity.HOST_SET_UNRANKED);
      assertThat(s.game().getValue("end_time")).isNotNull();
      assertThat(s.players().get(ids.get(0)).getString("result")).isEqualTo("VICTORY");
      assertThat(s.players().get(ids.get(1)).getShort("score")).isEqualTo((short) 2);
      assertThat(s.players().get(ids.get(0)).getValue("after_mean")).isNull();
      assertThat(s.journal()).isEmpty();
      assertThat(s.ratings()).isEmpty();
    });
  }

  @Test
  void aShortCustomGameBecomesTooShort(VertxTestContext ctx) {
    List<Integer> ids = new ArrayList<>();
    JsonObject[] doc = new JsonObject[1];
    Future<Snapshot> done = accounts(2).compose(created -> {
      ids.addAll(created);
      doc[0] = game("custom", ids.get(0), 2, ids.get(1), 3).put("endedAt", 1_700_000_030L);
      return records.launched(doc[0]);
    }).compose(v -> records.ended(firstArmyWins(doc[0], ids.get(0), ids.get(1))))
      .compose(ended -> {
        ctx.verify(() -> assertThat(ended.validity()).isEqualTo(Validity.TOO_SHORT));
        return snapshot(doc[0].getLong("id"), "global", ids);
      });
    check(ctx, done, s -> {
      assertThat(s.game().getShort("validity")).isEqualTo((short) Validity.TOO_SHORT);
      assertThat(s.ratings()).isEmpty();
      assertThat(s.players().get(ids.get(0)).getString("result")).isEqualTo("VICTORY");
    });
  }

  @Test
  void aNeverLaunchedGameEndsWithoutRatings(VertxTestContext ctx) {
    JsonObject doc = firstArmyWins(game("custom", 424242, 2, 434343, 3), 424242, 434343);
    Future<GameRecords.EndedGame> ended = records.ended(doc);
    check(ctx, ended.compose(e -> sql("SELECT count(*) AS n FROM game_stats WHERE id = $1", doc.getLong("id"))
      .map(rows -> {
        assertThat(rows.iterator().next().getLong("n")).isZero();
        return e;
      })), e -> {
        assertThat(e.recorded()).isFalse();
        assertThat(e.ratedPlayers()).isEmpty();
        assertThat(e.ratingChanges()).isEmpty();
        assertThat(e.players()).hasSize(2);
      });
  }

  @Test
  void launchingTwiceKeepsTheFirstRecord(VertxTestContext ctx) {
    JsonObject[] doc = new JsonObject[1];
    Future<RowSet<Row>> done = accounts(2).compose(ids -> {
      doc[0] = game("custom", ids.get(0), 2, ids.get(1), 3);
      return records.launched(doc[0]);
    }).compose(first -> {
      doc[0].getJsonObject("options").put("CheatsEnabled", "true");
      return records.launched(doc[0]);
    }).compose(second -> {
      ctx.verify(() -> assertThat(second).isEqualTo(Validity.VALID));
      return sql("SELECT count(*) AS n FROM game_player_stats WHERE game_id = $1", doc[0].getLong("id"));
    });
    check(ctx, done, rows -> assertThat(rows.iterator().next().getLong("n")).isEqualTo(2L));
  }

  @Test
  void modsAreCountedAndMustBeRanked(VertxTestContext ctx) {
    String ranked = "ranked-" + GAME_IDS.incrementAndGet();
    String unranked = "unranked-" + GAME_IDS.incrementAndGet();
    List<Integer> ids = new ArrayList<>();
    Integer[] modIds = new Integer[2];
    Future<RowSet<Row>> done = accounts(2)
      .compose(created -> {
        ids.addAll(created);
        return sql("INSERT INTO mod (display_name, author) VALUES ('Ranked mod', 'test'), ('Unranked mod', 'test') "
          + "RETURNING id");
      })
      .compose(mods -> {
        var it = mods.iterator();
        modIds[0] = it.next().getInteger("id");
        modIds[1] = it.next().getInteger("id");
        return sql("INSERT INTO mod_version (mod_id, uid, version, filename, ranked) VALUES "
          + "($1, $2, 1, 'mods/r.zip', true), ($3, $4, 1, 'mods/u.zip', false)", modIds[0], ranked, modIds[1], unranked);
      })
      .compose(v -> sql("INSERT INTO mod_stats (mod_id, times_played) VALUES ($1, 5)", modIds[0]))
      .compose(v -> records.launched(game("custom", ids.get(0), 2, ids.get(1), 3)
        .put("simMods", new JsonObject().put(ranked, "Ranked mod"))))
      .compose(validity -> {
        ctx.verify(() -> assertThat(validity).isEqualTo(Validity.VALID));
        return records.launched(game("custom", ids.get(0), 2, ids.get(1), 3)
          .put("simMods", new JsonObject().put(ranked, "Ranked mod").put(unranked, "Unranked mod")));
      })
      .compose(validity -> {
        ctx.verify(() -> assertThat(validity).isEqualTo(Validity.BAD_MOD));
        return records.launched(game("custom", ids.get(0), 2, ids.get(1), 3)
          .put("simMods", new JsonObject().put("not-in-the-database", "Who knows")));
      })
      .compose(validity -> {
        ctx.verify(() -> assertThat(validity).isEqualTo(Validity.BAD_MOD));
        return sql("SELECT mod_id, times_played FROM mod_stats WHERE mod_id = ANY($1) ORDER BY mod_id",
          (Object) modIds);
      });
    check(ctx, done, rows -> {
      Map<Integer, Row> byMod = byPlayer(rows, "mod_id");
      assertThat(byMod.get(modIds[0]).getInteger("times_played")).isEqualTo(7);
      assertThat(byMod.get(modIds[1]).getInteger("times_played")).isEqualTo(1);
    });
  }

  @Test
  void generatedMapsAreRankedOtherUnknownMapsAreNot(VertxTestContext ctx) {
    List<Integer> ids = new ArrayList<>();
    JsonObject[] generated = new JsonObject[1];
    Future<RowSet<Row>> done = accounts(2).compose(created -> {
      ids.addAll(created);
      generated[0] = game("custom", ids.get(0), 2, ids.get(1), 3).put("mapname", "neroxis_map_generator_1.8.5_abc");
      return records.launched(generated[0]);
    }).compose(validity -> {
      ctx.verify(() -> assertThat(validity).isEqualTo(Validity.VALID));
      return records.launched(game("custom", ids.get(0), 2, ids.get(1), 3).put("mapname", "my_own_map"));
    }).compose(validity -> {
      ctx.verify(() -> assertThat(validity).isEqualTo(Validity.BAD_MAP));
      return sql("SELECT map_id FROM game_stats WHERE id = $1", generated[0].getLong("id"));
    });
    check(ctx, done, rows -> assertThat(rows.iterator().next().getValue("map_id")).isNull());
  }

  @Test
  void teamkillsAreRecordedWhenBothPlayersAreKnown(VertxTestContext ctx) {
    List<Integer> ids = new ArrayList<>();
    JsonObject[] doc = new JsonObject[1];
    Future<RowSet<Row>> done = accounts(2).compose(created -> {
      ids.addAll(created);
      doc[0] = game("custom", ids.get(0), 2, ids.get(1), 2);
      return records.launched(doc[0]);
    }).compose(v -> {
      long id = doc[0].getLong("id");
      int victim = ids.get(0);
      int killer = ids.get(1);
      return records.teamkill(id, new JsonArray().add(305).add(victim).add("victim").add(killer).add("killer"))
        .compose(x -> records.teamkill(id, new JsonArray().add(10).add(0).add("nobody").add(killer).add("killer")))
        .compose(x -> records.teamkill(id, new JsonArray().add(10).add(victim).add("v").add(0).add("k")))
        .compose(x -> records.teamkill(id, new JsonArray().add(10).add(victim).add("v").add(999_999_999).add("ghost")))
        .compose(x -> records.teamkill(id, new JsonArray().add("soon").add(victim).add("v").add(killer).add("k")))
        .compose(x -> records.teamkill(id, new JsonArray().add(1)))
        .compose(x -> records.teamkill(id, null))
        .compose(x -> records.teamkill(GAME_IDS.incrementAndGet(), new JsonArray().add(1).add(victim).add("v")
          .add(killer).add("k")));
    }).compose(v -> sql("SELECT teamkiller, victim, gametime FROM teamkills WHERE game_id = $1", doc[0].getLong("id")));
    check(ctx, done, rows -> {
      assertThat(rows.size()).isEqualTo(1);
      Row r = rows.iterator().next();
      assertThat(r.getInteger("teamkiller")).isEqualTo(ids.get(1));
      assertThat(r.getInteger("victim")).isEqualTo(ids.get(0));
      assertThat(r.getInteger("gametime")).isEqualTo(305);
    });
  }

  @Test
  void coopCompletionIsRecordedOncePerGame(VertxTestContext ctx) {
    List<Integer> ids = new ArrayList<>();
    JsonObject[] doc = new JsonObject[3];
    Future<RowSet<Row>> done = accounts(2).compose(created -> {
      ids.addAll(created);
      doc[0] = game("coop", ids.get(0), 1, ids.get(1), 1).put("mapname", "x1ca_001");
      doc[1] = game("coop", ids.get(0), 1, ids.get(1), 1).put("mapname", "x1ca_002");
      doc[2] = game("coop", ids.get(0), 1, ids.get(1), 1).put("mapname", "no_such_mission");
      return records.launched(doc[0]);
    }).compose(validity -> {
      ctx.verify(() -> assertThat(validity).isEqualTo(Validity.COOP_NOT_RANKED));
      return records.launched(doc[1]).compose(v -> records.launched(doc[2]));
    }).compose(v -> records.coopCompleted(doc[0], new JsonArray().add(true).add(false).add("01:25:13")))
      .compose(v -> records.coopCompleted(doc[0], new JsonArray().add(true).add(true).add("00:10:00")))
      .compose(v -> records.coopCompleted(doc[1], new JsonArray().add(false).add(true).add("00:20:00")))
      .compose(v -> records.coopCompleted(doc[1], new JsonArray().add(true).add(true).add("soon")))
      .compose(v -> records.coopCompleted(doc[1], new JsonArray().add(true)))
      .compose(v -> records.coopCompleted(doc[2], new JsonArray().add(true).add(true).add("00:20:00")))
      .compose(v -> records.coopCompleted(game("custom", ids.get(0), 2, ids.get(1), 3),
        new JsonArray().add(true).add(true).add("00:20:00")))
      .compose(v -> sql("SELECT c.gameuid, c.secondary, EXTRACT(EPOCH FROM c.time)::int AS seconds, c.player_count, "
        + "m.filename FROM coop_leaderboard c JOIN coop_map m ON m.id = c.mission WHERE c.gameuid = ANY($1)",
        (Object) new Long[] {doc[0].getLong("id"), doc[1].getLong("id"), doc[2].getLong("id")}));
    check(ctx, done, rows -> {
      assertThat(rows.size()).isEqualTo(1);
      Row r = rows.iterator().next();
      assertThat(r.getLong("gameuid")).isEqualTo(doc[0].getLong("id"));
      assertThat(r.getBoolean("secondary")).isFalse();
      assertThat(r.getInteger("seconds")).isEqualTo((int) Duration.ofHours(1).plusMinutes(25).plusSeconds(13).toSeconds());
      assertThat(r.getShort("player_count")).isEqualTo((short) 2);
      assertThat(r.getString("filename")).isEqualTo("maps/x1ca_001.v0001.zip");
    });
  }
}
