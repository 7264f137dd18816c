package dev.skirmish.gateway;

import dev.skirmish.common.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Self-service registry of CL Omega games. Callers authenticate with a CL Omega session token
 * ({@code Authorization: Bearer <token>} from {@code POST /api/v0/login}); they create developers, games
 * (whose id is the UGI clients connect with) and the origins allowed to open signaling sockets for a game.
 * Only members of a developer see, change or delete its games.
 */
final class GamesRegistryApi {

  private static final Logger LOG = LoggerFactory.getLogger(GamesRegistryApi.class);
  private static final String CALLER =
    "SELECT a.id FROM sessions s JOIN account a ON a.id = s.account_id WHERE s.id = $1 AND s.expires > now()";
  private static final String MY_DEVELOPERS =
    "SELECT d.id, d.name FROM developers d JOIN developer_members m ON m.developer_id = d.id"
      + " WHERE m.account_id = $1 ORDER BY d.create_time";
  private static final String IS_MEMBER =
    "SELECT 1 FROM developer_members WHERE developer_id = $1 AND account_id = $2";
  private static final String MY_GAMES =
    "SELECT g.id, g.name, g.description, d.id AS developer_id, d.name AS developer,"
      + " COALESCE((SELECT array_agg(origin ORDER BY origin) FROM games_authorized_origins o WHERE o.game_id = g.id), '{}') AS origins"
      + " FROM games g JOIN developers d ON d.id = g.developer_id"
      + " JOIN developer_members m ON m.developer_id = d.id WHERE m.account_id = $1 ORDER BY g.create_time";
  private static final String GAME_OF_MEMBER =
    "SELECT g.id FROM games g JOIN developer_members m ON m.developer_id = g.developer_id"
      + " WHERE g.id = $1 AND m.account_id = $2";

  /** Longest origin the games_authorized_origins table holds. */
  private static final int MAX_ORIGIN = 255;

  private final Gateway gw;
  private final Pool pool;

  GamesRegistryApi(Gateway gw) {
    this.gw = gw;
    this.pool = gw.accounts().pool();
  }

  /** The operations of the OpenAPI document this class serves, each behind the session-token check. */
  Map<String, RestOperation> operations() {
    return Map.of(
      "createDeveloper", RestOperation.of(ctx -> authed(ctx, this::createDeveloper)),
      "listDevelopers", RestOperation.of(ctx -> authed(ctx, this::listDevelopers)),
      "createGame", RestOperation.of(ctx -> authed(ctx, this::createGame)),
      "listGames", RestOperation.of(ctx -> authed(ctx, this::listGames)),
      "setOrigins", RestOperation.of(ctx -> authed(ctx, this::setOrigins)),
      "deleteGame", RestOperation.of(ctx -> authed(ctx, this::deleteGame)));
  }

  private interface Handler {
    Future<Void> handle(RoutingContext ctx, int accountId);
  }

  private void authed(RoutingContext ctx, Handler handler) {
    String auth = ctx.request().getHeader("Authorization");
    String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
    if (!Ids.isUlid(token)) {
      error(ctx, 401, "a session token is required: Authorization: Bearer <token from POST /api/v0/login>");
      return;
    }
    pool.preparedQuery(CALLER).execute(Tuple.of(Ids.canonical(token)))
      .compose(rows -> {
        if (rows.size() == 0) {
          error(ctx, 401, "session token unknown or expired");
          return Future.succeededFuture();
        }
        return handler.handle(ctx, rows.iterator().next().getInteger("id"));
      })
      .onFailure(err -> {
        if (gw.unavailable(err)) {
          Rest.unavailable(ctx);
          return;
        }
        LOG.error("games registry request failed", err);
        if (!ctx.response().ended()) {
          error(ctx, 500, "internal error");
        }
      });
  }

  private static void error(RoutingContext ctx, int status, String message) {
    RestErrors.send(ctx, status, message);
  }

  private static String name(JsonObject body, RoutingContext ctx) {
    if (body == null) {
      error(ctx, 400, "malformed JSON body");
      return null;
    }
    Object name = body.getValue("name");
    if (!(name instanceof String s) || s.isBlank() || s.length() > 100) {
      error(ctx, 400, "name is required (1 to 100 characters)");
      return null;
    }
    return s.trim();
  }

  private Future<Void> createDeveloper(RoutingContext ctx, int accountId) {
    String name = name(Rest.jsonBody(ctx), ctx);
    if (name == null) {
      return Future.succeededFuture();
    }
    String id = Ids.ulid();
    return pool.withTransaction(conn -> conn.preparedQuery("INSERT INTO developers (id, name) VALUES ($1, $2)")
        .execute(Tuple.of(id, name))
        .compose(r -> conn.preparedQuery("INSERT INTO developer_members (developer_id, account_id) VALUES ($1, $2)")
          .execute(Tuple.of(id, accountId))))
      .map(r -> {
        LOG.info("Account {} created developer {} ({})", accountId, id, name);
        Rest.json(ctx, 201, new JsonObject().put("id", id).put("name", name));
        return null;
      });
  }

  private Future<Void> listDevelopers(RoutingContext ctx, int accountId) {
    return pool.preparedQuery(MY_DEVELOPERS).execute(Tuple.of(accountId)).map(rows -> {
      JsonArray list = new JsonArray();
      for (Row r : rows) {
        list.add(new JsonObject().put("id", r.getString("id")).put("name", r.getString("name")));
      }
      Rest.json(ctx, 200, list);
      return null;
    });
  }

  /** Origins as browsers send them: scheme://host[:port], no path, at most 255 characters. Null when one is not. */
  static List<String> origins(Object value) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray arr)) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (Object o : arr) {
      if (!(o instanceof String s) || s.length() > MAX_ORIGIN) {
        return null;
      }
      try {
        URI uri = new URI(s);
        boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
        if (!web || uri.getHost() == null || (uri.getPath() != null && !uri.getPath().isEmpty())
          || uri.getQuery() != null || uri.getFragment() != null || uri.getUserInfo() != null) {
          return null;
        }
      } catch (Exception e) {
        return null;
      }
      if (!out.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }

  private Future<Void> createGame(RoutingContext ctx, int accountId) {
    JsonObject body = Rest.jsonBody(ctx);
    String name = name(body, ctx);
    if (name == null) {
      return Future.succeededFuture();
    }
    List<String> origins = origins(body.getValue("origins"));
    if (origins == null) {
      error(ctx, 400, "origins must be a list of origins such as \"https://example.com\" or \"http://localhost:3000\"");
      return Future.succeededFuture();
    }
    Object description = body.getValue("description");
    if (description != null && !(description instanceof String)) {
      error(ctx, 400, "description must be a string");
      return Future.succeededFuture();
    }
    String developer = ctx.pathParam("developer");
    if (!Ids.isUlid(developer)) {
      error(ctx, 404, "no such developer");
      return Future.succeededFuture();
    }
    String dev = Ids.canonical(developer);
    String ugi = Ids.ulid();
    return pool.preparedQuery(IS_MEMBER).execute(Tuple.of(dev, accountId)).compose(rows -> {
      if (rows.size() == 0) {
        error(ctx, 404, "no such developer");
        return Future.succeededFuture();
      }
      return pool.withTransaction(conn -> conn
          .preparedQuery("INSERT INTO games (id, developer_id, name, description) VALUES ($1, $2, $3, $4)")
          .execute(Tuple.of(ugi, dev, name, description))
          .compose(r -> insertOrigins(conn, ugi, origins)))
        .compose(v -> origins.isEmpty() ? Future.<Void>succeededFuture() : gw.origins().changed())
        .map(v -> {
          LOG.info("Account {} created game {} ({})", accountId, ugi, name);
          Rest.json(ctx, 201, new JsonObject().put("ugi", ugi).put("name", name).put("developer", dev)
            .put("origins", new JsonArray(origins)));
          return null;
        });
    });
  }

  static Future<Void> insertOrigins(SqlConnection conn, String ugi, List<String> origins) {
    if (origins.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> batch = new ArrayList<>();
    for (String o : origins) {
      batch.add(Tuple.of(ugi, o));
    }
    return conn.preparedQuery("INSERT INTO games_authorized_origins (game_id, origin) VALUES ($1, $2)")
      .executeBatch(batch).mapEmpty();
  }

  private Future<Void> listGames(RoutingContext ctx, int accountId) {
    return pool.preparedQuery(MY_GAMES).execute(Tuple.of(accountId)).map(rows -> {
      JsonArray list = new JsonArray();
      for (Row r : rows) {
        JsonArray origins = new JsonArray();
        for (String o : r.getArrayOfStrings("origins")) {
          origins.add(o);
        }
        list.add(new JsonObject().put("ugi", r.getString("id")).put("name", r.getString("name"))
          .put("description", r.getString("description"))
          .put("developer", r.getString("developer_id")).put("developer_name", r.getString("developer"))
          .put("origins", origins));
      }
      Rest.json(ctx, 200, list);
      return null;
    });
  }

  private Future<String> ownedGame(RoutingContext ctx, int accountId) {
    String ugi = ctx.pathParam("ugi");
    if (!Ids.isUlid(ugi)) {
      error(ctx, 404, "no such game");
      return Future.succeededFuture();
    }
    String id = Ids.canonical(ugi);
    return pool.preparedQuery(GAME_OF_MEMBER).execute(Tuple.of(id, accountId)).map(rows -> {
      if (rows.size() == 0) {
        error(ctx, 404, "no such game");
        return null;
      }
      return id;
    });
  }

  private Future<Void> setOrigins(RoutingContext ctx, int accountId) {
    JsonObject body = Rest.jsonBody(ctx);
    // the list is required here: a body without it must not silently clear the game's origins
    List<String> origins = body == null || body.getValue("origins") == null ? null : origins(body.getValue("origins"));
    if (origins == null) {
      error(ctx, 400, "body must be {\"origins\": [\"https://example.com\", ...]}");
      return Future.succeededFuture();
    }
    return ownedGame(ctx, accountId).compose(ugi -> ugi == null ? Future.succeededFuture() : pool.withTransaction(conn ->
        conn.preparedQuery("DELETE FROM games_authorized_origins WHERE game_id = $1").execute(Tuple.of(ugi))
          .compose(r -> insertOrigins(conn, ugi, origins)))
      .compose(v -> gw.origins().changed())
      .map(v -> {
        Rest.json(ctx, 200, new JsonObject().put("ugi", ugi).put("origins", new JsonArray(origins)));
        return null;
      }));
  }

  private Future<Void> deleteGame(RoutingContext ctx, int accountId) {
    return ownedGame(ctx, accountId).compose(ugi -> ugi == null ? Future.succeededFuture()
      : pool.preparedQuery("DELETE FROM games WHERE id = $1").execute(Tuple.of(ugi))
        .compose(r -> gw.origins().changed()).map(r -> {
        LOG.info("Account {} deleted game {}", accountId, ugi);
        ctx.response().setStatusCode(204).end();
        return null;
      }));
  }
}
