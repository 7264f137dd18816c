package dev.skirmish.games;

import dev.skirmish.common.Addresses;
import dev.skirmish.common.Delivery;
import dev.skirmish.common.DocumentStore.Change;
import dev.skirmish.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

import static dev.skirmish.games.GamesContext.key;
import static dev.skirmish.games.Replies.bad;

/**
 * Matchmade games ({@link Addresses#GAMES_MATCH}): every matched player is claimed, the game is created
 * with their slots, the host launches at once and the guests once the host's lobby is open; a game not
 * hosted or launched in time is cancelled ({@link DeadlineRules}, applied by whichever games node gets there first:
 * {@link DeadlineSweep}). The game is announced in {@code game_info} from its creation
 * (state {@code closed} until the host's lobby is open) to its end or cancellation (closed again).
 */
final class MatchmadeGames {

  private static final Logger LOG = LoggerFactory.getLogger(MatchmadeGames.class);

  private final GamesContext ctx;
  private final PlayerStates states;
  private final GameInfoAnnouncer announcer;
  private final DeadlineSweep deadlines;

  MatchmadeGames(GamesContext ctx, PlayerStates states, GameInfoAnnouncer announcer, DeadlineSweep deadlines) {
    this.ctx = ctx;
    this.states = states;
    this.announcer = announcer;
    this.deadlines = deadlines;
  }

  /** {@link Addresses#GAMES_MATCH}: creates a matchmade game; the host gets game_launch at once. */
  Future<JsonObject> match(JsonObject request) {
    JsonArray list = request.getJsonArray("players", new JsonArray());
    if (list.isEmpty() || request.getString("mapname") == null || request.getString("featuredMod") == null) {
      return Future.failedFuture(bad("A match needs players, a map and a featured mod."));
    }
    List<JsonObject> expected = new ArrayList<>();
    for (Object o : list) {
      expected.add((JsonObject) o);
    }
    return claimAll(expected, 0, new ArrayList<>()).compose(v -> ctx.nextId()).compose(id -> {
      long hostDeadline = System.currentTimeMillis() + ctx.config.getLong(Setting.MATCH_HOST_TIMEOUT_SECONDS) * 1000;
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
        .put("queue", request.getString("queue")).put("queueId", request.getInteger("queueId")).put("expected", slots)
        .put(DeadlineRules.HOST_DEADLINE, hostDeadline).put(DeadlineRules.LAUNCH_TIMEOUT,
          ctx.config.getLong(Setting.MATCH_LAUNCH_TIMEOUT_SECONDS) * 1000 + 10_000L * (expected.size() - 1));
      // Due before the game exists, so that no node can lose it.
      return deadlines.deadline(id, hostDeadline)
        .compose(v -> ctx.games.update(key(id), current -> new Change<>(current.isEmpty() ? game : null, current.isEmpty())))
        .compose(created -> {
          // Announced from its creation (closed while initialising), to its players and everyone who may see it.
          announcer.changed(id, game);
          return Future.all(expected.stream().map(p -> states.enter(p.getInteger("id"), id)).toList());
        })
        .compose(v -> GameLaunch.message(ctx.pool, game, host.getInteger("id")))
        .map(launch -> {
          int hostId = host.getInteger("id");
          LOG.info("Matchmade game {} ({}) on {} for {}", id, request.getString("queue"), game.getString("mapname"),
            GameRules.expected(game));
          Delivery.toSession(ctx.vertx, ctx.sessions, key(hostId), launch);
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
    return ctx.sessions.get(key(player))
      .compose(entry -> states.claimIdle(player, entry == null ? null : entry.connection(), "start a matchmade game", null))
      .compose(v -> {
        claimed.add(player);
        return claimAll(expected, i + 1, claimed);
      }, err -> Future.all(claimed.stream().map(p -> states.release(p, null)).toList())
        .transform(x -> Future.<Void>failedFuture(err)));
  }

  /** The host's lobby is open: every guest launches their game; the whole match must launch in time. */
  void hosted(long id, JsonObject game) {
    List<Integer> guests = GameRules.expected(game);
    guests.remove(game.getInteger("host"));
    for (int guest : guests) {
      GameLaunch.message(ctx.pool, game, guest)
        .onSuccess(launch -> Delivery.toSession(ctx.vertx, ctx.sessions, key(guest), launch));
    }
    Long launchDeadline = game.getLong(DeadlineRules.LAUNCH_DEADLINE);
    if (launchDeadline != null) {
      deadlines.deadline(id, launchDeadline)
        .onFailure(err -> LOG.warn("Launch deadline of matchmade game {} not entered (the sweep finds it later)", id, err));
    }
  }
}
