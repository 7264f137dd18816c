package dev.skirmish.matchmaker;

import dev.skirmish.common.Addresses;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Starts a found match as a game: slots and factions, a map chosen with the players' vetoes and recent
 * games, then the request to the games service ({@link Addresses#GAMES_MATCH}). A match that cannot start
 * is cancelled ({@code match_cancelled} to its players). Set-up rules in {@link Launch}.
 */
final class LaunchService {

  private static final Logger LOG = LoggerFactory.getLogger(LaunchService.class);

  /** Map files of each player's last 2 games of a queue within a day. */
  private static final String RECENT_MAPS =
    "SELECT player_id, filename FROM (SELECT gps.player_id, v.filename,"
      + " row_number() OVER (PARTITION BY gps.player_id ORDER BY gs.start_time DESC) AS n"
      + " FROM matchmaker_queue_game mqg JOIN game_stats gs ON gs.id = mqg.game_stats_id"
      + " JOIN game_player_stats gps ON gps.game_id = gs.id JOIN map_version v ON v.id = gs.map_id"
      + " WHERE mqg.matchmaker_queue_id = $1 AND gps.player_id = ANY($2) AND gs.start_time > now() - interval '1 day') t"
      + " WHERE n <= 2";

  private final Vertx vertx;
  private final Pool pool;
  private final NodeConfig config;
  private final VetoService vetoes;
  private final Outbox outbox;
  private final LaunchedMatches launched;
  private final Random random = new Random();

  LaunchService(Vertx vertx, Pool pool, NodeConfig config, VetoService vetoes, Outbox outbox, LaunchedMatches launched) {
    this.vertx = vertx;
    this.pool = pool;
    this.config = config;
    this.vetoes = vetoes;
    this.outbox = outbox;
    this.launched = launched;
  }

  /** The ids of the players. */
  static Set<Integer> ids(List<Launch.Player> players) {
    return players.stream().map(Launch.Player::id).collect(Collectors.toSet());
  }

  /**
   * Launches the game of the searches of team A (whose first player hosts) against those of team B.
   * Completes when the games service has started it (and its searches are remembered for a failure to
   * start, {@link LaunchedMatches}) or the match was cancelled.
   */
  Future<Void> launch(QueueDef queue, List<JsonObject> teamA, List<JsonObject> teamB) {
    List<Launch.Player> a = Launch.playersOf(teamA);
    List<Launch.Player> b = Launch.playersOf(teamB);
    List<JsonObject> searches = new ArrayList<>(teamA);
    searches.addAll(teamB);
    List<Launch.Slot> slots = Launch.slots(a, b, random);
    List<Launch.Player> all = new ArrayList<>(a);
    all.addAll(b);
    Set<Integer> ids = ids(all);
    Future<List<List<Vetoes.Veto>>> vetoed = vetoes.of(ids).recover(err -> {
      LOG.warn("Vetoes of {} unavailable, choosing without them: {}", ids, err.getMessage());
      return Future.succeededFuture(List.of());
    });
    Future<Map<String, Integer>> played = recentMaps(queue, ids).recover(err -> {
      LOG.warn("Recent games of {} unavailable, choosing without them: {}", ids, err.getMessage());
      return Future.succeededFuture(Map.of());
    });
    return Future.all(vetoed, played).transform(done -> start(queue, a, b, searches, ids, slots,
      Launch.chooseMap(queue, Launch.meanRating(all), vetoed.result(), played.result(), random)));
  }

  private Future<Void> start(QueueDef queue, List<Launch.Player> a, List<Launch.Player> b, List<JsonObject> searches,
                             Set<Integer> ids, List<Launch.Slot> slots, QueueDef.PoolMap map) {
    if (map == null) {
      List<Launch.Player> all = new ArrayList<>(a);
      all.addAll(b);
      LOG.warn("No map in the pools of {} for rating {}: match cancelled", queue.name(), Launch.meanRating(all));
      outbox.matchCancelled(ids);
      return Future.succeededFuture();
    }
    JsonArray players = new JsonArray();
    slots.forEach(s -> players.add(s.toJson()));
    JsonObject request = new JsonObject()
      .put("queue", queue.name())
      .put("queueId", queue.id())
      .put("featuredMod", queue.featuredMod())
      .put("ratingType", queue.leaderboard())
      .put("mapname", map.folder())
      .put("title", Launch.title(a, b))
      .put("gameOptions", queue.gameOptions().copy())
      .put("players", players);
    return vertx.eventBus().<JsonObject>request(Addresses.GAMES_MATCH, request,
        new DeliveryOptions().setSendTimeout(config.getLong(Setting.REQUEST_TIMEOUT_MS)))
      .recover(err -> {
        LOG.warn("Matchmade game of {} could not start: {}", queue.name(), err.getMessage());
        outbox.matchCancelled(ids);
        return Future.failedFuture(err);
      })
      .compose(reply -> {
        Object game = reply.body().getValue("game");
        LOG.info("Matchmade game {} of {} started", game, queue.name());
        return launched.remember(game, queue.name(), searches).recover(err -> {
          LOG.warn("Searches of game {} not kept, a failure will re-queue nobody: {}", game, err.getMessage());
          return Future.succeededFuture();
        });
      })
      .otherwiseEmpty();
  }

  /** How often each map folder was played in the players' last 2 games of {@code queue} within a day. */
  private Future<Map<String, Integer>> recentMaps(QueueDef queue, Set<Integer> ids) {
    return pool.preparedQuery(RECENT_MAPS).execute(Tuple.of(queue.id()).addArrayOfInteger(ids.toArray(new Integer[0])))
      .map(rows -> {
        List<String> files = new ArrayList<>();
        rows.forEach(r -> files.add(r.getString("filename")));
        return Launch.playCounts(files);
      });
  }
}
