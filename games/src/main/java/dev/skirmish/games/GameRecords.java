package dev.skirmish.games;

import dev.skirmish.common.rating.Rating;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the games service writes to the database about a game: its launch ({@code game_stats},
 * {@code game_player_stats}, {@code mod_stats}, {@code matchmaker_queue_game}), its end (results, validity
 * and ratings), teamkills and coop mission completions. Every method runs in one transaction and never
 * blocks; bad game-sent arguments are ignored.
 */
public final class GameRecords {

  private static final Logger LOG = LoggerFactory.getLogger(GameRecords.class);

  /** Maps not in the database count as ranked only if they were made by the map generator. */
  public static final String GENERATED_MAP_PREFIX = "neroxis_map_generator";
  /** The longest game name {@code game_stats} keeps. */
  public static final int MAX_GAME_NAME = 128;

  private static final String FEATURED_MOD = "SELECT id FROM game_featured_mods WHERE gamemod = $1 OR gamemod = 'faf' "
    + "ORDER BY (gamemod = $1) DESC LIMIT 1";
  private static final String MAP = "SELECT id, ranked FROM map_version WHERE filename = $1";
  private static final String MODS = "SELECT uid, mod_id, ranked FROM mod_version WHERE uid = ANY($1)";
  private static final String INSERT_GAME = "INSERT INTO game_stats (id, start_time, game_type, game_mod, host, map_id, "
    + "game_name, validity) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING";
  private static final String INSERT_PLAYER = "INSERT INTO game_player_stats (game_id, player_id, ai, faction, color, "
    + "team, place, mean, deviation) VALUES ($1, $2, false, $3, $4, $5, $6, $7, $8) ON CONFLICT (game_id, player_id) DO NOTHING";
  private static final String MOD_PLAYED = "INSERT INTO mod_stats (mod_id, times_played) VALUES ($1, 1) "
    + "ON CONFLICT (mod_id) DO UPDATE SET times_played = mod_stats.times_played + 1";
  private static final String QUEUE_GAME = "INSERT INTO matchmaker_queue_game (matchmaker_queue_id, game_stats_id) "
    + "SELECT id, $2::bigint FROM matchmaker_queue WHERE id = $1 ON CONFLICT DO NOTHING";
  private static final String LOCK_GAME = "SELECT validity, end_time FROM game_stats WHERE id = $1 FOR UPDATE";
  private static final String END_GAME = "UPDATE game_stats SET end_time = $2, validity = $3 WHERE id = $1";
  private static final String PLAYER_RESULT = "UPDATE game_player_stats SET score = $3, score_time = $4, result = $5 "
    + "WHERE game_id = $1 AND player_id = $2";
  private static final String TEAMKILL = "INSERT INTO teamkills (teamkiller, victim, game_id, gametime) "
    + "SELECT $1::int, $2::int, $3::bigint, $4::int WHERE EXISTS (SELECT 1 FROM account WHERE id = $1) "
    + "AND EXISTS (SELECT 1 FROM account WHERE id = $2) AND EXISTS (SELECT 1 FROM game_stats WHERE id = $3)";
  private static final String COOP_COMPLETED = "INSERT INTO coop_leaderboard (mission, gameuid, secondary, time, player_count) "
    + "SELECT m.id, g.id, $3::boolean, make_interval(secs => $4::double precision), $5::smallint FROM game_stats g, coop_map m "
    + "WHERE g.id = $1 AND g.validity = " + Validity.COOP_NOT_RANKED + " AND m.filename LIKE $2 "
    + "ORDER BY m.id LIMIT 1 ON CONFLICT (gameuid) DO NOTHING";

  private static final Pattern MISSION_TIME = Pattern.compile("(\\d+):([0-5]?\\d):([0-5]?\\d)");

  /**
   * What {@link #ended} recorded.
   *
   * @param gameId        the game
   * @param validity      the final validity
   * @param recorded      false when the game had never been recorded as launched (nothing was written)
   * @param players       every frozen player's result and score
   * @param ratedPlayers  the players whose ratings changed (empty when the game was not rated)
   * @param ratingChanges every rating change, the game's leaderboard first, then global adjustments
   */
  public record EndedGame(long gameId, int validity, boolean recorded, List<Results.PlayerResult> players,
                          List<Integer> ratedPlayers, List<Ratings.Change> ratingChanges) {

    public EndedGame {
      players = List.copyOf(players);
      ratedPlayers = List.copyOf(ratedPlayers);
      ratingChanges = List.copyOf(ratingChanges);
    }

    /** Whether the game changed any rating. */
    public boolean rated() {
      return !ratingChanges.isEmpty();
    }
  }

  private final Pool pool;

  public GameRecords(Pool pool) {
    this.pool = pool;
  }

  // ---- launch ---------------------------------------------------------------------------------------

  /**
   * Records a game going LIVE: {@code game_stats} with its launch validity, one {@code game_player_stats}
   * row per frozen player with their current rating on the game's leaderboard, {@code mod_stats} play
   * counts and, for matchmaker games, {@code matchmaker_queue_game}. Launching an already recorded game
   * changes nothing and answers the recorded validity.
   *
   * @return the launch validity
   */
  public Future<Integer> launched(JsonObject game) {
    Long id = GameDocs.longOf(game.getValue("id"));
    Integer host = GameDocs.intOf(game.getValue("host"));
    if (id == null || host == null) {
      return Future.failedFuture(new IllegalArgumentException("game document without id or host"));
    }
    String mapname = GameDocs.string(game, "mapname", "").toLowerCase(Locale.ROOT);
    List<String> modUids = new ArrayList<>(GameDocs.object(game, "simMods").fieldNames());
    List<GameDocs.Player> players = GameDocs.players(game);
    String ratingType = GameDocs.string(game, "ratingType", Ratings.GLOBAL);

    return pool.withTransaction(conn -> {
      Future<Integer> featuredMod = conn.preparedQuery(FEATURED_MOD)
        .execute(Tuple.of(GameDocs.string(game, "featuredMod", "faf")))
        .compose(rows -> rows.size() == 0
          ? Future.failedFuture(new IllegalStateException("no featured mod " + game.getValue("featuredMod")))
          : Future.succeededFuture(rows.iterator().next().getInteger("id")));
      Future<RowSet<Row>> map = conn.preparedQuery(MAP).execute(Tuple.of("maps/" + mapname + ".zip"));
      Future<RowSet<Row>> mods = modUids.isEmpty()
        ? Future.succeededFuture(null)
        : conn.preparedQuery(MODS).execute(Tuple.tuple().addValue(modUids.toArray(new String[0])));
      Future<Map<Integer, Rating>> ratings = Ratings.current(conn, ratingType,
        players.stream().map(GameDocs.Player::id).toList());

      return Future.all(featuredMod, map, mods, ratings).compose(all -> {
        Row mapRow = map.result().size() == 0 ? null : map.result().iterator().next();
        boolean mapRanked = mapRow == null ? mapname.startsWith(GENERATED_MAP_PREFIX) : mapRow.getBoolean("ranked");
        Set<Integer> modIds = new LinkedHashSet<>();
        boolean modsRanked = true;
        if (mods.result() != null) {
          Set<String> found = new LinkedHashSet<>();
          for (Row r : mods.result()) {
            found.add(r.getString("uid"));
            modIds.add(r.getInteger("mod_id"));
            modsRanked &= r.getBoolean("ranked");
          }
          modsRanked &= found.containsAll(modUids);
        }
        int validity = Validity.atLaunch(game, modsRanked, mapRanked);
        Tuple gameRow = Tuple.of(id, startTime(game), victory(game), featuredMod.result(), host,
          mapRow == null ? null : mapRow.getInteger("id"), gameName(game), (short) validity);
        return conn.preparedQuery(INSERT_GAME).execute(gameRow).compose(inserted -> {
          if (inserted.rowCount() == 0) {
            LOG.debug("Game {} was already recorded as launched", id);
            return conn.preparedQuery("SELECT validity FROM game_stats WHERE id = $1").execute(Tuple.of(id))
              .map(rows -> (int) rows.iterator().next().getShort("validity"));
          }
          return insertPlayers(conn, id, players, ratings.result())
            .compose(v -> countModPlays(conn, modIds))
            .compose(v -> recordQueue(conn, game, id))
            .map(validity);
        });
      });
    });
  }

  private static Future<Void> insertPlayers(SqlConnection conn, long gameId, List<GameDocs.Player> players,
                                            Map<Integer, Rating> ratings) {
    if (players.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = new ArrayList<>();
    for (GameDocs.Player p : players) {
      Rating r = ratings.getOrDefault(p.id(), Ratings.TRUESKILL.defaultRating());
      rows.add(Tuple.of(gameId, p.id(), smallint(p.faction()), smallint(p.color()),
        smallint(p.team() == null ? -1 : p.team()), smallint(p.place()), r.mean(), r.deviation()));
    }
    return conn.preparedQuery(INSERT_PLAYER).executeBatch(rows).mapEmpty();
  }

  private static Future<Void> countModPlays(SqlConnection conn, Set<Integer> modIds) {
    if (modIds.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(MOD_PLAYED).executeBatch(modIds.stream().map(Tuple::of).toList()).mapEmpty();
  }

  private static Future<Void> recordQueue(SqlConnection conn, JsonObject game, long gameId) {
    Integer queueId = GameDocs.intOf(game.getValue("queueId"));
    if (queueId == null) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(QUEUE_GAME).execute(Tuple.of(queueId, gameId)).mapEmpty();
  }

  // ---- end ------------------------------------------------------------------------------------------

  /**
   * Records the end of a game: {@code end_time}, the final validity, every player's score and result,
   * and, for a valid game with a resolvable outcome, the new ratings. A game that was never recorded as
   * launched writes nothing and is not rated; ending a game again changes nothing and rates no one.
   */
  public Future<EndedGame> ended(JsonObject game) {
    Long id = GameDocs.longOf(game.getValue("id"));
    Results.Resolution resolution = Results.resolve(game);
    Integer docValidity = GameDocs.intOf(game.getValue("validity"));
    if (id == null) {
      return Future.succeededFuture(notRecorded(-1, game, resolution, docValidity));
    }
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK_GAME).execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0) {
        LOG.debug("Game {} ended without having been recorded as launched", id);
        return Future.succeededFuture(notRecorded(id, game, resolution, docValidity));
      }
      Row row = rows.iterator().next();
      int launchValidity = row.getShort("validity");
      if (row.getValue("end_time") != null) {
        // Already ended: results and ratings are recorded once.
        LOG.debug("Game {} had already ended", id);
        return Future.succeededFuture(new EndedGame(id, launchValidity, true, resolution.players(), List.of(), List.of()));
      }
      OffsetDateTime endTime = endTime(game);
      int validity = Validity.atEnd(game, launchValidity, resolution);
      List<Tuple> results = resolution.players().stream()
        .map(p -> Tuple.of(id, p.playerId(), smallint(p.score()), endTime, p.result()))
        .toList();
      Future<?> stored = conn.preparedQuery(END_GAME).execute(Tuple.of(id, endTime, (short) validity))
        .compose(v -> results.isEmpty()
          ? Future.succeededFuture()
          : conn.preparedQuery(PLAYER_RESULT).executeBatch(results));
      boolean rate = validity == Validity.VALID && resolution.resolvable();
      return stored
        .compose(v -> rate
          ? Ratings.rate(conn, id, GameDocs.string(game, "ratingType", Ratings.GLOBAL), resolution.teams(), resolution.ranks())
          : Future.succeededFuture(List.<Ratings.Change>of()))
        .map(changes -> new EndedGame(id, validity, true, resolution.players(), ratedPlayers(changes), changes));
    }));
  }

  private static EndedGame notRecorded(long id, JsonObject game, Results.Resolution resolution, Integer docValidity) {
    int launch = docValidity == null ? Validity.VALID : docValidity;
    return new EndedGame(id, Validity.atEnd(game, launch, resolution), false, resolution.players(), List.of(), List.of());
  }

  private static List<Integer> ratedPlayers(List<Ratings.Change> changes) {
    Set<Integer> ids = new LinkedHashSet<>();
    changes.forEach(c -> ids.add(c.playerId()));
    return List.copyOf(ids);
  }

  // ---- in-game events -------------------------------------------------------------------------------

  /**
   * Records {@code TeamkillHappened [gametime, victimId, victimName, killerId, killerName]}. Ignored when
   * the arguments are malformed, an id is 0, a player is unknown or the game was never recorded.
   */
  public Future<Void> teamkill(long gameId, JsonArray args) {
    if (args == null || args.size() < 4) {
      LOG.debug("Game {}: TeamkillHappened with bad arguments {}", gameId, args);
      return Future.succeededFuture();
    }
    Integer gametime = GameDocs.intOf(args.getValue(0));
    Integer victim = GameDocs.intOf(args.getValue(1));
    Integer killer = GameDocs.intOf(args.getValue(3));
    if (gametime == null || victim == null || killer == null) {
      LOG.debug("Game {}: TeamkillHappened with bad arguments {}", gameId, args);
      return Future.succeededFuture();
    }
    if (victim == 0 || killer == 0) {
      return Future.succeededFuture();
    }
    return pool.withTransaction(conn -> conn.preparedQuery(TEAMKILL)
      .execute(Tuple.of(killer, victim, gameId, gametime))
      .map(rows -> {
        if (rows.rowCount() == 0) {
          LOG.debug("Game {}: teamkill of {} by {} not recorded (unknown player or game)", gameId, victim, killer);
        }
        return (Void) null;
      }));
  }

  /**
   * Records {@code OperationComplete [primary, secondary, "HH:MM:SS"]} of a coop game: one
   * {@code coop_leaderboard} row per game, only when the primary objective is complete and the game is
   * still {@link Validity#COOP_NOT_RANKED}, for the {@code coop_map} whose file is {@code maps/<mapname>.*}.
   * Ignored otherwise (other game types, bad arguments, unknown mission, already recorded).
   */
  public Future<Void> coopCompleted(JsonObject game, JsonArray args) {
    Long id = GameDocs.longOf(game.getValue("id"));
    if (id == null || !"coop".equals(GameDocs.string(game, "gameType", ""))) {
      return Future.succeededFuture();
    }
    if (args == null || args.size() < 3 || !(args.getValue(2) instanceof String time)) {
      LOG.debug("Game {}: OperationComplete with bad arguments {}", id, args);
      return Future.succeededFuture();
    }
    if (!GameDocs.boolOf(args.getValue(0))) {
      return Future.succeededFuture();
    }
    Matcher m = MISSION_TIME.matcher(time.trim());
    if (!m.matches()) {
      LOG.debug("Game {}: OperationComplete with bad time {}", id, time);
      return Future.succeededFuture();
    }
    double seconds = Long.parseLong(m.group(1)) * 3600.0 + Integer.parseInt(m.group(2)) * 60 + Integer.parseInt(m.group(3));
    boolean secondary = GameDocs.boolOf(args.getValue(1));
    String mapname = GameDocs.string(game, "mapname", "").toLowerCase(Locale.ROOT);
    if (mapname.isEmpty()) {
      return Future.succeededFuture();
    }
    String pattern = "%/" + likeEscape(mapname) + ".%";
    short playerCount = smallint(GameDocs.players(game).size());
    return pool.withTransaction(conn -> conn.preparedQuery(COOP_COMPLETED)
      .execute(Tuple.of(id, pattern, secondary, seconds, playerCount))
      .map(rows -> {
        if (rows.rowCount() == 0) {
          LOG.debug("Game {}: coop completion not recorded (not coop-valid, unknown mission {} or already done)",
            id, mapname);
        }
        return (Void) null;
      }));
  }

  // ---- helpers --------------------------------------------------------------------------------------

  private static String likeEscape(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  private static String gameName(JsonObject game) {
    String title = GameDocs.string(game, "title", "");
    return title.length() > MAX_GAME_NAME ? title.substring(0, MAX_GAME_NAME) : title;
  }

  private static String victory(JsonObject game) {
    String v = GameDocs.string(GameDocs.object(game, "options"), "Victory", "demoralization").toLowerCase(Locale.ROOT);
    return v.length() > 20 ? v.substring(0, 20) : v;
  }

  private static OffsetDateTime startTime(JsonObject game) {
    Long launched = GameDocs.longOf(game.getValue("launchedAt"));
    return launched == null ? OffsetDateTime.now(ZoneOffset.UTC) : epoch(launched);
  }

  private static OffsetDateTime endTime(JsonObject game) {
    Long ended = GameDocs.longOf(game.getValue("endedAt"));
    return ended == null ? OffsetDateTime.now(ZoneOffset.UTC) : epoch(ended);
  }

  private static OffsetDateTime epoch(long seconds) {
    return OffsetDateTime.ofInstant(Instant.ofEpochSecond(seconds), ZoneOffset.UTC);
  }

  private static short smallint(int value) {
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, value));
  }
}
