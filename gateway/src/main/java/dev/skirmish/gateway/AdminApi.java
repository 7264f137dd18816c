package dev.skirmish.gateway;

import dev.skirmish.common.Addresses;
import dev.skirmish.common.Delivery;
import dev.skirmish.common.Faf;
import dev.skirmish.common.Failures;
import dev.skirmish.common.Ids;
import dev.skirmish.common.Omega;
import dev.skirmish.common.Setting;
import dev.skirmish.gateway.AdminAudit.Admin;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admin REST API under {@code /api/admin/}: callers send a FAF access token ({@code Authorization: Bearer}
 * from {@code POST /oauth2/token}) of an account in the {@code ADMIN_GROUP} user group (no or a bad token:
 * 401; any other account: 403). It shows the cluster ({@link ClusterStatus}, once or as a server-sent event
 * stream) and acts: notices to every FAF client, kicks, bans, closing FAF games and CL Omega lobbies, and
 * registering and editing CL Omega games. Every action is audited ({@link AdminAudit}). Its operations are in
 * the OpenAPI document ({@link RestContract}), which validates each request before its handler; refusals use
 * the REST error shape ({@link RestErrors}).
 */
final class AdminApi {

  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
  private static final String CALLER =
    "SELECT a.login, a.state, EXISTS (SELECT 1 FROM user_group_assignment uga JOIN user_group g ON g.id = uga.group_id"
      + " WHERE uga.user_id = a.id AND g.technical_name = $2) AS admin FROM account a WHERE a.id = $1";
  private static final String ACCOUNT = "SELECT id, ulid, login FROM account WHERE id = $1";
  private static final String INSERT_BAN =
    "INSERT INTO ban (player_id, author_id, reason, level, expires_at)"
      + " VALUES ($1, $2, $3, 'GLOBAL', now() + make_interval(secs => $4)) RETURNING id, expires_at";
  private static final String GAMES =
    "SELECT g.id, g.name, g.description, d.id AS developer_id, d.name AS developer,"
      + " COALESCE((SELECT array_agg(origin ORDER BY origin) FROM games_authorized_origins o WHERE o.game_id = g.id), '{}') AS origins"
      + " FROM games g JOIN developers d ON d.id = g.developer_id";
  /** The developer that games registered by operators without a developer of their choice belong to. */
  static final String OPERATOR_DEVELOPER = "Operators";
  /** Longest text of a notice, a kick or a ban reason. */
  static final int MAX_TEXT = 1000;
  /** Longest ban: 100 years. */
  static final long MAX_BAN_SECONDS = 100L * 366 * 24 * 3600;

  private final Gateway gw;
  private final ClusterStatus status;
  private final AdminAudit audit;
  private final Pool pool;

  AdminApi(Gateway gw, ClusterStatus status) {
    this.gw = gw;
    this.status = status;
    this.pool = gw.accounts().pool();
    this.audit = new AdminAudit(pool);
  }

  /** The admin operations of the OpenAPI document, by operationId; the router validates each request first. */
  Map<String, RestOperation> operations() {
    return Map.ofEntries(
      Map.entry("adminMe", RestOperation.of(ctx -> authed(ctx, (c, admin) -> {
        Rest.json(c, 200, new JsonObject().put("id", admin.id()).put("login", admin.login()));
        return Future.succeededFuture();
      }))),
      Map.entry("adminStatus", RestOperation.of(ctx -> authed(ctx, (c, admin) -> {
        Rest.json(c, 200, status.snapshot(gw.nodeId(), System.currentTimeMillis()));
        return Future.succeededFuture();
      }))),
      Map.entry("adminStatusStream", RestOperation.of(ctx -> authed(ctx, this::stream))),
      Map.entry("adminAudit", RestOperation.of(ctx -> authed(ctx, (c, admin) -> audit.recent(limit(c))
        .map(rows -> {
          Rest.json(c, 200, rows);
          return null;
        })))),
      Map.entry("adminNotice", RestOperation.of(ctx -> authed(ctx, this::notice))),
      Map.entry("adminKick", RestOperation.of(ctx -> authed(ctx, this::kick))),
      Map.entry("adminBan", RestOperation.of(ctx -> authed(ctx, this::ban))),
      Map.entry("adminCloseFafGame", RestOperation.of(ctx -> authed(ctx, this::closeGame))),
      Map.entry("adminCloseOmegaLobby", RestOperation.of(ctx -> authed(ctx, this::closeLobby))),
      Map.entry("adminListGames", RestOperation.of(ctx -> authed(ctx, this::listGames))),
      Map.entry("adminCreateGame", RestOperation.of(ctx -> authed(ctx, this::createGame))),
      Map.entry("adminEditGame", RestOperation.of(ctx -> authed(ctx, this::editGame))));
  }

  private interface Handler {
    Future<Void> handle(RoutingContext ctx, Admin admin);
  }

  // ---- authentication ----------------------------------------------------------------------------------

  private void authed(RoutingContext ctx, Handler handler) {
    String auth = ctx.request().getHeader("Authorization");
    String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
    if (token == null || token.isEmpty()) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      error(ctx, 401, "an access token is required: Authorization: Bearer <access_token from POST /oauth2/token>");
      return;
    }
    gw.tokens().verify(token)
      .recover(err -> {
        ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        error(ctx, 401, err instanceof TokenService.Rejected ? err.getMessage() : "the access token is not valid");
        return Future.succeededFuture();
      })
      .compose(claims -> {
        if (claims == null) {
          return Future.succeededFuture();
        }
        int id;
        try {
          id = Integer.parseInt(claims.getString("sub"));
        } catch (RuntimeException e) {
          error(ctx, 401, "the access token names no player");
          return Future.succeededFuture();
        }
        return pool.preparedQuery(CALLER).execute(Tuple.of(id, gw.config().get(Setting.ADMIN_GROUP))).compose(rows -> {
          if (rows.size() == 0) {
            error(ctx, 401, "the access token's account does not exist");
            return Future.succeededFuture();
          }
          Row r = rows.iterator().next();
          boolean disabled = (r.getInteger("state") & (4 | 8)) != 0;
          if (disabled || !r.getBoolean("admin")) {
            LOG.info("Admin API refused to player {} ({}): {} {}", id, r.getString("login"), ctx.request().method(),
              ctx.request().path());
            error(ctx, 403, "this account is not an administrator");
            return Future.succeededFuture();
          }
          return handler.handle(ctx, new Admin(id, r.getString("login")));
        });
      })
      .onFailure(err -> {
        if (gw.unavailable(err)) {
          Rest.unavailable(ctx);
          return;
        }
        LOG.error("Admin request {} {} failed", ctx.request().method(), ctx.request().path(), err);
        if (!ctx.response().ended()) {
          error(ctx, 500, "internal error");
        }
      });
  }

  private static void error(RoutingContext ctx, int status, String message) {
    RestErrors.send(ctx, status, message);
  }

  /** An answer in the REST error shape ({@link RestErrors}). */
  private static JsonObject failure(int status, String message) {
    return new JsonObject().put("error", RestErrors.code(status)).put("error_description", message);
  }

  /** Audits an action, then answers it (so that an answered action is on record). */
  private Future<Void> done(RoutingContext ctx, Admin admin, String action, String target, JsonObject details,
                            int code, JsonObject body) {
    return audit.record(admin, action, target, details, code).otherwiseEmpty()
      .onComplete(v -> Rest.json(ctx, code, body));
  }

  /** Refuses an action for bad input (400) or an unknown target (404), audited too. */
  private Future<Void> refused(RoutingContext ctx, Admin admin, String action, String target, int code, String why) {
    return done(ctx, admin, action, target, new JsonObject().put("error", why), code, failure(code, why));
  }

  private static int limit(RoutingContext ctx) {
    try {
      return Math.max(1, Math.min(500, Integer.parseInt(ctx.queryParams().get("limit"))));
    } catch (RuntimeException e) {
      return 50;
    }
  }

  // ---- status stream -----------------------------------------------------------------------------------

  /** Server-sent events: the console's snapshot now and at every status interval, until the client goes. */
  private Future<Void> stream(RoutingContext ctx, Admin admin) {
    HttpServerResponse response = ctx.response();
    response.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache")
      .putHeader("X-Accel-Buffering", "no");
    long every = gw.config().getLong(Setting.STATUS_INTERVAL_MS);
    Runnable push = () -> {
      if (!response.ended() && !response.closed()) {
        response.write("event: status\ndata: " + status.snapshot(gw.nodeId(), System.currentTimeMillis()).encode() + "\n\n");
      }
    };
    push.run();
    long timer = gw.vertx().setPeriodic(every, every, t -> push.run());
    response.closeHandler(v -> gw.vertx().cancelTimer(timer));
    response.exceptionHandler(err -> gw.vertx().cancelTimer(timer));
    LOG.info("Admin {} ({}) watches the cluster status", admin.id(), admin.login());
    return Future.succeededFuture();
  }

  // ---- actions -----------------------------------------------------------------------------------------

  /** A required text field of 1 to {@link #MAX_TEXT} characters, or null. */
  private static String text(JsonObject body, String field) {
    Object v = body == null ? null : body.getValue(field);
    return v instanceof String s && !s.isBlank() && s.length() <= MAX_TEXT ? s.trim() : null;
  }

  /** An optional text field: absent gives {@code fallback}; a wrong type or length gives null. */
  private static String optionalText(JsonObject body, String field, String fallback) {
    if (body == null || body.getValue(field) == null) {
      return fallback;
    }
    return text(body, field);
  }

  private Future<Void> notice(RoutingContext ctx, Admin admin) {
    JsonObject body = Rest.jsonBody(ctx);
    String text = text(body, "text");
    if (text == null) {
      return refused(ctx, admin, "notice", null, 400, "body must be {\"text\": \"1 to " + MAX_TEXT + " characters\"}");
    }
    Delivery.fafBroadcast(gw.vertx(), Faf.infoNotice(text));
    return done(ctx, admin, "notice", "faf:all", new JsonObject().put("text", text), 202,
      new JsonObject().put("sent", "faf").put("text", text));
  }

  /** The account named by the path's {@code :player} (an integer id), or null after a 404. */
  private Future<Row> account(RoutingContext ctx, Admin admin, String action) {
    String raw = ctx.pathParam("player");
    int id;
    try {
      id = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      return refused(ctx, admin, action, raw, 404, "no such player").map(v -> null);
    }
    return pool.preparedQuery(ACCOUNT).execute(Tuple.of(id)).compose(rows -> rows.size() == 0
      ? refused(ctx, admin, action, raw, 404, "no such player").map(v -> null)
      : Future.succeededFuture(rows.iterator().next()));
  }

  /**
   * Disconnects the player's sessions of both protocols, each with its last message: FAF gets {@code notice},
   * CL Omega a {@code WARNING}. Completes with which were online.
   */
  private Future<JsonObject> disconnect(Row account, JsonObject fafLast, String omegaText) {
    Future<Boolean> faf = gw.fafSessions().get(String.valueOf(account.getInteger("id"))).map(entry -> {
      if (entry == null) {
        return false;
      }
      gw.vertx().eventBus().send(Addresses.gatewayNode(entry.node()), new JsonObject().put("type", "kick")
        .put("connection", entry.connection()).put("message", fafLast));
      return true;
    });
    Future<Boolean> omega = gw.omegaSessions().get(account.getString("ulid").trim()).map(entry -> {
      if (entry == null) {
        return false;
      }
      gw.vertx().eventBus().send(Addresses.gatewayNode(entry.node()), new JsonObject().put("type", "kick")
        .put("connection", entry.connection()).put("message", Omega.packet("WARNING", omegaText)));
      return true;
    });
    return Future.all(faf, omega).map(v -> new JsonObject().put("faf", faf.result()).put("omega", omega.result()));
  }

  private Future<Void> kick(RoutingContext ctx, Admin admin) {
    JsonObject body = Rest.jsonBody(ctx);
    String target = ctx.pathParam("player");
    String reason = body == null ? null : optionalText(body, "reason", "");
    if (reason == null) {
      return refused(ctx, admin, "kick", target, 400, "reason, if given, must be a text of 1 to " + MAX_TEXT + " characters");
    }
    return account(ctx, admin, "kick").compose(account -> {
      if (account == null) {
        return Future.succeededFuture();
      }
      String text = reason.isEmpty() ? "You have been disconnected by an administrator."
        : "You have been disconnected by an administrator: " + reason;
      return disconnect(account, Faf.notice("kick", reason.isEmpty() ? null : reason), text).compose(online -> {
        JsonObject details = new JsonObject().put("reason", reason).put("sessions", online);
        if (!online.getBoolean("faf") && !online.getBoolean("omega")) {
          return done(ctx, admin, "kick", target, details, 404, failure(404, "the player is not online"));
        }
        return done(ctx, admin, "kick", target, details, 200,
          new JsonObject().put("player", account.getInteger("id")).put("login", account.getString("login"))
            .put("kicked", online));
      });
    });
  }

  private Future<Void> ban(RoutingContext ctx, Admin admin) {
    JsonObject body = Rest.jsonBody(ctx);
    String target = ctx.pathParam("player");
    String reason = text(body, "reason");
    Object duration = body == null ? null : body.getValue("duration_seconds");
    if (reason == null || !(duration instanceof Number n) || n.doubleValue() != Math.floor(n.doubleValue())
      || n.longValue() < 1 || n.longValue() > MAX_BAN_SECONDS) {
      return refused(ctx, admin, "ban", target, 400, "body must be {\"duration_seconds\": 1 to " + MAX_BAN_SECONDS
        + ", \"reason\": \"1 to " + MAX_TEXT + " characters\"}");
    }
    long seconds = ((Number) duration).longValue();
    return account(ctx, admin, "ban").compose(account -> {
      if (account == null) {
        return Future.succeededFuture();
      }
      return pool.preparedQuery(INSERT_BAN)
        .execute(Tuple.of(account.getInteger("id"), admin.id(), reason, (double) seconds))
        .compose(rows -> {
          Row ban = rows.iterator().next();
          OffsetDateTime expires = ban.getOffsetDateTime("expires_at");
          String text = new dev.skirmish.common.Bans.Ban(reason, expires).text();
          return disconnect(account, Faf.errorNotice(text), text).compose(online -> done(ctx, admin, "ban", target,
            new JsonObject().put("reason", reason).put("duration_seconds", seconds).put("ban", ban.getInteger("id")),
            201, new JsonObject().put("ban", ban.getInteger("id")).put("player", account.getInteger("id"))
              .put("expires_at", expires.toString()).put("reason", reason).put("disconnected", online)));
        });
    });
  }

  private Future<Void> closeGame(RoutingContext ctx, Admin admin) {
    String target = ctx.pathParam("uid");
    long uid;
    try {
      uid = Long.parseLong(target);
    } catch (NumberFormatException e) {
      return refused(ctx, admin, "close_faf_game", target, 404, "no such open or live game");
    }
    JsonObject game = gw.presence().game(uid);
    if (game == null) {
      return refused(ctx, admin, "close_faf_game", target, 404, "no such open or live game");
    }
    Set<Integer> players = new LinkedHashSet<>();
    JsonObject audience = game.getJsonObject("audience", new JsonObject());
    if (audience.getValue("host") instanceof Number host) {
      players.add(host.intValue());
    }
    for (Object p : audience.getJsonArray("participants", new JsonArray())) {
      if (p instanceof Number n) {
        players.add(n.intValue());
      }
    }
    return gw.vertx().eventBus().<JsonObject>request(Addresses.GAMES_MEMBERS, new JsonObject().put("game", uid),
        gw.requestOptions())
      .map(reply -> reply.body().getJsonArray("players", new JsonArray()))
      .otherwise(new JsonArray())
      .compose(members -> {
        members.forEach(p -> {
          if (p instanceof Number n) {
            players.add(n.intValue());
          }
        });
        // As the admin closeFA command: each player's client is told to close the game (Forged Alliance).
        JsonObject kill = Faf.notice("kill", "An administrator has closed your game.");
        List<Future<Boolean>> sends = players.stream()
          .map(p -> Delivery.toSession(gw.vertx(), gw.fafSessions(), String.valueOf(p), kill.copy())).toList();
        return Future.join(sends).otherwiseEmpty().compose(v -> {
          JsonArray told = new JsonArray();
          for (int i = 0; i < sends.size(); i++) {
            if (sends.get(i).succeeded() && Boolean.TRUE.equals(sends.get(i).result())) {
              told.add(List.copyOf(players).get(i));
            }
          }
          return done(ctx, admin, "close_faf_game", target, new JsonObject().put("players", told), 200,
            new JsonObject().put("game", uid).put("told", told));
        });
      });
  }

  private Future<Void> closeLobby(RoutingContext ctx, Admin admin) {
    String ugi = ctx.pathParam("ugi");
    String lobby = ctx.pathParam("lobby");
    String target = ugi + "/" + lobby;
    if (!Ids.isUlid(ugi)) {
      return refused(ctx, admin, "close_omega_lobby", target, 404, "no such game");
    }
    JsonObject request = new JsonObject().put("action", "close_lobby").put("ugi", Ids.canonical(ugi))
      .put("lobby", lobby).put("admin", admin.id());
    return gw.vertx().eventBus().<JsonObject>request(Addresses.SIGNALING_ADMIN, request, gw.requestOptions())
      .compose(reply -> done(ctx, admin, "close_omega_lobby", target, reply.body(), 200,
          reply.body().copy().put("ugi", Ids.canonical(ugi))),
        err -> {
          int code = err instanceof ReplyException re && re.failureCode() == Failures.NOT_FOUND ? 404
            : err instanceof ReplyException re && re.failureCode() == Failures.BAD_REQUEST ? 400 : 503;
          return refused(ctx, admin, "close_omega_lobby", target, code,
            code == 503 ? "the signaling service did not answer" : err.getMessage());
        });
  }

  // ---- CL Omega games ----------------------------------------------------------------------------------

  private static JsonObject game(Row r) {
    JsonArray origins = new JsonArray();
    for (String o : r.getArrayOfStrings("origins")) {
      origins.add(o);
    }
    return new JsonObject().put("ugi", r.getString("id").trim()).put("name", r.getString("name"))
      .put("description", r.getString("description")).put("developer", r.getString("developer_id").trim())
      .put("developer_name", r.getString("developer")).put("origins", origins);
  }

  private Future<Void> listGames(RoutingContext ctx, Admin admin) {
    return pool.query(GAMES + " ORDER BY g.create_time").execute().map(rows -> {
      JsonArray list = new JsonArray();
      rows.forEach(r -> list.add(game(r)));
      Rest.json(ctx, 200, list);
      return null;
    });
  }

  private Future<JsonObject> gameById(String ugi) {
    return pool.preparedQuery(GAMES + " WHERE g.id = $1").execute(Tuple.of(ugi))
      .map(rows -> rows.size() == 0 ? null : game(rows.iterator().next()));
  }

  /** The developer id of a new game: the one named, or the operators' own (created on first use). */
  private Future<String> developer(Admin admin, String named) {
    if (named != null) {
      return pool.preparedQuery("SELECT id FROM developers WHERE id = $1").execute(Tuple.of(named))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("id").trim());
    }
    return pool.preparedQuery("SELECT id FROM developers WHERE name = $1 ORDER BY create_time LIMIT 1")
      .execute(Tuple.of(OPERATOR_DEVELOPER)).compose(rows -> {
        if (rows.size() > 0) {
          return Future.succeededFuture(rows.iterator().next().getString("id").trim());
        }
        String id = Ids.ulid();
        return pool.withTransaction(conn -> conn.preparedQuery("INSERT INTO developers (id, name) VALUES ($1, $2)")
          .execute(Tuple.of(id, OPERATOR_DEVELOPER))
          .compose(r -> conn.preparedQuery("INSERT INTO developer_members (developer_id, account_id) VALUES ($1, $2)")
            .execute(Tuple.of(id, admin.id())))).map(r -> id);
      });
  }

  private static final String GAME_FIELDS =
    "body must be {\"name\": \"1 to 100 characters\", \"description\"?: text, \"origins\"?: [\"https://example.com\", ...],"
      + " \"developer\"?: developer id}";

  private Future<Void> createGame(RoutingContext ctx, Admin admin) {
    JsonObject body = Rest.jsonBody(ctx);
    String name = body == null ? null : body.getValue("name") instanceof String s && !s.isBlank() && s.length() <= 100
      ? s.trim() : null;
    List<String> origins = body == null ? null : GamesRegistryApi.origins(body.getValue("origins"));
    Object description = body == null ? null : body.getValue("description");
    Object dev = body == null ? null : body.getValue("developer");
    if (name == null || origins == null || (description != null && !(description instanceof String))
      || (dev != null && !Ids.isUlid(dev))) {
      return refused(ctx, admin, "register_omega_game", null, 400, GAME_FIELDS);
    }
    String ugi = Ids.ulid();
    return developer(admin, dev == null ? null : Ids.canonical((String) dev)).compose(developer -> {
      if (developer == null) {
        return refused(ctx, admin, "register_omega_game", String.valueOf(dev), 404, "no such developer");
      }
      return pool.withTransaction(conn -> conn
          .preparedQuery("INSERT INTO games (id, developer_id, name, description) VALUES ($1, $2, $3, $4)")
          .execute(Tuple.of(ugi, developer, name, description))
          .compose(r -> GamesRegistryApi.insertOrigins(conn, ugi, origins)))
        .compose(v -> gameById(ugi))
        .compose(game -> done(ctx, admin, "register_omega_game", ugi, game, 201, game));
    });
  }

  private Future<Void> editGame(RoutingContext ctx, Admin admin) {
    String raw = ctx.pathParam("ugi");
    JsonObject body = Rest.jsonBody(ctx);
    if (!Ids.isUlid(raw)) {
      return refused(ctx, admin, "edit_omega_game", raw, 404, "no such game");
    }
    String ugi = Ids.canonical(raw);
    Object name = body == null ? null : body.getValue("name");
    Object description = body == null ? null : body.getValue("description");
    List<String> origins = body == null || body.getValue("origins") == null ? null
      : GamesRegistryApi.origins(body.getValue("origins"));
    boolean badName = name != null && (!(name instanceof String s) || s.isBlank() || s.length() > 100);
    boolean badOrigins = body != null && body.getValue("origins") != null && origins == null;
    if (body == null || badName || badOrigins || (description != null && !(description instanceof String))
      || (name == null && description == null && body.getValue("origins") == null)) {
      return refused(ctx, admin, "edit_omega_game", ugi, 400,
        "body must change at least one of {\"name\": \"1 to 100 characters\", \"description\": text, \"origins\": [...]}");
    }
    return gameById(ugi).compose(before -> {
      if (before == null) {
        return refused(ctx, admin, "edit_omega_game", ugi, 404, "no such game");
      }
      return pool.withTransaction(conn -> {
        Future<?> chain = Future.succeededFuture();
        if (name != null) {
          chain = chain.compose(v -> conn.preparedQuery("UPDATE games SET name = $2 WHERE id = $1")
            .execute(Tuple.of(ugi, ((String) name).trim())));
        }
        if (description != null) {
          chain = chain.compose(v -> conn.preparedQuery("UPDATE games SET description = $2 WHERE id = $1")
            .execute(Tuple.of(ugi, description)));
        }
        if (origins != null) {
          chain = chain.compose(v -> conn.preparedQuery("DELETE FROM games_authorized_origins WHERE game_id = $1")
            .execute(Tuple.of(ugi))).compose(v -> GamesRegistryApi.insertOrigins(conn, ugi, origins));
        }
        return chain;
      }).compose(v -> gameById(ugi)).compose(after -> done(ctx, admin, "edit_omega_game", ugi,
        new JsonObject().put("before", before).put("after", after), 200, after));
    });
  }
}
