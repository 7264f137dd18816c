package dev.skirmish.games;

import dev.skirmish.common.rating.Rating;
import dev.skirmish.common.rating.TrueSkill;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rates ended two-team games on their leaderboard with TrueSkill and stores the result: missing
 * {@code leaderboard_rating} rows, the before/after ratings in {@code game_player_stats}, the
 * {@code leaderboard_rating_journal} and the new {@code leaderboard_rating}. Games on another leaderboard
 * than {@code global} may also raise the players' global rating (see {@link #globalAdjustment}).
 */
public final class Ratings {

  private static final Logger LOG = LoggerFactory.getLogger(Ratings.class);

  /** FAF's TrueSkill environment: mu 1500, sigma 500, beta 240, tau 10, draw probability 0.10. */
  public static final TrueSkill TRUESKILL = TrueSkill.faf();
  /** The leaderboard that other leaderboards may adjust. */
  public static final String GLOBAL = "global";
  /** A global rating adjusted by another leaderboard's game may not rise above this displayed rating. */
  public static final double ADJUSTMENT_MAX_RATING = 1400;
  /** A rating taken over from an initializer leaderboard gets this much more deviation... */
  public static final double INITIALIZER_EXTRA_DEVIATION = 150;
  /** ...up to this deviation; a deviation already above it is taken as is. */
  public static final double INITIALIZER_MAX_DEVIATION = 250;

  private static final String LEADERBOARDS = "SELECT id, technical_name, initializer_id FROM leaderboard";
  private static final String PLAYER_RATINGS =
    "SELECT login_id, leaderboard_id, mean, deviation FROM leaderboard_rating WHERE login_id = ANY($1)";
  private static final String CREATE_RATING = "INSERT INTO leaderboard_rating (login_id, leaderboard_id, mean, deviation) "
    + "VALUES ($1, $2, $3, $4) ON CONFLICT (login_id, leaderboard_id) DO NOTHING";
  private static final String LOCK_RATINGS = "SELECT login_id, leaderboard_id, mean, deviation FROM leaderboard_rating "
    + "WHERE leaderboard_id = ANY($1) AND login_id = ANY($2) ORDER BY leaderboard_id, login_id FOR UPDATE";
  private static final String UPDATE_PLAYER_STATS = "UPDATE game_player_stats "
    + "SET mean = $3, deviation = $4, after_mean = $5, after_deviation = $6 WHERE game_id = $1 AND player_id = $2";
  private static final String PLAYER_STATS_IDS = "SELECT id, player_id FROM game_player_stats WHERE game_id = $1";
  private static final String JOURNAL = "INSERT INTO leaderboard_rating_journal (game_player_stats_id, leaderboard_id, "
    + "rating_mean_before, rating_deviation_before, rating_mean_after, rating_deviation_after) "
    + "VALUES ($1, $2, $3, $4, $5, $6)";
  private static final String UPSERT_RATING = "INSERT INTO leaderboard_rating "
    + "(login_id, leaderboard_id, mean, deviation, total_games, won_games, update_time) VALUES ($1, $2, $3, $4, 1, $5, now()) "
    + "ON CONFLICT (login_id, leaderboard_id) DO UPDATE SET mean = EXCLUDED.mean, deviation = EXCLUDED.deviation, "
    + "total_games = leaderboard_rating.total_games + 1, "
    + "won_games = leaderboard_rating.won_games + EXCLUDED.won_games, update_time = now()";

  /** A {@code leaderboard} row. */
  public record Leaderboard(int id, String technicalName, Integer initializerId) {
  }

  /**
   * One rating change caused by a game.
   *
   * @param playerId    the player
   * @param leaderboard the technical name of the leaderboard that changed
   * @param before      the rating before the game
   * @param after       the rating after the game
   * @param won         whether the player's team won
   */
  public record Change(int playerId, String leaderboard, Rating before, Rating after, boolean won) {
  }

  private final Pool pool;

  public Ratings(Pool pool) {
    this.pool = pool;
  }

  /** {@link #rate(SqlConnection, long, String, List, List)} in a transaction of its own. */
  public Future<List<Change>> rate(long gameId, String ratingType, List<List<Integer>> teams, List<Integer> ranks) {
    return pool.withTransaction(conn -> rate(conn, gameId, ratingType, teams, ranks));
  }

  // ---- pure rules -----------------------------------------------------------------------------------

  /**
   * The first rating on a leaderboard whose initializer rates the player {@code initializer}: its mean
   * with {@value #INITIALIZER_EXTRA_DEVIATION} more deviation, at most {@value #INITIALIZER_MAX_DEVIATION};
   * an initializer deviation already above that limit is kept as is. Without an initializer rating, the
   * TrueSkill default (1500, 500).
   */
  public static Rating initial(Rating initializer) {
    if (initializer == null) {
      return TRUESKILL.defaultRating();
    }
    if (initializer.deviation() > INITIALIZER_MAX_DEVIATION) {
      return initializer;
    }
    return new Rating(initializer.mean(),
      Math.min(initializer.deviation() + INITIALIZER_EXTRA_DEVIATION, INITIALIZER_MAX_DEVIATION));
  }

  /**
   * The global re-rating of one player after a game on another leaderboard: if their global displayed
   * rating is not above their displayed rating on the game's leaderboard, the game is rated again with
   * their global rating in place of their leaderboard rating. The result is kept only if it raises the
   * displayed global rating and stays at most {@value #ADJUSTMENT_MAX_RATING}; otherwise null.
   *
   * @param teams    the ratings on the game's leaderboard before the game
   * @param ranks    the ranks of the two teams
   * @param team     the player's team index
   * @param index    the player's index in that team
   * @param global   the player's global rating before the game
   */
  public static Rating globalAdjustment(List<List<Rating>> teams, List<Integer> ranks, int team, int index, Rating global) {
    Rating own = teams.get(team).get(index);
    if (global.displayed() > own.displayed()) {
      return null;
    }
    List<List<Rating>> swapped = new ArrayList<>();
    for (List<Rating> t : teams) {
      swapped.add(new ArrayList<>(t));
    }
    swapped.get(team).set(index, global);
    Rating adjusted = TRUESKILL.rate(swapped, toArray(ranks)).get(team).get(index);
    if (adjusted.displayed() > global.displayed() && adjusted.displayed() <= ADJUSTMENT_MAX_RATING) {
      return adjusted;
    }
    return null;
  }

  // ---- database -------------------------------------------------------------------------------------

  /**
   * The current ratings of {@code players} on the leaderboard {@code ratingType}, without creating any
   * row: a missing rating follows the initializer rule of {@link #initial}. An unknown leaderboard gives
   * everyone the default rating.
   */
  public static Future<Map<Integer, Rating>> current(SqlClient client, String ratingType, Collection<Integer> players) {
    return leaderboards(client).compose(boards -> playerRatings(client, players).map(rows -> {
      Leaderboard board = byName(boards, ratingType);
      Map<Integer, Rating> out = new HashMap<>();
      for (int p : players) {
        out.put(p, board == null ? TRUESKILL.defaultRating() : effective(boards, rows, board.id(), p, 0));
      }
      return out;
    }));
  }

  /**
   * Rates a resolved two-team game, inside the caller's transaction.
   *
   * @param conn       a connection in a transaction
   * @param gameId     the game (its game_player_stats rows get the ratings)
   * @param ratingType the leaderboard's technical name
   * @param teams      exactly two non-empty teams of player ids
   * @param ranks      [0,1] first team won, [1,0] second won, [0,0] draw
   * @return every rating that changed; empty when the game cannot be rated (unknown leaderboard, bad teams)
   */
  public static Future<List<Change>> rate(SqlConnection conn, long gameId, String ratingType,
                                          List<List<Integer>> teams, List<Integer> ranks) {
    if (teams == null || teams.size() != 2 || teams.stream().anyMatch(t -> t == null || t.isEmpty())
      || ranks == null || ranks.size() != 2) {
      LOG.debug("Game {} not rated: needs two teams and two ranks, got {} and {}", gameId, teams, ranks);
      return Future.succeededFuture(List.of());
    }
    Set<Integer> players = new LinkedHashSet<>();
    teams.forEach(players::addAll);
    if (players.size() != teams.get(0).size() + teams.get(1).size()) {
      LOG.debug("Game {} not rated: a player is on both teams: {}", gameId, teams);
      return Future.succeededFuture(List.of());
    }
    return leaderboards(conn).compose(boards -> {
      Leaderboard board = byName(boards, ratingType);
      if (board == null) {
        LOG.debug("Game {} not rated: no leaderboard {}", gameId, ratingType);
        return Future.succeededFuture(List.<Change>of());
      }
      Leaderboard global = GLOBAL.equals(board.technicalName()) ? null : byName(boards, GLOBAL);
      return playerRatings(conn, players)
        .compose(rows -> createMissing(conn, boards, rows, board.id(), players).map(rows))
        .compose(rows -> lock(conn, board, global, players).map(locked -> {
          // Ratings read under lock win; a missing global rating follows the initializer rule.
          Map<Integer, Map<Integer, Rating>> merged = new HashMap<>(rows);
          locked.forEach((boardId, ratings) -> merged.computeIfAbsent(boardId, k -> new HashMap<>()).putAll(ratings));
          return merged;
        }))
        .compose(ratings -> apply(conn, gameId, boards, ratings, board, global, teams, ranks));
    });
  }

  private static Future<List<Change>> apply(SqlConnection conn, long gameId, Map<Integer, Leaderboard> boards,
                                            Map<Integer, Map<Integer, Rating>> ratings, Leaderboard board,
                                            Leaderboard global, List<List<Integer>> teams, List<Integer> ranks) {
    List<List<Rating>> before = new ArrayList<>();
    for (List<Integer> team : teams) {
      before.add(team.stream().map(p -> effective(boards, ratings, board.id(), p, 0)).toList());
    }
    List<List<Rating>> after = TRUESKILL.rate(before, toArray(ranks));
    List<Change> changes = new ArrayList<>();
    List<Change> globalChanges = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      boolean won = ranks.get(t) < ranks.get(1 - t);
      for (int i = 0; i < teams.get(t).size(); i++) {
        int player = teams.get(t).get(i);
        changes.add(new Change(player, board.technicalName(), before.get(t).get(i), after.get(t).get(i), won));
        if (global != null) {
          Rating oldGlobal = effective(boards, ratings, global.id(), player, 0);
          Rating adjusted = globalAdjustment(before, ranks, t, i, oldGlobal);
          if (adjusted != null) {
            globalChanges.add(new Change(player, GLOBAL, oldGlobal, adjusted, won));
          }
        }
      }
    }

    List<Tuple> stats = changes.stream().map(c -> Tuple.of(gameId, c.playerId(), c.before().mean(),
      c.before().deviation(), c.after().mean(), c.after().deviation())).toList();
    return conn.preparedQuery(UPDATE_PLAYER_STATS).executeBatch(stats)
      .compose(v -> conn.preparedQuery(PLAYER_STATS_IDS).execute(Tuple.of(gameId)))
      .compose(rows -> {
        Map<Integer, Long> statsId = new HashMap<>();
        for (Row r : rows) {
          statsId.put(r.getInteger("player_id"), r.getLong("id"));
        }
        List<Tuple> journal = new ArrayList<>();
        List<Tuple> upserts = new ArrayList<>();
        for (Change c : changes) {
          journalRow(journal, statsId, board.id(), c);
          upserts.add(upsertRow(board.id(), c));
        }
        for (Change c : globalChanges) {
          journalRow(journal, statsId, global.id(), c);
          upserts.add(upsertRow(global.id(), c));
        }
        Future<?> journaled = journal.isEmpty()
          ? Future.succeededFuture()
          : conn.preparedQuery(JOURNAL).executeBatch(journal);
        return journaled.compose(v -> conn.preparedQuery(UPSERT_RATING).executeBatch(upserts));
      })
      .map(v -> {
        List<Change> all = new ArrayList<>(changes);
        all.addAll(globalChanges);
        LOG.debug("Game {} rated on {}: {}", gameId, board.technicalName(), all);
        return List.copyOf(all);
      });
  }

  private static void journalRow(List<Tuple> journal, Map<Integer, Long> statsId, int boardId, Change c) {
    Long id = statsId.get(c.playerId());
    if (id == null) {
      LOG.debug("No game_player_stats row for player {}: no journal entry", c.playerId());
      return;
    }
    journal.add(Tuple.of(id, boardId, c.before().mean(), c.before().deviation(), c.after().mean(), c.after().deviation()));
  }

  private static Tuple upsertRow(int boardId, Change c) {
    return Tuple.of(c.playerId(), boardId, c.after().mean(), c.after().deviation(), c.won() ? 1 : 0);
  }

  private static Future<Void> createMissing(SqlConnection conn, Map<Integer, Leaderboard> boards,
                                            Map<Integer, Map<Integer, Rating>> rows, int boardId, Set<Integer> players) {
    Map<Integer, Rating> existing = rows.getOrDefault(boardId, Map.of());
    List<Tuple> missing = new ArrayList<>();
    for (int p : players) {
      if (!existing.containsKey(p)) {
        Rating r = effective(boards, rows, boardId, p, 0);
        missing.add(Tuple.of(p, boardId, r.mean(), r.deviation()));
      }
    }
    return missing.isEmpty()
      ? Future.succeededFuture()
      : conn.preparedQuery(CREATE_RATING).executeBatch(missing).mapEmpty();
  }

  private static Future<Map<Integer, Map<Integer, Rating>>> lock(SqlConnection conn, Leaderboard board,
                                                                Leaderboard global, Set<Integer> players) {
    Integer[] boardIds = global == null ? new Integer[] {board.id()} : new Integer[] {board.id(), global.id()};
    return conn.preparedQuery(LOCK_RATINGS)
      .execute(Tuple.tuple().addValue(boardIds).addValue(players.toArray(new Integer[0])))
      .map(Ratings::ratingRows);
  }

  static Future<Map<Integer, Leaderboard>> leaderboards(SqlClient client) {
    return client.query(LEADERBOARDS).execute().map(rows -> {
      Map<Integer, Leaderboard> out = new HashMap<>();
      for (Row r : rows) {
        out.put(r.getInteger("id"),
          new Leaderboard(r.getInteger("id"), r.getString("technical_name"), r.getInteger("initializer_id")));
      }
      return out;
    });
  }

  private static Leaderboard byName(Map<Integer, Leaderboard> boards, String name) {
    return boards.values().stream().filter(b -> b.technicalName().equals(name)).findFirst().orElse(null);
  }

  /** leaderboard id → player id → rating, for every leaderboard the players are rated on. */
  private static Future<Map<Integer, Map<Integer, Rating>>> playerRatings(SqlClient client, Collection<Integer> players) {
    if (players.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return client.preparedQuery(PLAYER_RATINGS).execute(Tuple.tuple().addValue(players.toArray(new Integer[0])))
      .map(Ratings::ratingRows);
  }

  private static Map<Integer, Map<Integer, Rating>> ratingRows(Iterable<Row> rows) {
    Map<Integer, Map<Integer, Rating>> out = new HashMap<>();
    for (Row r : rows) {
      double deviation = r.getDouble("deviation");
      Rating rating = deviation > 0
        ? new Rating(r.getDouble("mean"), deviation)
        : new Rating(r.getDouble("mean"), Double.MIN_NORMAL);
      out.computeIfAbsent(r.getInteger("leaderboard_id"), k -> new HashMap<>()).put(r.getInteger("login_id"), rating);
    }
    return out;
  }

  /** The stored rating, or the initializer rule applied down the initializer chain, or the default. */
  private static Rating effective(Map<Integer, Leaderboard> boards, Map<Integer, Map<Integer, Rating>> rows,
                                  int boardId, int player, int depth) {
    Rating stored = rows.getOrDefault(boardId, Map.of()).get(player);
    if (stored != null) {
      return stored;
    }
    Leaderboard board = boards.get(boardId);
    if (board == null || board.initializerId() == null || depth > boards.size()) {
      return TRUESKILL.defaultRating();
    }
    Map<Integer, Rating> initializerRows = rows.getOrDefault(board.initializerId(), Map.of());
    Rating fromInitializer = initializerRows.containsKey(player) || hasInitializer(boards, board.initializerId())
      ? effective(boards, rows, board.initializerId(), player, depth + 1)
      : null;
    return initial(fromInitializer);
  }

  private static boolean hasInitializer(Map<Integer, Leaderboard> boards, int boardId) {
    Leaderboard b = boards.get(boardId);
    return b != null && b.initializerId() != null;
  }

  private static int[] toArray(List<Integer> ranks) {
    return new int[] {ranks.get(0), ranks.get(1)};
  }
}
