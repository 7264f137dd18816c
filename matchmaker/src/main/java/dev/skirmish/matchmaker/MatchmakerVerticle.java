package dev.skirmish.matchmaker;

import dev.skirmish.common.Addresses;
import dev.skirmish.common.CommandHandlers;
import dev.skirmish.common.Faf;
import dev.skirmish.common.NodeConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The FAF matchmaker service: queues loaded from the database. */
public final class MatchmakerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MatchmakerVerticle.class);
  private static final String QUEUES =
    "SELECT technical_name, team_size FROM matchmaker_queue WHERE enabled ORDER BY id";

  private final NodeConfig config;
  private final Pool pool;
  private volatile JsonArray queues = new JsonArray();

  public MatchmakerVerticle(NodeConfig config, Pool pool) {
    this.config = config;
    this.pool = pool;
  }

  @Override
  public Future<?> start() {
    CommandHandlers commands = CommandHandlers.faf().on("matchmaker_info", this::info);
    return loadQueues().compose(v ->
      vertx.eventBus().<JsonObject>consumer(Addresses.MATCHMAKER_COMMAND, commands::handle).completion());
  }

  private Future<Void> loadQueues() {
    return pool.query(QUEUES).execute().map(rows -> {
      JsonArray list = new JsonArray();
      for (Row r : rows) {
        list.add(new JsonObject()
          .put("queue_name", r.getString("technical_name"))
          .put("team_size", r.getInteger("team_size")));
      }
      queues = list;
      LOG.info("Loaded {} matchmaker queue(s)", list.size());
      return null;
    });
  }

  private Future<JsonObject> info(JsonObject request) {
    JsonArray out = new JsonArray();
    for (Object q : queues) {
      JsonObject queue = (JsonObject) q;
      out.add(new JsonObject()
        .put("queue_name", queue.getString("queue_name"))
        .put("num_players", 0)
        .put("boundary_80s", new JsonArray())
        .put("boundary_75s", new JsonArray())
        .put("team_size", queue.getInteger("team_size")));
    }
    return Future.succeededFuture(CommandHandlers.messages(Faf.command("matchmaker_info").put("queues", out)));
  }
}
