package dev.skirmish.signaling;

import dev.skirmish.common.AckedEvents;
import dev.skirmish.common.Addresses;
import dev.skirmish.common.CommandHandlers;
import dev.skirmish.common.Failures;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.NodeStatus;
import dev.skirmish.common.Setting;
import dev.skirmish.common.OmegaLimits;
import dev.skirmish.common.ServiceMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** The CL Omega signaling service: games (UGI) and lobbies. */
public final class SignalingVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SignalingVerticle.class);

  private static final String GAME =
    "SELECT g.name AS game, d.name AS developer,"
      + " COALESCE((SELECT array_agg(origin) FROM games_authorized_origins o WHERE o.game_id = g.id), '{}') AS origins"
      + " FROM games g JOIN developers d ON d.id = g.developer_id WHERE g.id = $1";

  private final NodeConfig config;
  private final Pool pool;

  private final ServiceMetrics metrics;

  public SignalingVerticle(NodeConfig config, Pool pool) {
    this(config, pool, ServiceMetrics.none());
  }

  /** @param metrics the node's registry for the lobby and peer gauges ({@link LobbyGauges}) */
  public SignalingVerticle(NodeConfig config, Pool pool, ServiceMetrics metrics) {
    this.config = config;
    this.pool = pool;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    SignalingService service = new SignalingService(vertx, OmegaLimits.from(config));
    metrics.watch(vertx, SignalingService.LOBBIES_MAP, new LobbyGauges(metrics)::update);
    var lookup = vertx.eventBus().<JsonObject>consumer(Addresses.SIGNALING_GAME_LOOKUP, this::lookupGame);
    var command = vertx.eventBus().<JsonObject>consumer(Addresses.SIGNALING_COMMAND, msg ->
      // composed, so that an exception thrown while handling still gets the gateway an answer
      Future.succeededFuture(msg.body()).compose(service::handle).onSuccess(msg::reply)
        .onFailure(err -> CommandHandlers.fail(msg, "Signaling request", err)));
    // One signaling node handles a closed socket, retried by its sender until one has (lobbies live in the cluster).
    var closed = AckedEvents.consume(vertx, Addresses.SIGNALING_SESSION_CLOSED, event ->
      service.closed(event).onFailure(err -> LOG.warn("Could not remove a closed socket from its lobby", err)));
    var admin = vertx.eventBus().<JsonObject>consumer(Addresses.SIGNALING_ADMIN, msg -> {
      JsonObject body = msg.body() == null ? new JsonObject() : msg.body();
      if (!"close_lobby".equals(body.getString("action")) || body.getString("ugi") == null
        || body.getString("lobby") == null) {
        msg.fail(Failures.BAD_REQUEST, "expected {action: close_lobby, ugi, lobby}");
        return;
      }
      LOG.info("Admin {} closes CL Omega lobby {} of game {}", body.getValue("admin"), body.getString("lobby"),
        body.getString("ugi"));
      service.closeLobby(body.getString("ugi"), body.getString("lobby")).onSuccess(msg::reply)
        .onFailure(err -> CommandHandlers.fail(msg, "Closing a lobby", err));
    });
    LobbyStatus status = new LobbyStatus(pool, config.getInt(Setting.STATUS_MAX_ITEMS));
    var section = NodeStatus.serveSection(vertx, "signaling", () -> service.lobbyDocuments().compose(status::section));
    return Future.all(List.of(lookup.completion(), command.completion(), closed.completion(), admin.completion(),
      section.completion()));
  }

  private void lookupGame(Message<JsonObject> msg) {
    pool.preparedQuery(GAME).execute(Tuple.of(msg.body().getString("ugi")))
      .onSuccess(rows -> {
        if (rows.size() == 0) {
          msg.fail(Failures.NOT_FOUND, "game not found");
          return;
        }
        Row r = rows.iterator().next();
        JsonArray origins = new JsonArray();
        for (String o : r.getArrayOfStrings("origins")) {
          origins.add(o);
        }
        msg.reply(new JsonObject().put("game", r.getString("game")).put("developer", r.getString("developer"))
          .put("origins", origins));
      })
      .onFailure(err -> CommandHandlers.fail(msg, "Game lookup", err));
  }
}
