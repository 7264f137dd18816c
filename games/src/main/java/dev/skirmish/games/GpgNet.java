package dev.skirmish.games;

import dev.skirmish.common.Players;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static dev.skirmish.games.GamesContext.key;

/**
 * GPGNet messages from a player's game ({@code "target": "game"}): each is applied to the game the player
 * is in through its rule; unknown messages and bad arguments are logged and ignored. A message over the size
 * limits ({@link GameLimits}) gets an error notice and goes nowhere. {@code IceMsg} does not come here: the
 * gateways relay it between the members of a game, on this service's word ({@link MembersVouch}).
 */
final class GpgNet {

  private static final Logger LOG = LoggerFactory.getLogger(GpgNet.class);

  private static final String MOD_NAMES =
    "SELECT v.uid, m.display_name FROM mod_version v JOIN mod m ON m.id = v.mod_id WHERE v.uid = ANY($1)";

  /** GPGNet messages that are accepted and need nothing from the server. */
  private static final Set<String> NO_OPS = Set.of("TeamkillReport", "LaunchStatus", "Bottleneck",
    "BottleneckCleared", "Disconnected", "Chat", "GameFull", "Rehost");
  private static final Set<String> HOST_COMMANDS = Set.of("GameOption", "GameMods", "PlayerOption", "AIOption", "ClearSlot");

  private final GamesContext ctx;
  private final PlayerStates states;
  private final GameChanges changes;
  private final GameStats stats;
  private final GameLimits limits;

  GpgNet(GamesContext ctx, PlayerStates states, GameChanges changes, GameStats stats) {
    this.ctx = ctx;
    this.states = states;
    this.changes = changes;
    this.stats = stats;
    this.limits = GameLimits.of(ctx.config);
  }

  Future<JsonObject> handle(JsonObject request) {
    int player = request.getInteger("player");
    String login = request.getString("login");
    JsonObject m = request.getJsonObject("message");
    String command = m.getString("command");
    JsonArray args = m.getValue("args") instanceof JsonArray a ? a : new JsonArray();
    if (NO_OPS.contains(command)) {
      return Replies.none();
    }
    String tooLarge = limits.gpgNet(command, args);
    if (tooLarge != null) {
      LOG.debug("GPGNet {} from player {} refused: {}", command, player, tooLarge);
      return Future.failedFuture(Replies.bad(tooLarge));
    }
    return states.gameOf(player).compose(id -> {
      if (id == null) {
        LOG.debug("GPGNet {} from player {} outside a game: ignored", command, player);
        return Replies.none();
      }
      return switch (command) {
        case "GameState" -> args.getValue(0) instanceof String state
          ? joinerInfo(id, player, state).compose(info -> changes.change(id, player,
            g -> GameStateRules.gameState(g, player, login, request.getString("connection"), state, info)))
          : ignored(command, player);
        case "GameResult" -> changes.change(id, player, g -> ReportRules.gameResult(g, player, args));
        case "GameEnded" -> changes.change(id, player, g -> GameStateRules.gameEnded(g, player));
        case "Desync", "EnforceRating" -> changes.change(id, player, g -> ReportRules.flag(g, command));
        case "TeamkillHappened" -> afterLaunchRecord(id, g -> ctx.records.teamkill(id, args));
        case "OperationComplete" -> afterLaunchRecord(id, g -> ctx.records.coopCompleted(g, args));
        case "JsonStats" -> args.isEmpty()
          ? ignored(command, player)
          : afterLaunchRecord(id, g -> stats.report(g, player, args.getValue(0)));
        default -> HOST_COMMANDS.contains(command)
          ? modNames(command, args).compose(names -> changes.change(id, player, g -> HostOptionRules.hostCommand(g, player, command, args, names, limits)))
          : ignored(command, player);
      };
    });
  }

  /**
   * The player object (with ratings) that the join rule needs at a joiner's {@code Idle} in a game that enforces
   * a rating range; null otherwise.
   */
  private Future<JsonObject> joinerInfo(long id, int player, String state) {
    if (!"Idle".equals(state)) {
      return Future.succeededFuture();
    }
    return ctx.games.read(key(id)).compose(g -> !g.isEmpty() && !GameRules.isHost(g, player) && EntryRules.needsRatings(g)
      ? Players.info(ctx.pool, player)
      : Future.succeededFuture());
  }

  /**
   * Runs a write that refers to the game's {@code game_stats} row once that row exists: recording the launch
   * again is a no-op when it is written, and waits for a launch record still in flight.
   */
  private Future<JsonObject> afterLaunchRecord(long id, Function<JsonObject, Future<Void>> write) {
    return ctx.games.read(key(id)).compose(g -> {
      if (g.isEmpty() || g.getValue("launchedAt") == null) {
        return Future.succeededFuture();
      }
      return ctx.tracked(ctx.records.launched(g).transform(ar -> write.apply(g)));
    }).map(v -> new JsonObject());
  }

  private static Future<JsonObject> ignored(String command, int player) {
    LOG.debug("GPGNet {} from player {} ignored", command, player);
    return Replies.none();
  }

  private Future<Map<String, String>> modNames(String command, JsonArray args) {
    if (!"GameMods".equals(command) || args.size() < 2 || !"uids".equals(args.getValue(0))) {
      return Future.succeededFuture(Map.of());
    }
    String[] uids = String.valueOf(args.getValue(1)).trim().split("\\s+");
    return ctx.pool.preparedQuery(MOD_NAMES).execute(Tuple.of((Object) uids)).map(rows -> {
      Map<String, String> names = new HashMap<>();
      for (Row r : rows) {
        names.put(r.getString("uid"), r.getString("display_name"));
      }
      return names;
    });
  }
}
