package dev.skirmish.games;

import dev.skirmish.common.Addresses;
import dev.skirmish.common.Bans;
import dev.skirmish.common.CommandHandlers;
import dev.skirmish.common.Delivery;
import dev.skirmish.common.DocumentStore;
import dev.skirmish.common.DocumentStore.Change;
import dev.skirmish.common.Faf;
import dev.skirmish.common.Failures;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.Players;
import dev.skirmish.common.ServiceException;
import dev.skirmish.common.SessionDirectory;
import dev.skirmish.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Counter;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The FAF games service: hosting, joining and restoring games, the GPGNet state machine of each game,
 * {@code game_info} announcements, results and ratings, coop missions.
 *
 * <p>Any games node serves any game: each game is one document in a cluster-wide map changed by
 * compare-and-set ({@link DocumentStore}), the rules are pure functions ({@link GameRules}), and their
 * effects (messages to game connections, player states, launch and end records) are carried out only by
 * the node whose change was stored, so they happen once. Each player's current game and state is a second
 * document ({@code faf.player.games}); a player without one is idle.
 */
public final class GamesVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GamesVerticle.class);

  static final String GAMES_MAP = "faf.games";
  static final String PLAYERS_MAP = "faf.player.games";
  private static final String GAME_IDS = "faf.game.ids";

  private static final String[] COOP_TYPES = {
    "FA Campaign", "Aeon Vanilla Campaign", "Cybran Vanilla Campaign", "UEF Vanilla Campaign", "Custom Missions"};
  private static final String COOP_MAPS = "SELECT id, type, name, description, filename FROM coop_map ORDER BY id";
  private static final String FEATURED_MOD = "SELECT 1 FROM game_featured_mods WHERE gamemod = $1";
  private static final String MAX_GAME_ID = "SELECT COALESCE(MAX(id), 0) AS id FROM game_stats";
  private static final String MOD_NAMES =
    "SELECT v.uid, m.display_name FROM mod_version v JOIN mod m ON m.id = v.mod_id WHERE v.uid = ANY($1)";

  /** GPGNet messages that are accepted and need nothing from the server. */
  private static final Set<String> GPG_NO_OPS = Set.of("TeamkillReport", "LaunchStatus", "Bottleneck",
    "BottleneckCleared", "Disconnected", "Chat", "GameFull", "Rehost", "JsonStats");
  private static final Set<String> HOST_COMMANDS = Set.of("GameOption", "GameMods", "PlayerOption", "AIOption", "ClearSlot");

  private final NodeConfig config;
  private final Pool pool;
  private DocumentStore games;
  private DocumentStore players;
  private SessionDirectory sessions;
  private GameRecords records;
  private Counter ids;
  /** The connected players of a game as this node last read them, for relaying IceMsg without a look-up. */
  private record Members(Set<String> connections, long expires) {
    Members {
      connections = Set.copyOf(connections);
    }
  }

  /**
   * How long a read of a game's players vouches for IceMsg relays between them. A player who leaves the game
   * through another node may still reach its former peers for this long; changes made on this node apply at once.
   */
  private static final long MEMBERS_TTL_MS = 1000;
  private final Map<Long, Members> recentMembers = new HashMap<>();
  /** Games this node changed since the last game_info tick, with the last document it stored. */
  private final Map<Long, JsonObject> changed = new LinkedHashMap<>();
  private long tick = -1;
  /** Launch and end records being written. */
  private final Set<Future<?>> writes = new java.util.HashSet<>();

  public GamesVerticle(NodeConfig config, Pool pool) {
    this.config = config;
    this.pool = pool;
  }

  @Override
  public Future<?> start() {
    games = new DocumentStore(vertx, GAMES_MAP, JsonObject::new, JsonObject::isEmpty);
    players = new DocumentStore(vertx, PLAYERS_MAP, JsonObject::new, JsonObject::isEmpty);
    sessions = new SessionDirectory(vertx, Delivery.FAF_SESSIONS);
    records = new GameRecords(pool);
    CommandHandlers commands = new SocialCommands(vertx, pool).register(CommandHandlers.faf())
      .on("coop_list", this::coopList)
      .on("game_host", this::host)
      .on("game_join", this::join)
      .on("restore_game_session", this::restore);
    CommandHandlers gpg = new CommandHandlers(body -> "gpgnet").on("gpgnet", this::gpgnet);
    var command = vertx.eventBus().<JsonObject>consumer(Addresses.GAMES_COMMAND, msg -> {
      JsonObject message = msg.body().getJsonObject("message", new JsonObject());
      if ("game".equals(message.getValue("target"))) {
        gpg.handle(msg);
      } else {
        commands.handle(msg);
      }
    });
    var visible = vertx.eventBus().<JsonObject>consumer(Addresses.GAMES_VISIBLE,
      msg -> visibleGames().onComplete(ar -> {
        if (ar.succeeded()) {
          msg.reply(new JsonObject().put("games", ar.result()));
        } else {
          LOG.warn("Game list failed", ar.cause());
          msg.fail(Failures.INTERNAL, "game list unavailable");
        }
      }));
    var match = vertx.eventBus().<JsonObject>consumer(Addresses.GAMES_MATCH,
      new CommandHandlers(body -> "match").on("match", this::match)::handle);
    var offline = vertx.eventBus().<JsonObject>consumer(Addresses.FAF_PLAYER_OFFLINE, msg -> {
      Object p = msg.body().getValue("player");
      if (p instanceof Number n) {
        offline(n.intValue(), msg.body().getString("connection"));
      }
    });
    long every = config.getLong(Setting.GAME_INFO_TICK_MS);
    tick = vertx.setPeriodic(every, every, t -> announceChanged());
    return Future.all(List.of(command.completion(), visible.completion(), match.completion(), offline.completion(),
      gameIds()));
  }

  /** The cluster-wide game id counter, moved past every id already in the database. */
  private Future<Void> gameIds() {
    Future<Long> max = pool.query(MAX_GAME_ID).execute().map(rows -> rows.iterator().next().getLong("id"));
    return Future.all(max, vertx.sharedData().getCounter(GAME_IDS)).compose(all -> {
      ids = all.resultAt(1);
      return raise(ids, max.result());
    });
  }

  private static Future<Void> raise(Counter counter, long floor) {
    return counter.get().compose(value -> value >= floor
      ? Future.succeededFuture()
      : counter.compareAndSet(value, floor).compose(ok -> ok ? Future.succeededFuture() : raise(counter, floor)));
  }

  /**
   * Stops after the last game_info tick and once every launch and end record in flight is written (each is
   * one transaction, so a stop never leaves a game half recorded). The games themselves live in the
   * cluster map: other games nodes keep serving them.
   */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(tick);
    announceChanged();
    List<Future<?>> inFlight = new ArrayList<>(writes);
    if (!inFlight.isEmpty()) {
      LOG.info("Games service stopping: waiting for {} game record(s) to be written", inFlight.size());
    }
    return Future.join(inFlight).otherwiseEmpty();
  }

  /** Tracks a database write until it completes, so that {@link #stop()} can wait for it. */
  private <T> Future<T> tracked(Future<T> write) {
    writes.add(write);
    return write.onComplete(ar -> writes.remove(write));
  }

  // ---------------------------------------------------------------------------------------------------
  // Lobby commands

  private Future<JsonObject> host(JsonObject request) {
    int player = request.getInteger("player");
    String login = request.getString("login");
    JsonObject m = request.getJsonObject("message");
    String visibility = stringOr(m, "visibility", null);
    if (!"public".equals(visibility) && !"friends".equals(visibility)) {
      throw bad("game_host needs visibility \"public\" or \"friends\".");
    }
    String title = stringOr(m, "title", login + "'s game");
    if (title.isBlank()) {
      throw bad("The game title must not be empty.");
    }
    if (!title.chars().allMatch(ch -> ch < 128)) {
      throw bad("The game title must contain only ASCII characters.");
    }
    String mod = stringOr(m, "mod", "faf").toLowerCase();
    String mapname = stringOr(m, "mapname", "scmp_007").toLowerCase();
    String password = m.getValue("password") == null ? null : stringOr(m, "password", null);
    Double ratingMin = numberOr(m, "rating_min");
    Double ratingMax = numberOr(m, "rating_max");
    Object enforce = m.getValue("enforce_rating_range");
    if (enforce != null && !(enforce instanceof Boolean)) {
      throw bad("enforce_rating_range must be true or false.");
    }
    String gameType = "coop".equals(mod) ? "coop" : "custom";
    return notBanned(player)
      .compose(v -> pool.preparedQuery(FEATURED_MOD).execute(Tuple.of(mod)))
      .compose(rows -> rows.size() == 0
        ? Future.failedFuture(bad("Unknown featured mod: " + mod))
        : claimIdle(player, request.getString("connection"), "host a game", null))
      .compose(v -> Future.all(ids.incrementAndGet(), social(player)).recover(err -> release(player, null)
        .compose(x -> Future.failedFuture(err))))
      .compose(all -> {
        long id = all.<Long>resultAt(0);
        JsonObject social = all.resultAt(1);
        JsonObject game = new JsonObject()
          .put("id", id).put("state", GameRules.INITIALIZING).put("gameType", gameType)
          .put("host", player).put("hostLogin", login).put("title", title.length() > 128 ? title.substring(0, 128) : title)
          .put("featuredMod", mod).put("mapname", mapname).put("visibility", visibility).put("password", password)
          .put("ratingType", "global").put("ratingMin", ratingMin).put("ratingMax", ratingMax)
          .put("enforceRatingRange", Boolean.TRUE.equals(enforce)).put("maxPlayers", 12)
          .put("options", GameRules.defaultOptions(gameType)).put("simMods", new JsonObject())
          .put("playerOptions", new JsonObject()).put("aiOptions", new JsonObject()).put("connections", new JsonObject())
          .put("hostedAt", null).put("launchedAt", null).put("players", new JsonArray()).put("results", new JsonArray())
          .put("finished", new JsonArray()).put("desyncs", 0).put("enforceRating", false).put("validity", 0)
          .put("hostFriends", social.getJsonArray("friends")).put("hostFoes", social.getJsonArray("foes"));
        return games.update(key(id), current -> new Change<>(current.isEmpty() ? game : null, current.isEmpty()))
          .compose(created -> created
            ? players.update(key(player), doc -> new Change<>(doc.copy().put("game", id), null)).map(x -> game)
            : Future.failedFuture(new IllegalStateException("game id " + id + " taken")));
      })
      .compose(game -> {
        long id = game.getLong("id");
        LOG.info("Player {} ({}) hosts game {} ({}, {})", player, login, id, mod, mapname);
        setupTimeout(id, player, gameType);
        return launchMessage(game, player).map(CommandHandlers::messages);
      });
  }

  private Future<JsonObject> join(JsonObject request) {
    int player = request.getInteger("player");
    String login = request.getString("login");
    JsonObject m = request.getJsonObject("message");
    Object uid = m.getValue("uid");
    if (!(uid instanceof Number n) || n.doubleValue() != n.longValue()) {
      throw bad("game_join needs the uid of a game.");
    }
    long id = n.longValue();
    Object given = m.getValue("password");
    return notBanned(player).compose(v -> games.read(key(id))).compose(game -> {
      if (game.isEmpty()) {
        return info("The host has left the game.");
      }
      if (!GameRules.LOBBY.equals(game.getString("state"))) {
        return info("The game you are trying to join is not ready.");
      }
      if ("matchmaker".equals(game.getString("gameType"))) {
        return Future.failedFuture(bad("You can't join a matchmaker game."));
      }
      if (game.getJsonArray("hostFoes", new JsonArray()).contains(player)) {
        return Future.failedFuture(bad("You cannot join games hosted by this player."));
      }
      String password = game.getString("password");
      if (password != null && !password.isEmpty() && !password.equals(given == null ? null : String.valueOf(given))) {
        return info("Bad password (it's case sensitive).");
      }
      return claimIdle(player, request.getString("connection"), "join a game", null)
        .compose(v -> players.update(key(player), doc -> new Change<>(doc.copy().put("game", id), null)))
        .compose(v -> {
          LOG.info("Player {} ({}) joins game {}", player, login, id);
          setupTimeout(id, player, game.getString("gameType"));
          return launchMessage(game, player).map(CommandHandlers::messages);
        });
    });
  }

  private Future<JsonObject> restore(JsonObject request) {
    int player = request.getInteger("player");
    String login = request.getString("login");
    Object gameId = request.getJsonObject("message").getValue("game_id");
    if (!(gameId instanceof Number n)) {
      throw bad("restore_game_session needs a game_id.");
    }
    long id = n.longValue();
    return claimIdle(player, request.getString("connection"), "reconnect to a game", id).compose(v -> games.update(key(id), doc -> GameRules.restore(doc, player, login, request.getString("connection"))))
      .compose(fx -> {
        if (!fx.changed) {
          return release(player, null).compose(x -> info("The game you were connected to is no longer available."));
        }
        return players.update(key(player), doc -> new Change<>(doc.copy().put("game", id), null))
          .compose(x -> carryOut(id, fx, player));
      });
  }

  // ---------------------------------------------------------------------------------------------------
  // Matchmade games

  /** {@link Addresses#GAMES_MATCH}: creates a matchmade game; the host gets game_launch at once. */
  private Future<JsonObject> match(JsonObject request) {
    JsonArray list = request.getJsonArray("players", new JsonArray());
    if (list.isEmpty() || request.getString("mapname") == null || request.getString("featuredMod") == null) {
      return Future.failedFuture(bad("A match needs players, a map and a featured mod."));
    }
    List<JsonObject> expected = new ArrayList<>();
    for (Object o : list) {
      expected.add((JsonObject) o);
    }
    return claimAll(expected, 0, new ArrayList<>()).compose(v -> ids.incrementAndGet()).compose(id -> {
      JsonObject host = expected.get(0);
      JsonObject playerOptions = new JsonObject();
      JsonArray slots = new JsonArray();
      for (JsonObject p : expected) {
        int spot = p.getInteger("startSpot");
        playerOptions.put(key(p.getInteger("id")), new JsonObject().put("Team", p.getInteger("team")).put("Army", spot)
          .put("StartSpot", spot).put("Faction", p.getInteger("faction")).put("Color", spot));
        slots.add(p.copy());
      }
      JsonObject options = GameRules.defaultOptions("matchmaker").mergeIn(request.getJsonObject("gameOptions", new JsonObject()));
      JsonObject game = new JsonObject()
        .put("id", id).put("state", GameRules.INITIALIZING).put("gameType", "matchmaker")
        .put("host", host.getInteger("id")).put("hostLogin", host.getString("login"))
        .put("title", request.getString("title", host.getString("login") + "'s match"))
        .put("featuredMod", request.getString("featuredMod")).put("mapname", request.getString("mapname").toLowerCase())
        .put("visibility", "public").put("password", null).put("ratingType", request.getString("ratingType", "global"))
        .put("ratingMin", null).put("ratingMax", null).put("enforceRatingRange", false).put("maxPlayers", expected.size())
        .put("options", options).put("simMods", new JsonObject()).put("playerOptions", playerOptions)
        .put("aiOptions", new JsonObject()).put("connections", new JsonObject()).put("hostedAt", null).put("launchedAt", null)
        .put("players", new JsonArray()).put("results", new JsonArray()).put("finished", new JsonArray()).put("desyncs", 0)
        .put("enforceRating", false).put("validity", 0).put("hostFriends", new JsonArray()).put("hostFoes", new JsonArray())
        .put("queue", request.getString("queue")).put("queueId", request.getInteger("queueId")).put("expected", slots);
      return games.update(key(id), current -> new Change<>(current.isEmpty() ? game : null, current.isEmpty()))
        .compose(created -> setGame(expected, id))
        .compose(v -> launchMessage(game, host.getInteger("id")))
        .map(launch -> {
          int hostId = host.getInteger("id");
          LOG.info("Matchmade game {} ({}) on {} for {}", id, request.getString("queue"), game.getString("mapname"),
            GameRules.expected(game));
          Delivery.toSession(vertx, sessions, key(hostId), launch);
          vertx.setTimer(config.getLong(Setting.MATCH_HOST_TIMEOUT_SECONDS) * 1000, t -> cancelUnless(id,
            g -> g.getString("hostedAt") != null, g -> List.of(hostId)));
          return new JsonObject().put("game", id);
        });
    });
  }

  /** Claims every matched player in turn; on a busy player, those claimed so far are released. */
  private Future<Void> claimAll(List<JsonObject> expected, int i, List<Integer> claimed) {
    if (i == expected.size()) {
      return Future.succeededFuture();
    }
    int player = expected.get(i).getInteger("id");
    return sessions.get(key(player))
      .compose(entry -> claimIdle(player, entry == null ? null : entry.connection(), "start a matchmade game", null))
      .compose(v -> {
        claimed.add(player);
        return claimAll(expected, i + 1, claimed);
      }, err -> Future.all(claimed.stream().map(p -> release(p, null)).toList())
        .transform(x -> Future.<Void>failedFuture(err)));
  }

  private Future<Void> setGame(List<JsonObject> expected, long id) {
    return Future.all(expected.stream().map(p -> players.update(key(p.getInteger("id")),
      doc -> new Change<Void>(doc.copy().put("game", id), null))).toList()).mapEmpty();
  }

  /** The host's lobby is open: every guest launches their game; the whole match must launch in time. */
  private void matchHosted(long id, JsonObject game) {
    List<Integer> guests = GameRules.expected(game);
    guests.remove(game.getInteger("host"));
    for (int guest : guests) {
      launchMessage(game, guest).onSuccess(launch -> Delivery.toSession(vertx, sessions, key(guest), launch));
    }
    long timeout = config.getLong(Setting.MATCH_LAUNCH_TIMEOUT_SECONDS) * 1000 + 10_000L * guests.size();
    vertx.setTimer(timeout, t -> cancelUnless(id, g -> GameRules.LIVE.equals(g.getString("state")), g -> {
      JsonObject conns = g.getJsonObject("connections", new JsonObject());
      return GameRules.expected(g).stream()
        .filter(p -> !GameRules.CONN_CONNECTED.equals(conns.getJsonObject(key(p), new JsonObject()).getString("state")))
        .toList();
    }));
  }

  /** Cancels a matchmade game that has not reached {@code done}, blaming {@code guilty}. */
  private void cancelUnless(long id, java.util.function.Predicate<JsonObject> done, Function<JsonObject, List<Integer>> guilty) {
    games.update(key(id), g -> g.isEmpty() || done.test(g)
        ? new Change<>(null, new GameRules.Effects())
        : GameRules.cancel(g.copy(), new GameRules.Effects(), guilty.apply(g)))
      .compose(fx -> carryOut(id, fx, -1))
      .onFailure(err -> LOG.warn("Time-out of matchmade game {} failed", id, err));
  }

  // ---------------------------------------------------------------------------------------------------
  // GPGNet

  private Future<JsonObject> gpgnet(JsonObject request) {
    int player = request.getInteger("player");
    String login = request.getString("login");
    JsonObject m = request.getJsonObject("message");
    String command = m.getString("command");
    JsonArray args = m.getValue("args") instanceof JsonArray a ? a : new JsonArray();
    if (GPG_NO_OPS.contains(command)) {
      return Future.succeededFuture(new JsonObject());
    }
    if ("IceMsg".equals(command) && request.getValue("game") instanceof Number hint
      && args.getValue(0) instanceof Number receiver && members(hint.longValue(), player, receiver.intValue())) {
      // The busiest GPGNet message: relayed without a look-up while this node recently saw both players in the game.
      return relayIce(player, receiver.intValue(), args);
    }
    return players.read(key(player)).compose(doc -> {
      Long id = doc.getLong("game");
      if (id == null) {
        LOG.debug("GPGNet {} from player {} outside a game: ignored", command, player);
        return Future.succeededFuture(new JsonObject());
      }
      return switch (command) {
        case "GameState" -> args.getValue(0) instanceof String state
          ? change(id, player, g -> GameRules.gameState(g, player, login, request.getString("connection"), state))
          : ignored(command, player);
        case "GameResult" -> change(id, player, g -> GameRules.gameResult(g, player, args));
        case "GameEnded" -> change(id, player, g -> GameRules.gameEnded(g, player));
        case "Desync", "EnforceRating" -> change(id, player, g -> GameRules.flag(g, command));
        case "IceMsg" -> iceMessage(id, player, args);
        case "TeamkillHappened" -> afterLaunchRecord(id, g -> records.teamkill(id, args));
        case "OperationComplete" -> afterLaunchRecord(id, g -> records.coopCompleted(g, args));
        default -> HOST_COMMANDS.contains(command)
          ? modNames(command, args).compose(names -> change(id, player, g -> GameRules.hostCommand(g, player, command, args, names)))
          : ignored(command, player);
      };
    });
  }

  /**
   * Runs a write that refers to the game's {@code game_stats} row once that row exists: recording the launch
   * again is a no-op when it is written, and waits for a launch record still in flight.
   */
  private Future<JsonObject> afterLaunchRecord(long id, Function<JsonObject, Future<Void>> write) {
    return games.read(key(id)).compose(g -> {
      if (g.isEmpty() || g.getValue("launchedAt") == null) {
        return Future.succeededFuture();
      }
      return tracked(records.launched(g).transform(ar -> write.apply(g)));
    }).map(v -> new JsonObject());
  }

  private Future<JsonObject> ignored(String command, int player) {
    LOG.debug("GPGNet {} from player {} ignored", command, player);
    return Future.succeededFuture(new JsonObject());
  }

  /** {@code IceMsg [receiverId, msg]}: relayed to the receiver's game when both are in the same game. */
  private Future<JsonObject> iceMessage(long id, int sender, JsonArray args) {
    if (args.size() < 2 || !(args.getValue(0) instanceof Number receiver)) {
      return ignored("IceMsg", sender);
    }
    return games.read(key(id)).compose(game -> {
      JsonObject conns = game.getJsonObject("connections", new JsonObject());
      if (!conns.containsKey(key(receiver.intValue())) || !conns.containsKey(key(sender))) {
        return ignored("IceMsg", sender);
      }
      recentMembers.put(id, new Members(conns.fieldNames(), System.currentTimeMillis() + MEMBERS_TTL_MS));
      return relayIce(sender, receiver.intValue(), args);
    });
  }

  private Future<JsonObject> relayIce(int sender, int receiver, JsonArray args) {
    if (args.size() < 2) {
      return ignored("IceMsg", sender);
    }
    Delivery.toSession(vertx, sessions, key(receiver), GameRules.gpg("IceMsg", sender, args.getValue(1)));
    return Future.succeededFuture(new JsonObject());
  }

  /** Whether this node saw both players connected to game {@code id} within the last {@link #MEMBERS_TTL_MS}. */
  private boolean members(long id, int sender, int receiver) {
    Members m = recentMembers.get(id);
    if (m == null || m.expires() < System.currentTimeMillis()) {
      recentMembers.remove(id);
      return false;
    }
    return m.connections().contains(key(sender)) && m.connections().contains(key(receiver));
  }

  private Future<Map<String, String>> modNames(String command, JsonArray args) {
    if (!"GameMods".equals(command) || args.size() < 2 || !"uids".equals(args.getValue(0))) {
      return Future.succeededFuture(Map.of());
    }
    String[] uids = String.valueOf(args.getValue(1)).trim().split("\\s+");
    return pool.preparedQuery(MOD_NAMES).execute(Tuple.of((Object) uids)).map(rows -> {
      Map<String, String> names = new HashMap<>();
      for (Row r : rows) {
        names.put(r.getString("uid"), r.getString("display_name"));
      }
      return names;
    });
  }

  /** Applies a rule to a game and carries out its effects; the caller's own messages come back in the reply. */
  private Future<JsonObject> change(long id, int caller, Function<JsonObject, Change<GameRules.Effects>> rule) {
    return games.update(key(id), rule).compose(fx -> carryOut(id, fx, caller));
  }

  private Future<JsonObject> carryOut(long id, GameRules.Effects fx, int caller) {
    JsonArray own = new JsonArray();
    for (GameRules.Push push : fx.pushes) {
      if (push.player() == caller) {
        own.add(push.message());
      } else {
        Delivery.toSession(vertx, sessions, key(push.player()), push.message())
          .onFailure(err -> LOG.debug("Game message to {} not delivered: {}", push.player(), err.getMessage()));
      }
    }
    if (fx.changed && fx.game != null) {
      changed.put(id, fx.game);
    }
    if (fx.game != null) {
      recentMembers.remove(id);
    }
    Future<Void> states = setStates(id, fx.states);
    if (fx.launched) {
      launched(id, fx.game);
    }
    if (fx.matchHosted) {
      matchHosted(id, fx.game);
    }
    if (fx.cancelled) {
      LOG.info("Matchmade game {} cancelled; blamed: {}", id, fx.guilty);
      vertx.eventBus().publish(Addresses.MATCH_FAILED, new JsonObject().put("game", id)
        .put("queue", fx.game.getString("queue")).put("players", new JsonArray(GameRules.expected(fx.game)))
        .put("guilty", new JsonArray(fx.guilty)));
    }
    if (fx.ended) {
      ended(fx.game);
    }
    return states.map(v -> new JsonObject().put("messages", own));
  }

  /** Records a launched game and stores its validity in the document. */
  private void launched(long id, JsonObject game) {
    LOG.info("Game {} launched with {} players", id, game.getJsonArray("players").size());
    tracked(records.launched(game))
      .compose(validity -> games.update(key(id), doc -> new Change<>(doc.isEmpty() ? null : doc.copy().put("validity", validity), validity)))
      .onFailure(err -> LOG.error("Could not record the launch of game {}", id, err));
  }

  /** Records the end of a game: results, validity, ratings; rated players get their new player_info. */
  private void ended(JsonObject game) {
    long id = game.getLong("id");
    LOG.info("Game {} ended", id);
    // A game can end before its launch record is written (a short game, or a launch recorded by another
    // node): recording the launch again is a no-op once it exists, and waits for a concurrent one.
    Future<Integer> launch = game.getValue("launchedAt") == null ? Future.succeededFuture(0) : records.launched(game);
    tracked(launch.transform(ar -> records.ended(game)))
      .onSuccess(result -> {
        for (int player : result.ratedPlayers()) {
          Players.refresh(vertx, pool, player);
        }
      })
      .onFailure(err -> LOG.error("Could not record the end of game {}", id, err));
  }

  /** Stores player states after a game change; IDLE removes the player's document if it still names this game. */
  private Future<Void> setStates(long id, Map<Integer, String> states) {
    List<Future<Void>> all = new ArrayList<>();
    states.forEach((player, state) -> all.add(players.update(key(player), doc -> {
      if (GameRules.IDLE.equals(state)) {
        return new Change<Void>(Long.valueOf(id).equals(doc.getLong("game")) ? new JsonObject() : null, null);
      }
      return new Change<Void>(doc.copy().put("game", id).put("state", state), null);
    })));
    return Future.all(all).mapEmpty();
  }

  /**
   * A player's lobby connection went away: they leave their game (a live game keeps them as a participant,
   * so they can restore it). A game that a newer connection of the player has restored is left alone.
   */
  private void offline(int player, String connection) {
    players.read(key(player)).compose(doc -> {
      Long id = doc.getLong("game");
      if (id == null || (connection != null && doc.getString("connection") != null
        && !connection.equals(doc.getString("connection")))) {
        return Future.succeededFuture();
      }
      return change(id, player, g -> GameRules.leave(g, player, connection)).compose(v -> release(player, id, connection));
    }).onFailure(err -> LOG.warn("Game clean-up of offline player {} failed", player, err));
  }

  /** A host whose game is still initialising, or a joiner whose game never said Idle, after the set-up time-out. */
  private void setupTimeout(long id, int player, String gameType) {
    Setting setting = "custom".equals(gameType) ? Setting.GAME_SETUP_TIMEOUT_SECONDS : Setting.COOP_SETUP_TIMEOUT_SECONDS;
    vertx.setTimer(config.getLong(setting) * 1000, t -> players.read(key(player)).compose(doc -> {
      if (!Long.valueOf(id).equals(doc.getLong("game")) || doc.containsKey("state")) {
        return Future.succeededFuture();
      }
      LOG.info("Player {} did not start game {} in time", player, id);
      return games.update(key(id), g -> !g.isEmpty() && GameRules.INITIALIZING.equals(g.getString("state"))
          ? GameRules.end(g.copy(), new GameRules.Effects())
          : new Change<>(null, new GameRules.Effects()))
        .compose(fx -> carryOut(id, fx, -1))
        .compose(v -> release(player, id));
    }).onFailure(err -> LOG.warn("Set-up time-out of game {} failed", id, err)));
  }

  // ---------------------------------------------------------------------------------------------------
  // Player states

  /**
   * Marks an idle player as starting a game from {@code connection}; fails with the protocol's "Can't ...
   * while in state ..." when they are busy. A state left behind by a game that no longer exists does not
   * count, nor (when restoring) one that names the game being restored.
   */
  private Future<Void> claimIdle(int player, String connection, String action, Long ownGame) {
    return players.read(key(player)).compose(doc -> {
      Long stale = doc.getLong("game");
      Future<Boolean> gone = stale == null ? Future.succeededFuture(false) : games.read(key(stale)).map(JsonObject::isEmpty);
      return gone.compose(isGone -> players.update(key(player), current -> {
        Long in = current.getLong("game");
        boolean idle = current.isEmpty() || (isGone && stale.equals(in)) || (ownGame != null && ownGame.equals(in))
          || neverStarted(current);
        if (!idle) {
          return new Change<>(null, current.getString("state", GameRules.STARTING_GAME));
        }
        JsonObject claimed = new JsonObject().put("connection", connection).put("since", System.currentTimeMillis());
        if (ownGame != null) {
          claimed.put("game", ownGame);
        }
        return new Change<String>(claimed, null);
      }));
    }).compose(busy -> busy == null
      ? Future.succeededFuture()
      : Future.failedFuture(new ServiceException(Failures.CONFLICT, "Can't " + action + " while in state " + busy + ".")));
  }

  /**
   * A player who started a game whose FA never reported {@code Idle}, longer ago than any set-up time-out:
   * normally the set-up timer frees them, but that timer lives on the node that started the game, so a
   * node that died leaves them behind. Such a player counts as idle.
   */
  private boolean neverStarted(JsonObject doc) {
    long limit = 1000 * Math.max(config.getLong(Setting.GAME_SETUP_TIMEOUT_SECONDS),
      Math.max(config.getLong(Setting.COOP_SETUP_TIMEOUT_SECONDS),
        config.getLong(Setting.MATCH_HOST_TIMEOUT_SECONDS) + config.getLong(Setting.MATCH_LAUNCH_TIMEOUT_SECONDS) + 160));
    return !doc.containsKey("state") && System.currentTimeMillis() - doc.getLong("since", 0L) > limit + 5000;
  }

  /** Makes a player idle again (only if their document still names {@code id}, or any game when null). */
  private Future<Void> release(int player, Long id) {
    return release(player, id, null);
  }

  /** As {@link #release(int, Long)}, and with a {@code connection} only if the game was started or restored through it. */
  private Future<Void> release(int player, Long id, String connection) {
    return players.update(key(player), doc -> {
      boolean ours = connection == null || doc.getString("connection") == null || connection.equals(doc.getString("connection"));
      return new Change<Void>((id == null || id.equals(doc.getLong("game"))) && ours ? new JsonObject() : null, null);
    });
  }

  private Future<Void> notBanned(int player) {
    return Bans.active(pool, player).compose(ban -> ban == null
      ? Future.succeededFuture()
      : Future.failedFuture(bad(ban.text())));
  }

  private Future<JsonObject> social(int player) {
    return Players.relations(pool, player).map(r -> new JsonObject()
      .put("friends", new JsonArray(r.friends())).put("foes", new JsonArray(r.foes())));
  }


  /** {@code game_launch} for a player starting {@code game}; {@code /numgames} from their games on its leaderboard. */
  private Future<JsonObject> launchMessage(JsonObject game, int player) {
    String ratingType = game.getString("ratingType");
    return Players.info(pool, player).map(info -> {
      JsonObject rating = info == null ? null : info.getJsonObject("ratings", new JsonObject()).getJsonObject(ratingType);
      int numGames = rating == null ? 0 : rating.getInteger("number_of_games", 0);
      JsonObject launch = Faf.command("game_launch");
      if (GameRules.isMatch(game)) {
        for (Object o : game.getJsonArray("expected", new JsonArray())) {
          JsonObject slot = (JsonObject) o;
          if (slot.getInteger("id") == player) {
            launch.put("mapname", game.getString("mapname"))
              .put("expected_players", game.getJsonArray("expected").size())
              .put("team", slot.getInteger("team")).put("faction", slot.getInteger("faction"))
              .put("map_position", slot.getInteger("startSpot"))
              .put("game_options", game.getJsonObject("options").copy());
          }
        }
      }
      return launch
        .put("uid", game.getLong("id"))
        .put("mod", game.getString("featuredMod"))
        .put("name", game.getString("title"))
        .put("args", new JsonArray().add("/numgames").add(numGames))
        .put("init_mode", "matchmaker".equals(game.getString("gameType")) ? 1 : 0)
        .put("game_type", game.getString("gameType"))
        .put("rating_type", ratingType);
    });
  }

  // ---------------------------------------------------------------------------------------------------
  // game_info

  /** One publish per tick with every game this node changed since the last one. */
  private void announceChanged() {
    if (changed.isEmpty()) {
      return;
    }
    Map<Long, JsonObject> batch = new LinkedHashMap<>(changed);
    changed.clear();
    List<Future<JsonObject>> reads = new ArrayList<>();
    batch.forEach((id, last) -> reads.add(games.read(key(id)).map(current -> current.isEmpty() ? last : current)
      .otherwise(last)));
    Future.all(reads).onSuccess(all -> {
      JsonArray list = new JsonArray();
      for (Future<JsonObject> f : reads) {
        list.add(GameInfo.announcement(f.result()));
      }
      vertx.eventBus().publish(Addresses.FAF_GAME_INFO, new JsonObject().put("games", list));
    });
  }

  /** Every open or live game with its audience (the gateway filters per player). */
  private Future<JsonArray> visibleGames() {
    return games.entries().map(all -> {
      JsonArray list = new JsonArray();
      all.values().stream()
        .filter(g -> GameRules.LOBBY.equals(g.getString("state")) || GameRules.LIVE.equals(g.getString("state")))
        .sorted((a, b) -> Long.compare(a.getLong("id"), b.getLong("id")))
        .forEach(g -> list.add(GameInfo.announcement(g)));
      return list;
    });
  }

  private Future<JsonObject> coopList(JsonObject request) {
    return pool.query(COOP_MAPS).execute().map(rows -> {
      JsonArray messages = new JsonArray();
      for (Row r : rows) {
        int type = r.getInteger("type");
        if (type < 0 || type >= COOP_TYPES.length) {
          continue;
        }
        messages.add(Faf.command("coop_info")
          .put("uid", r.getInteger("id"))
          .put("type", COOP_TYPES[type])
          .put("name", r.getString("name"))
          .put("description", r.getString("description"))
          .put("filename", r.getString("filename"))
          .put("featured_mod", "coop"));
      }
      return new JsonObject().put("messages", messages);
    });
  }

  // ---------------------------------------------------------------------------------------------------

  private static String key(long id) {
    return String.valueOf(id);
  }

  private static ServiceException bad(String text) {
    return new ServiceException(Failures.BAD_REQUEST, text);
  }

  private static Future<JsonObject> info(String text) {
    return Future.succeededFuture(CommandHandlers.messages(Faf.infoNotice(text)));
  }

  private static String stringOr(JsonObject m, String field, String fallback) {
    Object v = m.getValue(field);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof String s)) {
      throw bad("'" + field + "' must be a string.");
    }
    return s;
  }

  private static Double numberOr(JsonObject m, String field) {
    Object v = m.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n)) {
      throw bad("'" + field + "' must be a number.");
    }
    return n.doubleValue();
  }
}
