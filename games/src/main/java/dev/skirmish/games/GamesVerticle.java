package dev.skirmish.games;

import dev.skirmish.common.AckedEvents;
import dev.skirmish.common.Addresses;
import dev.skirmish.common.CommandHandlers;
import dev.skirmish.common.DocumentStore;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.ServiceMetrics;
import dev.skirmish.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The FAF games service: hosting, joining and restoring games ({@link LobbyCommands}), matchmade games
 * ({@link MatchmadeGames}), the GPGNet state machine of each game ({@link GpgNet}), the word on each game's
 * members that gateways relay {@code IceMsg} on ({@link MembersVouch}), {@code game_info} announcements
 * ({@link GameInfoAnnouncer}), results and ratings, army statistics and achievements ({@link GameStats}), coop
 * missions, and the social commands ({@link SocialCommands}).
 *
 * <p>Any games node serves any game: each game is one document in a cluster-wide map changed by
 * compare-and-set ({@link DocumentStore}), the rules are pure functions ({@link GameRules}), and their
 * effects are carried out only by the node whose change was stored ({@link GameChanges}), so they happen
 * once. Set-up deadlines live in the documents and every games node sweeps them ({@link DeadlineSweep}); an
 * ended game is forgotten only once its end records are written ({@link EndRecorder}). Each player's current
 * game and state is a second document ({@link PlayerStates}). This verticle only wires the event bus to those
 * parts.
 */
public final class GamesVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GamesVerticle.class);

  private final NodeConfig config;
  private final Pool pool;
  private final ServiceMetrics metrics;
  private GamesContext ctx;
  private GameInfoAnnouncer announcer;
  private DeadlineSweep sweep;
  private long tick = -1;

  public GamesVerticle(NodeConfig config, Pool pool) {
    this(config, pool, ServiceMetrics.none());
  }

  /** @param metrics the node's registry for the games gauge ({@link GameGauges}) */
  public GamesVerticle(NodeConfig config, Pool pool, ServiceMetrics metrics) {
    this.config = config;
    this.pool = pool;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    ctx = new GamesContext(vertx, config, pool);
    announcer = new GameInfoAnnouncer(ctx);
    PlayerStates states = new PlayerStates(ctx);
    GameStats stats = new GameStats(ctx);
    EndRecorder recorder = new EndRecorder(ctx, stats);
    GameChanges changes = new GameChanges(ctx, states, announcer, recorder);
    sweep = new DeadlineSweep(ctx, changes, recorder);
    MatchmadeGames matches = new MatchmadeGames(ctx, states, announcer, sweep);
    changes.onMatchHosted(matches::hosted);
    LobbyCommands lobby = new LobbyCommands(ctx, states, changes, sweep);
    GpgNet gpgNet = new GpgNet(ctx, states, changes, stats);

    CommandHandlers commands = lobby.register(new SocialCommands(vertx, pool, new HostAudience(ctx, announcer)).register(CommandHandlers.faf()));
    CommandHandlers gpg = new CommandHandlers(body -> "gpgnet").on("gpgnet", gpgNet::handle);
    var command = vertx.eventBus().<JsonObject>consumer(Addresses.GAMES_COMMAND, msg -> {
      JsonObject message = msg.body().getJsonObject("message", new JsonObject());
      if ("game".equals(message.getValue("target"))) {
        gpg.handle(msg);
      } else {
        commands.handle(msg);
      }
    });
    var visible = vertx.eventBus().<JsonObject>consumer(Addresses.GAMES_VISIBLE,
      msg -> announcer.visibleGames()
        .onSuccess(games -> msg.reply(new JsonObject().put("games", games)))
        .onFailure(err -> CommandHandlers.fail(msg, "Game list", err)));
    var members = vertx.eventBus().<JsonObject>consumer(Addresses.GAMES_MEMBERS,
      new CommandHandlers(body -> "members").on("members", new MembersVouch(ctx, states)::handle)::handle);
    var match = vertx.eventBus().<JsonObject>consumer(Addresses.GAMES_MATCH,
      new CommandHandlers(body -> "match").on("match", matches::match)::handle);
    var offline = AckedEvents.consume(vertx, Addresses.GAMES_PLAYER_OFFLINE, event ->
      event.getValue("player") instanceof Number n
        ? lobby.offline(n.intValue(), event.getString("connection"))
        : Future.succeededFuture());
    long every = config.getLong(Setting.GAME_INFO_TICK_MS);
    tick = vertx.setPeriodic(every, every, t -> announcer.announce());
    sweep.start();
    GameGauges gauges = new GameGauges(metrics);
    metrics.watch(vertx, GamesContext.GAMES_MAP, gauges::update);
    return Future.all(List.of(command.completion(), visible.completion(), members.completion(), match.completion(),
      offline.completion()));
  }

  /**
   * Stops after the last game_info tick and once every launch and end record in flight is written (each is
   * one transaction, so a stop never leaves a game half recorded). The games themselves live in the
   * cluster map: other games nodes keep serving them.
   */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(tick);
    sweep.stop();
    announcer.announce();
    List<Future<?>> inFlight = ctx.inFlight();
    if (!inFlight.isEmpty()) {
      LOG.info("Games service stopping: waiting for {} game record(s) to be written", inFlight.size());
    }
    return Future.join(inFlight).otherwiseEmpty();
  }
}
