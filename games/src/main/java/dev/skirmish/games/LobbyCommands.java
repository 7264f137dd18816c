package dev.skirmish.games;

import dev.skirmish.common.Bans;
import dev.skirmish.common.CommandHandlers;
import dev.skirmish.common.DocumentStore.Change;
import dev.skirmish.common.Faf;
import dev.skirmish.common.Players;
import dev.skirmish.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static dev.skirmish.games.GamesContext.key;
import static dev.skirmish.games.Replies.bad;
import static dev.skirmish.games.Replies.info;

/**
 * The lobby commands of custom and coop games ({@code game_host}, {@code game_join},
 * {@code restore_game_session}, {@code coop_list}), the set-up deadlines of a started game ({@link DeadlineRules}),
 * and a lobby connection going away.
 */
final class LobbyCommands {

  private static final Logger LOG = LoggerFactory.getLogger(LobbyCommands.class);

  private static final String[] COOP_TYPES = {
    "FA Campaign", "Aeon Vanilla Campaign", "Cybran Vanilla Campaign", "UEF Vanilla Campaign", "Custom Missions"};
  private static final String COOP_MAPS = "SELECT id, type, name, description, filename FROM coop_map ORDER BY id";
  private static final String FEATURED_MOD = "SELECT 1 FROM game_featured_mods WHERE gamemod = $1";

  private final GamesContext ctx;
  private final PlayerStates states;
  private final GameChanges changes;
  private final DeadlineSweep deadlines;
  private final GameLimits limits;

  LobbyCommands(GamesContext ctx, PlayerStates states, GameChanges changes, DeadlineSweep deadlines) {
    this.ctx = ctx;
    this.states = states;
    this.changes = changes;
    this.deadlines = deadlines;
    this.limits = GameLimits.of(ctx.config);
  }

  /** Adds the handlers of game_host, game_join, restore_game_session and coop_list; returns {@code handlers}. */
  CommandHandlers register(CommandHandlers handlers) {
    return handlers
      .on("coop_list", this::coopList)
      .on("game_host", this::host)
      .on("game_join", this::join)
      .on("restore_game_session", this::restore);
  }

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
    String tooLong = limits.host(title, mapname, password);
    if (tooLong != null) {
      throw bad(tooLong);
    }
    String gameType = "coop".equals(mod) ? "coop" : "custom";
    return notBanned(player)
      .compose(v -> ctx.pool.preparedQuery(FEATURED_MOD).execute(Tuple.of(mod)))
      .compose(rows -> rows.size() == 0
        ? Future.failedFuture(bad("Unknown featured mod: " + mod))
        : states.claimIdle(player, request.getString("connection"), "host a game", null))
      .compose(v -> hostingRoom(player).compose(x -> Future.all(ctx.nextId(), social(player)))
        .recover(err -> states.release(player, null).compose(x -> Future.failedFuture(err))))
      .compose(all -> {
        long id = all.<Long>resultAt(0);
        JsonObject social = all.resultAt(1);
        long hostDeadline = setupDeadline(gameType);
        JsonObject game = new JsonObject()
          .put("id", id).put("state", GameRules.INITIALIZING).put("gameType", gameType)
          .put("createdAt", System.currentTimeMillis()).put(DeadlineRules.HOST_DEADLINE, hostDeadline)
          .put("host", player).put("hostLogin", login).put("title", title)
          .put("featuredMod", mod).put("mapname", mapname).put("visibility", visibility).put("password", password)
          .put("ratingType", "global").put("ratingMin", ratingMin).put("ratingMax", ratingMax)
          .put("enforceRatingRange", Boolean.TRUE.equals(enforce)).put("maxPlayers", 12)
          .put("options", GameRules.defaultOptions(gameType)).put("simMods", new JsonObject())
          .put("playerOptions", new JsonObject()).put("aiOptions", new JsonObject()).put("connections", new JsonObject())
          .put("hostedAt", null).put("launchedAt", null).put("players", new JsonArray()).put("results", new JsonArray())
          .put("finished", new JsonArray()).put("desyncs", 0).put("enforceRating", false).put("validity", 0)
          .put("hostFriends", social.getJsonArray("friends")).put("hostFoes", social.getJsonArray("foes"));
        // Due before the game exists, so that no node can lose it.
        return deadlines.deadline(id, hostDeadline)
          .compose(v -> ctx.games.update(key(id), current -> new Change<>(current.isEmpty() ? game : null, current.isEmpty())))
          .compose(created -> created
            ? states.enter(player, id).map(x -> game)
            : Future.failedFuture(new IllegalStateException("game id " + id + " taken")));
      })
      .compose(game -> {
        long id = game.getLong("id");
        LOG.info("Player {} ({}) hosts game {} ({}, {})", player, login, id, mod, mapname);
        return GameLaunch.message(ctx.pool, game, player).map(CommandHandlers::messages);
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
    return notBanned(player).compose(v -> ctx.games.read(key(id))).compose(game -> refusal(game, player, given)
      .compose(refused -> refused != null
        ? refuse(refused)
        : states.claimIdle(player, request.getString("connection"), "join a game", null)
          .compose(v -> states.enter(player, id))
          .compose(v -> joinDeadline(id, player, game.getString("gameType")))
          .compose(v -> {
            LOG.info("Player {} ({}) joins game {}", player, login, id);
            return GameLaunch.message(ctx.pool, game, player).map(CommandHandlers::messages);
          })));
  }

  /**
   * Re-attaches a player to a lobby or live game. A player who was never in the game is taken into a lobby
   * only if they could join it by {@code game_join} (without a password); everyone else is told they are not
   * part of the game and stays as they were.
   */
  private Future<JsonObject> restore(JsonObject request) {
    int player = request.getInteger("player");
    String login = request.getString("login");
    Object gameId = request.getJsonObject("message").getValue("game_id");
    if (!(gameId instanceof Number n)) {
      throw bad("restore_game_session needs a game_id.");
    }
    long id = n.longValue();
    String connection = request.getString("connection");
    return ctx.games.read(key(id)).compose(game -> {
      String state = game.getString("state");
      if (!GameRules.LOBBY.equals(state) && !GameRules.LIVE.equals(state)) {
        return info("The game you were connected to is no longer available.");
      }
      Future<Boolean> mayJoin = EntryRules.wasIn(game, player) || GameRules.LIVE.equals(state)
        ? Future.succeededFuture(false)
        : refusal(game, player, null).map(refused -> refused == null);
      return mayJoin.compose(admitted -> {
        if (!admitted && !EntryRules.wasIn(game, player)) {
          LOG.info("Player {} ({}) may not restore game {}", player, login, id);
          return info(EntryRules.NOT_PART);
        }
        return states.claimIdle(player, connection, "reconnect to a game", id)
          .compose(v -> ctx.games.update(key(id), doc -> EntryRules.restore(doc, player, login, connection, admitted)))
          .compose(fx -> {
            if (!fx.changed) {
              return states.release(player, null).compose(x -> info(EntryRules.NOT_PART));
            }
            return states.enter(player, id).compose(x -> changes.carryOut(id, fx, player));
          });
      });
    });
  }

  /** {@link EntryRules#refusal} of {@code player} for {@code game}, with their ratings when the game needs them. */
  private Future<EntryRules.Refusal> refusal(JsonObject game, int player, Object password) {
    Future<JsonObject> info = !game.isEmpty() && EntryRules.needsRatings(game)
      ? Players.info(ctx.pool, player)
      : Future.succeededFuture();
    return info.map(playerInfo -> EntryRules.refusal(game, player, playerInfo, password));
  }

  private static Future<JsonObject> refuse(EntryRules.Refusal refused) {
    return refused.error() ? Future.failedFuture(bad(refused.text())) : info(refused.text());
  }

  /**
   * A player's lobby connection went away: they leave their game (a live game keeps them as a participant,
   * so they can restore it). A game that a newer connection of the player has restored is left alone.
   */
  Future<Void> offline(int player, String connection) {
    return ctx.players.read(key(player)).<Void>compose(doc -> {
      Long id = doc.getLong("game");
      if (id == null || (connection != null && doc.getString("connection") != null
        && !connection.equals(doc.getString("connection")))) {
        return Future.succeededFuture();
      }
      return changes.change(id, player, g -> GameStateRules.leave(g, player, connection))
        .compose(v -> states.release(player, id, connection));
    }).onFailure(err -> LOG.warn("Game clean-up of offline player {} failed", player, err));
  }

  /** When the set-up of a game of {@code gameType} started now times out. */
  private long setupDeadline(String gameType) {
    Setting setting = "custom".equals(gameType) ? Setting.GAME_SETUP_TIMEOUT_SECONDS : Setting.COOP_SETUP_TIMEOUT_SECONDS;
    return System.currentTimeMillis() + ctx.config.getLong(setting) * 1000;
  }

  /** A joiner whose game has not reported {@code Idle} by the set-up time-out is freed ({@link DeadlineRules}). */
  private Future<Void> joinDeadline(long id, int player, String gameType) {
    long deadline = setupDeadline(gameType);
    return deadlines.deadline(id, deadline)
      .compose(v -> ctx.games.update(key(id), g -> DeadlineRules.joining(g, player, deadline)))
      // The join stands: a joiner without a stored deadline is still freed at their next claim (PlayerStates).
      .onFailure(err -> LOG.warn("Set-up deadline of player {} in game {} not stored", player, id, err))
      .otherwiseEmpty();
  }

  private Future<JsonObject> coopList(JsonObject request) {
    return ctx.pool.query(COOP_MAPS).execute().map(rows -> {
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

  /**
   * Fails when {@code player} hosts {@code GAMES_HOSTED_MAX} games that have not launched yet. A game whose
   * set-up time-out has passed does not count (the deadline sweep is about to close it), nor does a live
   * game the host has left.
   */
  private Future<Void> hostingRoom(int player) {
    long setUp = 1000 * Math.max(ctx.config.getLong(Setting.GAME_SETUP_TIMEOUT_SECONDS),
      ctx.config.getLong(Setting.COOP_SETUP_TIMEOUT_SECONDS)) + 5000;
    long now = System.currentTimeMillis();
    return ctx.games.entries().compose(games -> {
      long hosted = games.values().stream().filter(g -> GameRules.isHost(g, player)
        && (GameRules.LOBBY.equals(g.getString("state"))
        || GameRules.INITIALIZING.equals(g.getString("state")) && now - g.getLong("createdAt", 0L) <= setUp)).count();
      return hosted < limits.hosted()
        ? Future.succeededFuture()
        : Future.failedFuture(bad("You can host at most " + limits.hosted() + " game(s) at a time."));
    });
  }

  private Future<Void> notBanned(int player) {
    return Bans.active(ctx.pool, player).compose(ban -> ban == null
      ? Future.succeededFuture()
      : Future.failedFuture(bad(ban.text())));
  }

  private Future<JsonObject> social(int player) {
    return Players.relations(ctx.pool, player).map(r -> new JsonObject()
      .put("friends", new JsonArray(r.friends())).put("foes", new JsonArray(r.foes())));
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
