package dev.skirmish.games;

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

/** The FAF games service: game lifecycle, game_info, coop missions. */
public final class GamesVerticle extends VerticleBase {

  private static final String[] COOP_TYPES = {
    "FA Campaign", "Aeon Vanilla Campaign", "Cybran Vanilla Campaign", "UEF Vanilla Campaign", "Custom Missions"};
  private static final String COOP_MAPS = "SELECT id, type, name, description, filename FROM coop_map ORDER BY id";

  private final NodeConfig config;
  private final Pool pool;

  public GamesVerticle(NodeConfig config, Pool pool) {
    this.config = config;
    this.pool = pool;
  }

  @Override
  public Future<?> start() {
    CommandHandlers commands = new SocialCommands(vertx, pool).register(CommandHandlers.faf().on("coop_list", this::coopList));
    var command = vertx.eventBus().<JsonObject>consumer(Addresses.GAMES_COMMAND, commands::handle);
    var visible = vertx.eventBus().<JsonObject>consumer(Addresses.GAMES_VISIBLE,
      msg -> msg.reply(new JsonObject().put("games", new JsonArray())));
    return Future.all(command.completion(), visible.completion());
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
}
