package dev.skirmish.signaling;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.Map;
import java.util.TreeMap;

/**
 * The signaling service's status section for the operator console: the registered CL Omega games (UGI, name,
 * developer, origins) and every lobby of the cluster with its host, peers and settings. Lists stop at
 * {@code STATUS_MAX_ITEMS}; the totals stay exact.
 */
final class LobbyStatus {

  private static final String GAMES =
    "SELECT g.id, g.name, d.name AS developer,"
      + " COALESCE((SELECT array_agg(origin ORDER BY origin) FROM games_authorized_origins o WHERE o.game_id = g.id), '{}') AS origins"
      + " FROM games g JOIN developers d ON d.id = g.developer_id ORDER BY g.create_time LIMIT $1";

  private final Pool pool;
  private final int maxItems;

  LobbyStatus(Pool pool, int maxItems) {
    this.pool = pool;
    this.maxItems = maxItems;
  }

  /** {@code {games: [{ugi, name, developer, origins, lobbies: [...]}], lobbies: n, peers: n}}. */
  Future<JsonObject> section(Map<String, JsonObject> documents) {
    return pool.preparedQuery(GAMES).execute(Tuple.of(maxItems)).map(rows -> {
      Map<String, JsonObject> games = new TreeMap<>();
      for (Row r : rows) {
        JsonArray origins = new JsonArray();
        for (String o : r.getArrayOfStrings("origins")) {
          origins.add(o);
        }
        games.put(r.getString("id").trim(), new JsonObject().put("ugi", r.getString("id").trim())
          .put("name", r.getString("name")).put("developer", r.getString("developer")).put("origins", origins)
          .put("lobbies", new JsonArray()));
      }
      int lobbies = 0;
      int peers = 0;
      int listed = 0;
      for (Map.Entry<String, JsonObject> entry : new TreeMap<>(documents).entrySet()) {
        JsonObject game = games.computeIfAbsent(entry.getKey(), ugi -> new JsonObject().put("ugi", ugi)
          .put("lobbies", new JsonArray()));
        JsonObject all = Lobbies.lobbies(entry.getValue());
        for (String name : all.fieldNames()) {
          JsonObject lobby = all.getJsonObject(name);
          JsonObject host = lobby.getJsonObject("host");
          JsonArray members = new JsonArray();
          for (Object p : lobby.getJsonArray("peers")) {
            JsonObject peer = (JsonObject) p;
            members.add(new JsonObject().put("id", peer.getString("id")).put("user", peer.getString("user")));
          }
          lobbies++;
          peers += members.size() + (host == null ? 0 : 1);
          if (listed++ < maxItems) {
            game.getJsonArray("lobbies").add(new JsonObject().put("name", name)
              .put("host", host == null ? null : new JsonObject().put("id", host.getString("id"))
                .put("user", host.getString("user")))
              .put("peers", members)
              .put("max_peers", lobby.getInteger("max_peers", 0))
              .put("locked", lobby.getBoolean("locked", false))
              .put("public", Lobbies.isPublic(lobby)));
          }
        }
      }
      return new JsonObject().put("games", new JsonArray(new java.util.ArrayList<>(games.values())))
        .put("lobbies", lobbies).put("peers", peers);
    });
  }
}
