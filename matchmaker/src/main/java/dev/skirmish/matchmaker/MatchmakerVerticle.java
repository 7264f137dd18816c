package dev.skirmish.matchmaker;

import dev.skirmish.common.Addresses;
import dev.skirmish.common.CommandHandlers;
import dev.skirmish.common.Delivery;
import dev.skirmish.common.DocumentStore;
import dev.skirmish.common.Faf;
import dev.skirmish.common.Failures;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.Players;
import dev.skirmish.common.ServiceException;
import dev.skirmish.common.SessionDirectory;
import dev.skirmish.common.Setting;
import dev.skirmish.matchmaker.algorithm.Match;
import dev.skirmish.matchmaker.algorithm.MatchResult;
import dev.skirmish.matchmaker.algorithm.OneVsOneMatcher;
import dev.skirmish.matchmaker.algorithm.PopTimer;
import dev.skirmish.matchmaker.algorithm.Search;
import dev.skirmish.matchmaker.algorithm.TeamMatcher;
import dev.skirmish.matchmaker.algorithm.TrueSkillQuality;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The FAF matchmaker service. Any matchmaker node serves any queue: each queue's searches and pop timer
 * live in one cluster-wide document ({@link DocumentStore}, rules in {@link Searches}); every node checks
 * the timers, and the node that gets a queue's cluster lock pops it, so a queue pops once however many
 * nodes run and another node takes over when a popper dies.
 */
public final class MatchmakerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MatchmakerVerticle.class);

  /** Cluster-wide map of the queue documents, keyed by queue name. */
  static final String SEARCHES_MAP = "faf.matchmaker.searches";
  private static final String PARTIES_MAP = "faf.parties";
  private static final String PARTIES_KEY = "parties";
  private static final String PLAYER_GAMES_MAP = "faf.player.games";
  /** Cluster-wide map of the players' map vetoes ({@code set_player_vetoes}), keyed by player id; memory only. */
  static final String VETOES_MAP = "faf.matchmaker.vetoes";
  /** Cluster-wide map holding one document (key {@link #READY_KEY}) of the matches waiting for match_ready. */
  static final String READY_MAP = "faf.matchmaker.ready";
  private static final String READY_KEY = "checks";
  private static final String LOCK_PREFIX = "faf.matchmaker.pop.";
  private static final String FAILED_GAMES_MAP = "faf.matchmaker.failed.games";
  private static final long RELOAD_MS = 10 * 60 * 1000L;
  private static final List<String> DEFAULT_FACTIONS = List.of("uef", "aeon", "cybran", "seraphim");

  private static final String QUEUES =
    "SELECT q.id, q.technical_name, q.team_size, q.ready_check, q.params::text AS params, f.gamemod, l.technical_name AS leaderboard"
      + " FROM matchmaker_queue q JOIN game_featured_mods f ON f.id = q.featured_mod_id"
      + " JOIN leaderboard l ON l.id = q.leaderboard_id WHERE q.enabled ORDER BY q.id";
  private static final String POOLS =
    "SELECT qp.id, qp.matchmaker_queue_id, qp.min_rating, qp.max_rating, qp.veto_tokens_per_player,"
      + " qp.max_tokens_per_map, qp.minimum_maps_after_veto, e.id AS entry_id, e.weight,"
      + " e.map_params::text AS map_params, v.filename FROM matchmaker_queue_map_pool qp"
      + " LEFT JOIN map_pool_map_version e ON e.map_pool_id = qp.map_pool_id"
      + " LEFT JOIN map_version v ON v.id = e.map_version_id ORDER BY qp.id, e.id";
  /** Map files of each player's last 2 games of a queue within a day. */
  private static final String RECENT_MAPS =
    "SELECT player_id, filename FROM (SELECT gps.player_id, v.filename,"
      + " row_number() OVER (PARTITION BY gps.player_id ORDER BY gs.start_time DESC) AS n"
      + " FROM matchmaker_queue_game mqg JOIN game_stats gs ON gs.id = mqg.game_stats_id"
      + " JOIN game_player_stats gps ON gps.game_id = gs.id JOIN map_version v ON v.id = gs.map_id"
      + " WHERE mqg.matchmaker_queue_id = $1 AND gps.player_id = ANY($2) AND gs.start_time > now() - interval '1 day') t"
      + " WHERE n <= 2";
  private static final String BANS =
    "SELECT player_id, banned_until FROM matchmaker_violation WHERE player_id = ANY($1) AND banned_until > now()";
  private static final String VIOLATION = "SELECT count, last_time, banned_until FROM matchmaker_violation WHERE player_id = $1";
  private static final String SAVE_VIOLATION =
    "INSERT INTO matchmaker_violation (player_id, count, last_time, banned_until) VALUES ($1, $2, $3, $4)"
      + " ON CONFLICT (player_id) DO UPDATE SET count = EXCLUDED.count, last_time = EXCLUDED.last_time,"
      + " banned_until = EXCLUDED.banned_until";

  private final NodeConfig config;
  private final Pool pool;
  private final Random random = new Random();
  private final Set<String> popping = ConcurrentHashMap.newKeySet();
  private volatile Map<String, QueueDef> queues = Map.of();
  private PopTimer.Config popConfig;
  private DocumentStore searches;
  private DocumentStore parties;
  private DocumentStore playerGames;
  private DocumentStore vetoes;
  private DocumentStore readyChecks;
  private SessionDirectory sessions;
  private long tickTimer = -1;
  private long reloadTimer = -1;

  private final String metricsRegistry;
  private final Map<String, java.util.concurrent.atomic.AtomicInteger> queuedPlayers = new ConcurrentHashMap<>();
  private MeterRegistry meters;

  public MatchmakerVerticle(NodeConfig config, Pool pool) {
    this(config, pool, null);
  }

  /** @param metricsRegistry name of the node's Micrometer registry for queue statistics (null = none) */
  public MatchmakerVerticle(NodeConfig config, Pool pool, String metricsRegistry) {
    this.config = config;
    this.pool = pool;
    this.metricsRegistry = metricsRegistry;
  }

  @Override
  public Future<?> start() {
    double max = Math.max(1, config.getInt(Setting.MATCHMAKER_POP_MAX_SECONDS));
    double min = Math.min(max, Math.max(1, config.getInt(Setting.MATCHMAKER_POP_MIN_SECONDS)));
    popConfig = new PopTimer.Config(max, min, PopTimer.Config.DEFAULT.desiredMatches(), PopTimer.Config.DEFAULT.history());
    searches = new DocumentStore(vertx, SEARCHES_MAP, Searches::empty, Searches::isEmpty);
    parties = new DocumentStore(vertx, PARTIES_MAP, JsonObject::new, JsonObject::isEmpty);
    playerGames = new DocumentStore(vertx, PLAYER_GAMES_MAP, JsonObject::new, JsonObject::isEmpty);
    vetoes = new DocumentStore(vertx, VETOES_MAP, () -> new JsonObject().put("vetoes", new JsonArray()),
      doc -> doc.getJsonArray("vetoes", new JsonArray()).isEmpty());
    readyChecks = new DocumentStore(vertx, READY_MAP, JsonObject::new, JsonObject::isEmpty);
    sessions = new SessionDirectory(vertx, Delivery.FAF_SESSIONS);
    meters = metricsRegistry == null ? null : BackendRegistries.getNow(metricsRegistry);
    CommandHandlers commands = CommandHandlers.faf()
      .on("matchmaker_info", this::info)
      .on("game_matchmaking", this::matchmaking)
      .on("set_player_vetoes", this::setVetoes)
      .on("match_ready", this::matchReady);
    return loadQueues().compose(v -> {
      Future<Void> cmd = vertx.eventBus().<JsonObject>consumer(Addresses.MATCHMAKER_COMMAND, commands::handle).completion();
      Future<Void> offline = vertx.eventBus().<JsonObject>consumer(Addresses.FAF_PLAYER_OFFLINE,
        msg -> offline(msg.body().getValue("player"))).completion();
      Future<Void> failed = vertx.eventBus().<JsonObject>consumer(Addresses.MATCH_FAILED,
        msg -> matchFailed(msg.body())).completion();
      Future<Void> partyChanged = vertx.eventBus().<JsonObject>consumer(Addresses.FAF_SEARCHES_CANCEL,
        msg -> partyChanged(msg.body().getJsonArray("players", new JsonArray()))).completion();
      Future<Void> reload = vertx.eventBus().<JsonObject>consumer(Addresses.MATCHMAKER_RELOAD, msg -> loadQueues()
        .onSuccess(done -> msg.reply(new JsonObject()))
        .onFailure(err -> msg.fail(Failures.INTERNAL, "reloading the queues failed"))).completion();
      return Future.all(List.of(cmd, offline, failed, partyChanged, reload));
    }).onSuccess(v -> {
      long tickMs = popConfig.minSeconds() < 5 ? 250 : 1000;
      tickTimer = vertx.setPeriodic(tickMs, id -> tick());
      reloadTimer = vertx.setPeriodic(RELOAD_MS, id -> loadQueues()
        .onFailure(err -> LOG.warn("Reloading the matchmaker queues failed: {}", err.getMessage())));
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(tickTimer);
    vertx.cancelTimer(reloadTimer);
    return Future.succeededFuture();
  }

  // ---- queues ---------------------------------------------------------------------------------------

  private Future<Void> loadQueues() {
    return pool.query(QUEUES).execute().compose(qrows -> pool.query(POOLS).execute().map(prows -> {
      Map<Integer, Map<Integer, List<QueueDef.PoolMap>>> maps = new HashMap<>();
      Map<Integer, Row> poolRows = new LinkedHashMap<>();
      for (Row r : prows) {
        int poolId = r.getInteger("id");
        poolRows.putIfAbsent(poolId, r);
        List<QueueDef.PoolMap> list = maps.computeIfAbsent(r.getInteger("matchmaker_queue_id"), k -> new LinkedHashMap<>())
          .computeIfAbsent(poolId, k -> new ArrayList<>());
        if (r.getInteger("entry_id") != null) {
          String params = r.getString("map_params");
          list.add(new QueueDef.PoolMap(r.getInteger("entry_id"), QueueDef.folderOf(r.getString("filename")),
            r.getInteger("weight"), params == null ? null : new JsonObject(params)));
        }
      }
      Map<String, QueueDef> loaded = new LinkedHashMap<>();
      for (Row q : qrows) {
        int id = q.getInteger("id");
        List<QueueDef.MapPool> pools = new ArrayList<>();
        maps.getOrDefault(id, Map.of()).forEach((poolId, entries) -> {
          Row pr = poolRows.get(poolId);
          pools.add(new QueueDef.MapPool(poolId, pr.getDouble("min_rating"), pr.getDouble("max_rating"), entries,
            pr.getInteger("veto_tokens_per_player"), pr.getDouble("max_tokens_per_map"), pr.getDouble("minimum_maps_after_veto")));
        });
        String params = q.getString("params");
        JsonObject options = params == null ? new JsonObject()
          : new JsonObject(params).getJsonObject("GameOptions", new JsonObject());
        loaded.put(q.getString("technical_name"), new QueueDef(id, q.getString("technical_name"),
          q.getInteger("team_size"), q.getString("gamemod"), q.getString("leaderboard"), options, pools,
          Boolean.TRUE.equals(q.getBoolean("ready_check"))));
      }
      queues = loaded;
      LOG.info("Loaded {} matchmaker queue(s)", loaded.size());
      return null;
    }));
  }

  private long firstPopMs() {
    return Math.round(new PopTimer(popConfig, 1).firstPopSeconds() * 1000);
  }

  // ---- commands -------------------------------------------------------------------------------------

  private Future<JsonObject> info(JsonObject request) {
    return infoMessage().map(CommandHandlers::messages);
  }

  private Future<JsonObject> infoMessage() {
    List<QueueDef> defs = new ArrayList<>(queues.values());
    List<Future<JsonObject>> docs = defs.stream().map(q -> searches.read(q.name())).toList();
    return Future.all(docs).map(all -> {
      long now = System.currentTimeMillis();
      JsonArray out = new JsonArray();
      for (int i = 0; i < defs.size(); i++) {
        out.add(Searches.info(defs.get(i), docs.get(i).result(), now, firstPopMs()));
      }
      return Faf.command("matchmaker_info").put("queues", out);
    });
  }

  private void broadcastInfo() {
    infoMessage().onSuccess(m -> Delivery.fafQueues(vertx, m.getJsonArray("queues")))
      .onFailure(err -> LOG.warn("matchmaker_info broadcast failed: {}", err.getMessage()));
  }

  private Future<JsonObject> matchmaking(JsonObject request) {
    int player = request.getInteger("player");
    JsonObject msg = request.getJsonObject("message", new JsonObject());
    String queue = queueName(msg);
    Object state = msg.getValue("state");
    if ("stop".equals(state)) {
      return stop(player, queue);
    }
    if ("start".equals(state)) {
      return start(player, queue, msg.getValue("faction"));
    }
    return Future.succeededFuture(new JsonObject());
  }

  private static String queueName(JsonObject msg) {
    if (msg.getValue("queue_name") instanceof String s && !s.isBlank()) {
      return s;
    }
    if (msg.getValue("mod") instanceof String s && !s.isBlank()) {
      return s;
    }
    return "ladder1v1";
  }

  private static JsonObject searchInfo(String queue, String state) {
    return Faf.command("search_info").put("queue_name", queue).put("state", state);
  }

  private Future<JsonObject> stop(int player, String queueName) {
    if (!queues.containsKey(queueName)) {
      return Future.succeededFuture(new JsonObject());
    }
    return searches.update(queueName, doc -> Searches.removePlayer(doc, player)).map(removed -> {
      JsonArray own = new JsonArray().add(searchInfo(queueName, "stop"));
      for (JsonObject s : removed) {
        for (int member : Searches.playerIds(s)) {
          if (member != player) {
            push(member, searchInfo(queueName, "stop"));
          }
        }
      }
      if (!removed.isEmpty()) {
        broadcastInfo();
      }
      return new JsonObject().put("messages", own);
    });
  }

  private Future<JsonObject> start(int player, String queueName, Object factionValue) {
    QueueDef queue = queues.get(queueName);
    if (queue == null) {
      return Future.failedFuture(new ServiceException(Failures.NOT_FOUND, "There is no matchmaker queue named '" + queueName + "'."));
    }
    String faction = null;
    if (factionValue != null) {
      faction = Launch.parseFaction(factionValue);
      if (faction == null) {
        return Future.failedFuture(new ServiceException(Failures.BAD_REQUEST, "Unknown faction: " + factionValue));
      }
    }
    String chosen = faction;
    return parties.read(PARTIES_KEY).compose(partyDoc -> {
      Map<Integer, List<String>> members = partyOf(partyDoc, player);
      if (members == null) {
        return Future.failedFuture(new ServiceException(Failures.FORBIDDEN,
          "Only the owner of your party can start a search for it."));
      }
      if (members.size() > queue.teamSize()) {
        return Future.failedFuture(new ServiceException(Failures.BAD_REQUEST, "Your party has " + members.size()
          + " players, but " + queueName + " has teams of " + queue.teamSize() + "."));
      }
      if (chosen != null) {
        members.put(player, List.of(chosen));
      }
      List<Integer> ids = new ArrayList<>(members.keySet());
      List<Future<JsonObject>> infos = ids.stream().map(id -> Players.info(pool, id)).toList();
      return Future.all(infos)
        .compose(v -> requireIdle(ids, infos))
        .compose(v -> activeBans(ids))
        .compose(bans -> {
          if (!bans.isEmpty()) {
            return Future.succeededFuture(timedOut(queueName, bans));
          }
          JsonObject search = newSearch(player, queue, ids, infos, members);
          return searches.update(queueName, doc -> Searches.add(doc, search)).map(replaced -> {
            for (int member : ids) {
              if (member != player) {
                push(member, searchInfo(queueName, "start"));
              }
            }
            broadcastInfo();
            return CommandHandlers.messages(searchInfo(queueName, "start"));
          });
        });
    });
  }

  /**
   * The members of {@code player}'s party with their factions, the party owner first; a lone player is a
   * party of one. Null if the player is in a party they do not own.
   */
  private static Map<Integer, List<String>> partyOf(JsonObject doc, int player) {
    JsonObject all = doc.getJsonObject("parties", new JsonObject());
    for (String key : all.fieldNames()) {
      JsonObject party = all.getJsonObject(key);
      JsonArray members = party.getJsonArray("members", new JsonArray());
      boolean in = members.stream().anyMatch(m -> ((JsonObject) m).getInteger("player") == player);
      if (!in) {
        continue;
      }
      if (party.getInteger("owner") != player) {
        return null;
      }
      Map<Integer, List<String>> out = new LinkedHashMap<>();
      out.put(player, DEFAULT_FACTIONS);
      for (Object o : members) {
        JsonObject m = (JsonObject) o;
        out.put(m.getInteger("player"), strings(m.getJsonArray("factions")));
      }
      return out;
    }
    Map<Integer, List<String>> solo = new LinkedHashMap<>();
    JsonArray own = doc.getJsonObject("factions", new JsonObject()).getJsonArray(String.valueOf(player));
    solo.put(player, strings(own));
    return solo;
  }

  private static List<String> strings(JsonArray a) {
    if (a == null || a.isEmpty()) {
      return DEFAULT_FACTIONS;
    }
    List<String> out = new ArrayList<>();
    a.forEach(o -> out.add(String.valueOf(o)));
    return out;
  }

  private Future<Void> requireIdle(List<Integer> ids, List<Future<JsonObject>> infos) {
    List<Future<JsonObject>> states = ids.stream().map(id -> playerGames.read(String.valueOf(id))).toList();
    return Future.all(states).compose(v -> {
      for (int i = 0; i < ids.size(); i++) {
        JsonObject game = states.get(i).result();
        if (game != null && !game.isEmpty()) {
          JsonObject info = infos.get(i).result();
          String login = info == null ? String.valueOf(ids.get(i)) : info.getString("login");
          String state = String.valueOf(game.getValue("state", "PLAYING")).toUpperCase(java.util.Locale.ROOT);
          return Future.failedFuture(new ServiceException(Failures.CONFLICT,
            "Can't join a queue while " + login + " is in state " + state));
        }
      }
      return Future.succeededFuture();
    });
  }

  private Future<Map<Integer, OffsetDateTime>> activeBans(List<Integer> ids) {
    return pool.preparedQuery(BANS).execute(Tuple.tuple().addArrayOfInteger(ids.toArray(new Integer[0]))).map(rows -> {
      Map<Integer, OffsetDateTime> out = new LinkedHashMap<>();
      for (Row r : rows) {
        out.put(r.getInteger("player_id"), r.getOffsetDateTime("banned_until"));
      }
      return out;
    });
  }

  private JsonObject timedOut(String queueName, Map<Integer, OffsetDateTime> bans) {
    JsonArray timeouts = new JsonArray();
    OffsetDateTime latest = null;
    for (Map.Entry<Integer, OffsetDateTime> e : bans.entrySet()) {
      timeouts.add(new JsonObject().put("player", e.getKey()).put("expires_at", iso(e.getValue())));
      latest = latest == null || e.getValue().isAfter(latest) ? e.getValue() : latest;
    }
    String text = "You can't queue: a player of your party has a matchmaker time-out until " + iso(latest)
      + " for failing to connect to a matchmade game.";
    return CommandHandlers.messages(Faf.command("search_timeout").put("timeouts", timeouts),
      searchInfo(queueName, "stop"), Faf.infoNotice(text));
  }

  private static String iso(OffsetDateTime t) {
    return t.atZoneSameInstant(ZoneOffset.UTC).toInstant().toString();
  }

  private JsonObject newSearch(int owner, QueueDef queue, List<Integer> ids, List<Future<JsonObject>> infos,
                               Map<Integer, List<String>> factions) {
    JsonArray players = new JsonArray();
    for (int i = 0; i < ids.size(); i++) {
      JsonObject info = infos.get(i).result();
      double[] rating = rating(info, queue.leaderboard());
      JsonObject p = new JsonObject().put("id", ids.get(i))
        .put("login", info == null ? String.valueOf(ids.get(i)) : info.getString("login"))
        .put("mean", rating[0]).put("dev", rating[1]).put("games", (int) rating[2])
        .put("factions", new JsonArray(new ArrayList<>(factions.get(ids.get(i)))));
      if (info != null && info.getString("clan") != null) {
        p.put("clan", info.getString("clan"));
      }
      players.add(p);
    }
    return new JsonObject().put("id", UUID.randomUUID().toString()).put("owner", owner)
      .put("started", System.currentTimeMillis()).put("failed", 0).put("players", players);
  }

  /**
   * {mean, deviation, games} of a player in a leaderboard. A player without a rating there starts from their
   * global rating with the deviation raised by 150 (at most 250), or as-is if that deviation is above 250.
   */
  static double[] rating(JsonObject info, String leaderboard) {
    JsonObject ratings = info == null ? new JsonObject() : info.getJsonObject("ratings", new JsonObject());
    JsonObject r = ratings.getJsonObject(leaderboard);
    if (r != null) {
      JsonArray pair = r.getJsonArray("rating");
      return new double[] {pair.getDouble(0), pair.getDouble(1), r.getInteger("number_of_games", 0)};
    }
    JsonObject g = ratings.getJsonObject("global");
    if (g == null) {
      return new double[] {Players.DEFAULT_MEAN, Players.DEFAULT_DEVIATION, 0};
    }
    double mean = g.getJsonArray("rating").getDouble(0);
    double dev = g.getJsonArray("rating").getDouble(1);
    return new double[] {mean, dev > 250 ? dev : Math.min(dev + 150, 250), 0};
  }

  // ---- vetoes --------------------------------------------------------------------------------------

  /** Every bracket of every queue, by {@code matchmaker_queue_map_pool.id}. */
  private Map<Integer, QueueDef.MapPool> allPools() {
    Map<Integer, QueueDef.MapPool> out = new HashMap<>();
    queues.values().forEach(q -> q.pools().forEach(p -> out.put(p.id(), p)));
    return out;
  }

  private Future<JsonObject> setVetoes(JsonObject request) {
    int player = request.getInteger("player");
    List<Vetoes.Veto> requested;
    try {
      requested = Vetoes.parse(request.getJsonObject("message", new JsonObject()));
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
    List<Vetoes.Veto> kept = Vetoes.trim(requested, allPools());
    JsonObject doc = new JsonObject().put("vetoes", Vetoes.toJson(kept));
    return vetoes.update(String.valueOf(player), current -> new DocumentStore.Change<>(doc, null)).map(v -> {
      if (Vetoes.same(kept, requested)) {
        return new JsonObject();
      }
      return CommandHandlers.messages(Faf.command("vetoes_info").put("vetoes", Vetoes.toJson(kept)).put("forced", false));
    });
  }

  /** The stored vetoes of each player (players without any are left out). */
  private Future<List<List<Vetoes.Veto>>> vetoesOf(Set<Integer> ids) {
    List<Future<JsonObject>> docs = ids.stream().map(id -> vetoes.read(String.valueOf(id))).toList();
    return Future.all(docs).map(done -> docs.stream().map(f -> Vetoes.fromJson(f.result().getJsonArray("vetoes"))).toList());
  }

  /** How often each map folder was played in the players' last 2 games of {@code queue} within a day. */
  private Future<Map<String, Integer> > recentMaps(QueueDef queue, Set<Integer> ids) {
    return pool.preparedQuery(RECENT_MAPS).execute(Tuple.of(queue.id()).addArrayOfInteger(ids.toArray(new Integer[0])))
      .map(rows -> {
        List<String> files = new ArrayList<>();
        rows.forEach(r -> files.add(r.getString("filename")));
        return Launch.playCounts(files);
      });
  }

  // ---- offline --------------------------------------------------------------------------------------

  private void offline(Object value) {
    Integer player = value instanceof Number n ? Integer.valueOf(n.intValue()) : null;
    if (player == null) {
      return;
    }
    cancelSearches(Set.of(player), null, player);
    vetoes.update(String.valueOf(player), current -> new DocumentStore.Change<>(new JsonObject().put("vetoes", new JsonArray()), null))
      .onFailure(err -> LOG.debug("Vetoes of {} not cleared: {}", player, err.getMessage()));
  }

  /** A party changed: searches made for its old membership are cancelled (every member is told). */
  private void partyChanged(JsonArray ids) {
    Set<Integer> players = new java.util.HashSet<>();
    for (Object o : ids) {
      if (o instanceof Number n) {
        players.add(n.intValue());
      }
    }
    if (!players.isEmpty()) {
      cancelSearches(players, null, -1);
    }
  }

  /**
   * Removes the searches holding any of {@code players} from every queue but {@code except}; their members
   * (other than {@code silent}) get {@code search_info stop}. Completes once every queue is done.
   */
  private Future<Void> cancelSearches(Set<Integer> players, String except, int silent) {
    List<Future<Boolean>> all = new ArrayList<>();
    for (QueueDef q : queues.values()) {
      if (q.name().equals(except)) {
        continue;
      }
      all.add(searches.update(q.name(), doc -> Searches.removePlayers(doc, players)).map(removed -> {
        for (JsonObject s : removed) {
          for (int member : Searches.playerIds(s)) {
            if (member != silent) {
              push(member, searchInfo(q.name(), "stop"));
            }
          }
        }
        return !removed.isEmpty();
      }));
    }
    return Future.join(all).map(done -> {
      if (all.stream().anyMatch(f -> f.succeeded() && f.result())) {
        broadcastInfo();
      }
      all.stream().filter(Future::failed).forEach(f -> LOG.warn("Cancelling searches failed: {}", f.cause().getMessage()));
      return null;
    });
  }

  // ---- pops -----------------------------------------------------------------------------------------

  private void tick() {
    long now = System.currentTimeMillis();
    for (QueueDef q : queues.values()) {
      if (popping.contains(q.name())) {
        continue;
      }
      searches.read(q.name()).onSuccess(doc -> {
        queued(q.name()).set(Searches.playerCount(doc));
        Long next = Searches.nextPop(doc);
        if (next == null) {
          searches.update(q.name(), d -> Searches.ensureTimer(d, now, firstPopMs()))
            .onFailure(err -> LOG.debug("Starting the timer of {} failed: {}", q.name(), err.getMessage()));
        } else if (next <= now && popping.add(q.name())) {
          popLocked(q).onComplete(ar -> {
            popping.remove(q.name());
            if (ar.failed()) {
              LOG.warn("Pop of {} failed", q.name(), ar.cause());
            }
          });
        }
      });
    }
  }

  private Future<Void> popLocked(QueueDef queue) {
    return vertx.sharedData().getLockWithTimeout(LOCK_PREFIX + queue.name(), 10).transform(ar -> {
      if (ar.failed()) {
        return Future.succeededFuture(); // another node is popping this queue
      }
      return pop(queue).onComplete(done -> ar.result().release());
    });
  }

  /** A game proposed by the matcher: search ids, team A first, and how many of them are team A. */
  private record Proposal(List<String> ids, int teamASize) {
  }

  private Future<Void> pop(QueueDef queue) {
    return searches.read(queue.name()).compose(doc -> {
      long now = System.currentTimeMillis();
      Long next = Searches.nextPop(doc);
      if (next == null || next > now) {
        return Future.succeededFuture(); // popped meanwhile by another node
      }
      Map<String, Search> byId = Searches.toSearches(doc, now);
      int players = Searches.playerCount(doc);
      long nextMs = Math.round(Searches.nextPopSeconds(doc, popConfig, queue.teamSize(), players, now) * 1000);
      long started = System.nanoTime();
      return vertx.executeBlocking(() -> propose(queue, byId, players), false).compose(proposals -> {
        if (meters != null) {
          Timer.builder("skirmish.matchmaker.pop").description("Time the matcher took for one pop of a queue")
            .tag("queue", queue.name()).register(meters).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
        List<List<String>> games = proposals.stream().map(Proposal::ids).toList();
        return searches.update(queue.name(), current -> Searches.applyPop(current, games, byId.keySet(), players,
          now, nextMs, popConfig.history())).map(accepted -> {
            accepted.forEach((index, found) -> {
              int a = proposals.get(index).teamASize();
              matched(queue, found.subList(0, a), found.subList(a, found.size()));
            });
            broadcastInfo();
            return null;
          });
      });
    });
  }

  private static List<Proposal> propose(QueueDef queue, Map<String, Search> byId, int players) {
    if (players < 2 * queue.teamSize()) {
      return List.of();
    }
    List<Search> list = new ArrayList<>(byId.values());
    MatchResult result = queue.teamSize() == 1
      ? new OneVsOneMatcher(new TrueSkillQuality()).find(list)
      : new TeamMatcher(queue.teamSize()).find(list);
    Map<Search, String> idOf = new IdentityHashMap<>();
    byId.forEach((id, s) -> idOf.put(s, id));
    List<Proposal> out = new ArrayList<>();
    for (Match m : result.matches()) {
      List<String> ids = new ArrayList<>();
      m.teamA().forEach(s -> ids.add(idOf.get(s)));
      m.teamB().forEach(s -> ids.add(idOf.get(s)));
      out.add(new Proposal(ids, m.teamA().size()));
    }
    return out;
  }

  /** A game was found and its searches removed: tell the players, cancel their other searches, start it. */
  private void matched(QueueDef queue, List<JsonObject> teamA, List<JsonObject> teamB) {
    List<Launch.Player> a = new ArrayList<>();
    List<Launch.Player> b = new ArrayList<>();
    teamA.forEach(s -> a.addAll(Launch.players(s)));
    teamB.forEach(s -> b.addAll(Launch.players(s)));
    List<Launch.Player> all = new ArrayList<>(a);
    all.addAll(b);
    Set<Integer> ids = new HashSet<>();
    all.forEach(p -> ids.add(p.id()));
    if (meters != null) {
      Counter.builder("skirmish.matchmaker.matches").description("Games found by the matchmaker")
        .tag("queue", queue.name()).register(meters).increment();
    }
    recordWaits(queue, teamA, teamB);
    LOG.info("Match in {}: {} vs {}", queue.name(), a.stream().map(Launch.Player::id).toList(),
      b.stream().map(Launch.Player::id).toList());
    if (queue.readyCheck()) {
      readyCheck(queue, teamA, teamB, ids);
      return;
    }
    for (int id : ids) {
      push(id, Faf.command("match_found").put("queue_name", queue.name()));
    }
    cancelSearches(ids, queue.name(), -1).onComplete(done -> launch(queue, a, b, ids));
  }

  /** Records, per search, the time from its start to this match. */
  private void recordWaits(QueueDef queue, List<JsonObject> teamA, List<JsonObject> teamB) {
    if (meters == null) {
      return;
    }
    Timer timer = Timer.builder("skirmish.matchmaker.wait").description("Time from the start of a search to its match")
      .tag("queue", queue.name()).publishPercentiles(0.5, 0.9, 0.99).register(meters);
    long now = System.currentTimeMillis();
    List<JsonObject> all = new ArrayList<>(teamA);
    all.addAll(teamB);
    for (JsonObject s : all) {
      Long started = s.getLong("started");
      if (started != null) {
        timer.record(Math.max(0, now - started), TimeUnit.MILLISECONDS);
      }
    }
  }

  // ---- ready check ----------------------------------------------------------------------------------

  /**
   * A match of a queue with a ready check: its players get {@code match_found} with the time they have to
   * answer {@code match_ready}; the match waits in the cluster-wide ready document until all have (then it
   * launches) or the time is up (then it is cancelled, see {@link #readyExpired}).
   */
  private void readyCheck(QueueDef queue, List<JsonObject> teamA, List<JsonObject> teamB, Set<Integer> ids) {
    int seconds = Math.max(1, config.getInt(Setting.MATCHMAKER_READY_SECONDS));
    String id = UUID.randomUUID().toString();
    JsonObject check = new JsonObject().put("queue", queue.name()).put("players", new JsonArray(new ArrayList<>(ids)))
      .put("accepted", new JsonArray()).put("teamA", new JsonArray(new ArrayList<>(teamA)))
      .put("teamB", new JsonArray(new ArrayList<>(teamB)));
    readyChecks.update(READY_KEY, doc -> {
      JsonObject next = doc.copy();
      next.put(id, check);
      return new DocumentStore.Change<>(next, null);
    }).onSuccess(v -> {
      for (int player : ids) {
        push(player, Faf.command("match_found").put("queue_name", queue.name()).put("ready_check", true)
          .put("expires_in", seconds));
      }
      vertx.setTimer(seconds * 1000L, t -> readyExpired(id));
      cancelSearches(ids, queue.name(), -1);
    }).onFailure(err -> {
      LOG.warn("Ready check of a match in {} not stored: {}", queue.name(), err.getMessage());
      cancelMatch(ids);
    });
  }

  private static boolean holds(JsonArray ids, int player) {
    return ids.stream().anyMatch(o -> o instanceof Number n && n.intValue() == player);
  }

  /** {@code match_ready}: accepts the player's pending match; the last acceptance launches it. A no-op otherwise. */
  private Future<JsonObject> matchReady(JsonObject request) {
    int player = request.getInteger("player");
    return readyChecks.update(READY_KEY, doc -> {
      for (String id : doc.fieldNames()) {
        JsonObject check = doc.getJsonObject(id);
        if (!holds(check.getJsonArray("players"), player) || holds(check.getJsonArray("accepted"), player)) {
          continue;
        }
        JsonObject next = doc.copy();
        JsonObject updated = check.copy();
        updated.getJsonArray("accepted").add(player);
        if (updated.getJsonArray("accepted").size() >= updated.getJsonArray("players").size()) {
          next.remove(id);
          return new DocumentStore.Change<>(next, updated);
        }
        next.put(id, updated);
        return new DocumentStore.Change<JsonObject>(next, null);
      }
      return new DocumentStore.Change<JsonObject>(null, null);
    }).map(complete -> {
      if (complete != null) {
        QueueDef queue = queues.get(complete.getString("queue"));
        List<Launch.Player> a = new ArrayList<>();
        List<Launch.Player> b = new ArrayList<>();
        searchesOf(complete, "teamA").forEach(s -> a.addAll(Launch.players(s)));
        searchesOf(complete, "teamB").forEach(s -> b.addAll(Launch.players(s)));
        Set<Integer> ids = new HashSet<>();
        complete.getJsonArray("players").forEach(o -> ids.add(((Number) o).intValue()));
        if (queue == null) {
          cancelMatch(ids);
        } else {
          launch(queue, a, b, ids);
        }
      }
      return new JsonObject();
    });
  }

  private static List<JsonObject> searchesOf(JsonObject check, String team) {
    List<JsonObject> out = new ArrayList<>();
    check.getJsonArray(team, new JsonArray()).forEach(o -> out.add((JsonObject) o));
    return out;
  }

  /**
   * The time of a ready check is up: if the match still waits, it is cancelled ({@code match_cancelled} to
   * all); each search whose players all accepted goes back into the queue ({@code search_info start}), and
   * every player who did not accept gets a violation.
   */
  private void readyExpired(String id) {
    readyChecks.update(READY_KEY, doc -> {
      if (!doc.containsKey(id)) {
        return new DocumentStore.Change<JsonObject>(null, null);
      }
      JsonObject next = doc.copy();
      JsonObject check = next.getJsonObject(id);
      next.remove(id);
      return new DocumentStore.Change<>(next, check);
    }).onSuccess(check -> {
      if (check == null) {
        return; // everyone accepted in time
      }
      String queueName = check.getString("queue");
      JsonArray accepted = check.getJsonArray("accepted");
      Set<Integer> ids = new HashSet<>();
      check.getJsonArray("players").forEach(o -> ids.add(((Number) o).intValue()));
      cancelMatch(ids);
      LOG.info("Ready check of a match in {} expired: {} of {} accepted", queueName, accepted.size(), ids.size());
      List<JsonObject> all = searchesOf(check, "teamA");
      all.addAll(searchesOf(check, "teamB"));
      for (JsonObject search : all) {
        List<Integer> members = Searches.playerIds(search);
        if (members.stream().allMatch(p -> holds(accepted, p)) && queues.containsKey(queueName)) {
          searches.update(queueName, doc -> Searches.add(doc, search)).onSuccess(replaced -> {
            members.forEach(p -> push(p, searchInfo(queueName, "start")));
            broadcastInfo();
          }).onFailure(err -> LOG.warn("Re-queueing after a ready check failed: {}", err.getMessage()));
        }
      }
      ids.stream().filter(p -> !holds(accepted, p)).forEach(this::recordViolation);
    }).onFailure(err -> LOG.warn("Expiring ready check {} failed: {}", id, err.getMessage()));
  }

  private void launch(QueueDef queue, List<Launch.Player> a, List<Launch.Player> b, Set<Integer> ids) {
    List<Launch.Slot> slots = Launch.slots(a, b, random);
    List<Launch.Player> all = new ArrayList<>(a);
    all.addAll(b);
    Future<List<List<Vetoes.Veto>>> vetoed = vetoesOf(ids).recover(err -> {
      LOG.warn("Vetoes of {} unavailable, choosing without them: {}", ids, err.getMessage());
      return Future.succeededFuture(List.of());
    });
    Future<Map<String, Integer>> played = recentMaps(queue, ids).recover(err -> {
      LOG.warn("Recent games of {} unavailable, choosing without them: {}", ids, err.getMessage());
      return Future.succeededFuture(Map.of());
    });
    Future.all(vetoed, played).onComplete(done -> launch(queue, a, b, ids, slots, all,
      Launch.chooseMap(queue, Launch.meanRating(all), vetoed.result(), played.result(), random)));
  }

  private void launch(QueueDef queue, List<Launch.Player> a, List<Launch.Player> b, Set<Integer> ids,
                      List<Launch.Slot> slots, List<Launch.Player> all, QueueDef.PoolMap map) {
    if (map == null) {
      LOG.warn("No map in the pools of {} for rating {}: match cancelled", queue.name(), Launch.meanRating(all));
      cancelMatch(ids);
      return;
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
    vertx.eventBus().<JsonObject>request(Addresses.GAMES_MATCH, request,
        new DeliveryOptions().setSendTimeout(config.getLong(Setting.REQUEST_TIMEOUT_MS)))
      .onSuccess(reply -> LOG.info("Matchmade game {} of {} started", reply.body().getValue("game"), queue.name()))
      .onFailure(err -> {
        LOG.warn("Matchmade game of {} could not start: {}", queue.name(), err.getMessage());
        cancelMatch(ids);
      });
  }

  private void cancelMatch(Set<Integer> ids) {
    JsonObject cancelled = Faf.command("match_cancelled").putNull("game_id");
    ids.forEach(id -> push(id, cancelled));
  }

  // ---- violations -----------------------------------------------------------------------------------

  private void matchFailed(JsonObject event) {
    Object game = event.getValue("game");
    JsonArray guilty = event.getJsonArray("guilty", new JsonArray());
    if (game == null || guilty.isEmpty()) {
      return;
    }
    // Published to every matchmaker node: only the first to claim the game records its violations.
    vertx.sharedData().<String, String>getAsyncMap(FAILED_GAMES_MAP)
      .compose(m -> m.putIfAbsent(String.valueOf(game), "1", 60 * 60 * 1000L))
      .onSuccess(previous -> {
        if (previous != null) {
          return;
        }
        for (Object o : guilty) {
          if (o instanceof Number n) {
            recordViolation(n.intValue());
          }
        }
      })
      .onFailure(err -> LOG.warn("Match failure of game {} not recorded: {}", game, err.getMessage()));
  }

  private void recordViolation(int player) {
    Instant now = Instant.now();
    pool.withTransaction(conn -> conn.preparedQuery(VIOLATION + " FOR UPDATE").execute(Tuple.of(player)).compose(rows -> {
      Violations.Violation previous = null;
      if (rows.size() > 0) {
        Row r = rows.iterator().next();
        OffsetDateTime until = r.getOffsetDateTime("banned_until");
        previous = new Violations.Violation(r.getInteger("count"), r.getOffsetDateTime("last_time").toInstant(),
          until == null ? null : until.toInstant());
      }
      Violations.Violation next = Violations.next(previous, now);
      return conn.preparedQuery(SAVE_VIOLATION).execute(Tuple.of(player, next.count(),
          now.atOffset(ZoneOffset.UTC), next.bannedUntil() == null ? null : next.bannedUntil().atOffset(ZoneOffset.UTC)))
        .map(done -> next);
    })).onSuccess(v -> {
      push(player, Faf.command("search_violation").put("count", v.count()).put("time", v.last().toString()));
      push(player, Faf.infoNotice(Violations.notice(v)));
    }).onFailure(err -> LOG.warn("Violation of player {} not recorded: {}", player, err.getMessage()));
  }

  // ---- metrics ------------------------------------------------------------------------------------

  /** The players this node last saw in a queue; registered as a gauge on first use. */
  private java.util.concurrent.atomic.AtomicInteger queued(String queue) {
    return queuedPlayers.computeIfAbsent(queue, name -> {
      java.util.concurrent.atomic.AtomicInteger value = new java.util.concurrent.atomic.AtomicInteger();
      if (meters != null) {
        Gauge.builder("skirmish.matchmaker.queue.players", value, java.util.concurrent.atomic.AtomicInteger::get)
          .description("Players searching in a matchmaker queue").tag("queue", name).register(meters);
      }
      return value;
    });
  }

  // ---- delivery -------------------------------------------------------------------------------------

  private void push(int player, JsonObject message) {
    Delivery.toSession(vertx, sessions, String.valueOf(player), message)
      .onFailure(err -> LOG.debug("Matchmaker message to {} not delivered: {}", player, err.getMessage()));
  }
}
