package dev.skirmish.deploy;

import dev.skirmish.common.Ids;
import dev.skirmish.deploy.FafTestSupport.Player;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafTestSupport.isNotice;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin REST API over real HTTP against a node: who may call it (no token 401, a non-admin 403), each
 * action reaching real FAF and CL Omega sockets, the 400 and 404 answers, and the audit rows.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class AdminApiTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode();

  /** An FAF access token of a fresh account in the administrators' group, and that account's id. */
  record AdminToken(int id, String token) {
  }

  static Future<AdminToken> admin(Vertx vertx, Node node) {
    return FafTestSupport.account(vertx, node, "adm").compose(p -> grant(node, p.id(), "faf_server_administrators")
      .map(v -> new AdminToken(p.id(), p.token())));
  }

  static Future<Void> grant(Node node, int player, String group) {
    return node.database().pool()
      .preparedQuery("INSERT INTO user_group_assignment (user_id, group_id) SELECT $1, id FROM user_group WHERE technical_name = $2")
      .execute(Tuple.of(player, group)).mapEmpty();
  }

  static Future<HttpResponse<Buffer>> call(Vertx vertx, Node node, HttpMethod method, String path, String token,
                                           Object body) {
    HttpRequest<Buffer> req = WebClient.create(vertx).request(method, node.httpPort(), "127.0.0.1", path);
    if (token != null) {
      req.putHeader("Authorization", "Bearer " + token);
    }
    if (body == null) {
      return req.send();
    }
    return body instanceof JsonObject json ? req.sendJsonObject(json) : req.sendBuffer(Buffer.buffer(body.toString()));
  }

  private static Future<HttpResponse<Buffer>> call(Vertx vertx, HttpMethod method, String path, String token, Object body) {
    return call(vertx, NODE.node(), method, path, token, body);
  }

  /** A body the OpenAPI document refuses: 400 invalid_request in the REST error shape. */
  private static void invalidRequest(HttpResponse<Buffer> r) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("invalid_request");
    assertThat(r.bodyAsJsonObject().getString("error_description")).isNotBlank();
  }

  private static Future<JsonArray> audit(int admin, String action) {
    return NODE.node().database().pool()
      .preparedQuery("SELECT target, status, details FROM admin_audit WHERE admin_id = $1 AND action = $2 ORDER BY id")
      .execute(Tuple.of(admin, action)).map(rows -> {
        JsonArray list = new JsonArray();
        rows.forEach(r -> list.add(new JsonObject().put("target", r.getString("target")).put("status", r.getInteger("status"))
          .put("details", r.getJsonObject("details"))));
        return list;
      });
  }

  @Test
  @DisplayName("no token or a bad one: 401; a valid token of a non-admin: 403; an admin: 200 on /api/admin/me")
  void whoMayCall(Vertx vertx, VertxTestContext ctx) {
    Future<AdminToken> admin = admin(vertx, NODE.node());
    Future<Player> user = FafTestSupport.account(vertx, NODE.node(), "usr");
    Future.all(admin, user).compose(v -> Future.all(List.of(
        call(vertx, HttpMethod.GET, "/api/admin/me", null, null),
        call(vertx, HttpMethod.GET, "/api/admin/status", "not-a-jwt", null),
        call(vertx, HttpMethod.POST, "/api/admin/notices", user.result().token(), new JsonObject().put("text", "x")),
        call(vertx, HttpMethod.GET, "/api/admin/status", user.result().token(), null),
        call(vertx, HttpMethod.GET, "/api/admin/me", admin.result().token(), null))))
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        List<HttpResponse<Buffer>> r = all.list();
        assertThat(r.get(0).statusCode()).isEqualTo(401);
        assertThat(r.get(0).getHeader("WWW-Authenticate")).startsWith("Bearer");
        assertThat(r.get(1).statusCode()).isEqualTo(401);
        assertThat(r.get(2).statusCode()).isEqualTo(403);
        assertThat(r.get(2).bodyAsJsonObject().getString("error")).isEqualTo("forbidden");
        assertThat(r.get(2).bodyAsJsonObject().getString("error_description")).contains("not an administrator");
        assertThat(r.get(3).statusCode()).isEqualTo(403);
        assertThat(r.get(4).statusCode()).isEqualTo(200);
        assertThat(r.get(4).bodyAsJsonObject().getInteger("id")).isEqualTo(admin.result().id());
        ctx.completeNow();
      })));
  }

  @Test
  @DisplayName("a notice reaches every FAF client as an info notice and is audited; a bad body is the document's 400")
  void notice(Vertx vertx, VertxTestContext ctx) {
    String text = "Maintenance at noon " + Ids.ulid();
    admin(vertx, NODE.node()).compose(admin -> FafTestSupport.loggedIn(vertx, NODE.node(), "ntc").compose(p ->
      call(vertx, HttpMethod.POST, "/api/admin/notices", admin.token(), new JsonObject().put("text", 42))
        .compose(bad -> {
          ctx.verify(() -> invalidRequest(bad));
          return call(vertx, HttpMethod.POST, "/api/admin/notices", admin.token(), "{not json");
        })
        .compose(bad -> {
          ctx.verify(() -> invalidRequest(bad));
          return call(vertx, HttpMethod.POST, "/api/admin/notices", admin.token(), new JsonObject().put("text", text));
        })
        .compose(ok -> {
          ctx.verify(() -> assertThat(ok.statusCode()).isEqualTo(202));
          return p.client().inbox().next(m -> isNotice(m, "info") && text.equals(m.getString("text")), "the notice");
        })
        .compose(n -> audit(admin.id(), "notice"))
        .compose(rows -> {
          // the bad bodies were refused by the document's validation, before the handler (so not audited)
          ctx.verify(() -> assertThat(rows.stream().map(r -> ((JsonObject) r).getInteger("status")).toList())
            .containsExactly(202));
          return p.client().close();
        })))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("kick: the FAF client gets a kick notice and is disconnected; unknown or offline players are 404")
  void kick(Vertx vertx, VertxTestContext ctx) {
    admin(vertx, NODE.node()).compose(admin -> FafTestSupport.loggedIn(vertx, NODE.node(), "kck").compose(p ->
      call(vertx, HttpMethod.POST, "/api/admin/players/999999999/kick", admin.token(), new JsonObject())
        .compose(r -> {
          ctx.verify(() -> assertThat(r.statusCode()).isEqualTo(404));
          return call(vertx, HttpMethod.POST, "/api/admin/players/abc/kick", admin.token(), null);
        })
        .compose(r -> {
          ctx.verify(() -> assertThat(r.statusCode()).isEqualTo(404));
          return call(vertx, HttpMethod.POST, "/api/admin/players/" + p.id() + "/kick", admin.token(),
            new JsonObject().put("reason", 7));
        })
        .compose(r -> {
          ctx.verify(() -> invalidRequest(r));
          return call(vertx, HttpMethod.POST, "/api/admin/players/" + p.id() + "/kick", admin.token(),
            new JsonObject().put("reason", "spamming"));
        })
        .compose(r -> {
          ctx.verify(() -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.bodyAsJsonObject().getJsonObject("kicked").getBoolean("faf")).isTrue();
          });
          return p.client().expectNotice("kick");
        })
        .compose(n -> {
          ctx.verify(() -> assertThat(n.getString("text")).isEqualTo("spamming"));
          return p.client().expectClosed();
        })
        .compose(v -> FafTestSupport.account(vertx, NODE.node(), "off"))
        .compose(offline -> call(vertx, HttpMethod.POST, "/api/admin/players/" + offline.id() + "/kick", admin.token(), null))
        .compose(r -> {
          ctx.verify(() -> assertThat(r.statusCode()).isEqualTo(404));
          return audit(admin.id(), "kick");
        })
        .map(rows -> {
          ctx.verify(() -> {
            assertThat(rows.stream().map(r -> ((JsonObject) r).getInteger("status")).toList())
              .containsExactly(404, 404, 200, 404);
            assertThat(rows.getJsonObject(2).getString("target")).isEqualTo(String.valueOf(p.id()));
          });
          return null;
        })))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("ban: stores a GLOBAL ban with its expiry, disconnects the player with the ban text, and the next login is refused")
  void ban(Vertx vertx, VertxTestContext ctx) {
    admin(vertx, NODE.node()).compose(admin -> FafTestSupport.loggedIn(vertx, NODE.node(), "ban").compose(p ->
      call(vertx, HttpMethod.POST, "/api/admin/players/" + p.id() + "/bans", admin.token(),
        new JsonObject().put("duration_seconds", 0).put("reason", "cheating"))
        .compose(r -> {
          ctx.verify(() -> assertThat(r.statusCode()).isEqualTo(400));
          return call(vertx, HttpMethod.POST, "/api/admin/players/" + p.id() + "/bans", admin.token(),
            new JsonObject().put("duration_seconds", 3600));
        })
        .compose(r -> {
          ctx.verify(() -> assertThat(r.statusCode()).isEqualTo(400));
          return call(vertx, HttpMethod.POST, "/api/admin/players/999999999/bans", admin.token(),
            new JsonObject().put("duration_seconds", 3600).put("reason", "cheating"));
        })
        .compose(r -> {
          ctx.verify(() -> assertThat(r.statusCode()).isEqualTo(404));
          return call(vertx, HttpMethod.POST, "/api/admin/players/" + p.id() + "/bans", admin.token(),
            new JsonObject().put("duration_seconds", 3600).put("reason", "cheating"));
        })
        .compose(r -> {
          ctx.verify(() -> assertThat(r.statusCode()).isEqualTo(201));
          return p.client().expectNotice("error");
        })
        .compose(n -> {
          ctx.verify(() -> assertThat(n.getString("text")).contains("banned").contains("cheating"));
          return p.client().expectClosed();
        })
        .compose(v -> NODE.node().database().pool()
          .preparedQuery("SELECT author_id, level, expires_at > now() + interval '50 minutes' AS later FROM ban WHERE player_id = $1")
          .execute(Tuple.of(p.id())))
        .compose(rows -> {
          ctx.verify(() -> {
            assertThat(rows.size()).isEqualTo(1);
            assertThat(rows.iterator().next().getInteger("author_id")).isEqualTo(admin.id());
            assertThat(rows.iterator().next().getString("level")).isEqualTo("GLOBAL");
            assertThat(rows.iterator().next().getBoolean("later")).isTrue();
          });
          return dev.skirmish.common.testing.FafClient.webSocket(vertx, NODE.httpPort());
        })
        .compose(again -> {
          again.send(FafTestSupport.auth(p.token()));
          return again.expectNotice("error").compose(n -> again.expectClosed());
        })))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("closing a FAF game sends its players a kill notice; an unknown game is 404")
  void closeFafGame(Vertx vertx, VertxTestContext ctx) {
    admin(vertx, NODE.node()).compose(admin -> FafTestSupport.loggedIn(vertx, NODE.node(), "gh").compose(host ->
      call(vertx, HttpMethod.POST, "/api/admin/faf/games/987654321/close", admin.token(), null)
        .compose(r -> {
          ctx.verify(() -> assertThat(r.statusCode()).isEqualTo(404));
          return FafGameKit.hostOpen(host, "closed by admin");
        })
        .compose(uid -> host.client().inbox().next(FafGameKit.gameInfo(uid, "open"), "the game's game_info")
          // the gateway's presence knows the game once its own game_info tick has passed
          .compose(info -> call(vertx, HttpMethod.POST, "/api/admin/faf/games/" + uid + "/close", admin.token(), null)))
        .compose(r -> {
          ctx.verify(() -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.bodyAsJsonObject().getJsonArray("told")).contains(host.id());
          });
          return host.client().expectNotice("kill");
        })
        .compose(n -> host.client().close())))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("closing a CL Omega lobby sends its members LOBBY_CLOSE; an unknown lobby or game is 404")
  void closeOmegaLobby(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String lobby = OmegaLobbyKit.lobbyName("adm");
    admin(vertx, NODE.node()).compose(admin -> kit.newGame().compose(ugi -> kit.players(ugi, "oh", "op")
      .compose(ps -> kit.hostAnnounced(ps.get(0), OmegaLobbyKit.hostConfig(lobby), ps.get(1))
        .compose(v -> kit.join(ps.get(1), lobby, ps.get(0), List.of()))
        .compose(v -> call(vertx, HttpMethod.POST, "/api/admin/omega/games/" + ugi + "/lobbies/nope/close", admin.token(), null))
        .compose(r -> {
          ctx.verify(() -> assertThat(r.statusCode()).isEqualTo(404));
          return call(vertx, HttpMethod.POST, "/api/admin/omega/games/not-a-ugi/lobbies/" + lobby + "/close", admin.token(), null);
        })
        .compose(r -> {
          ctx.verify(() -> assertThat(r.statusCode()).isEqualTo(404));
          return call(vertx, HttpMethod.POST, "/api/admin/omega/games/" + ugi + "/lobbies/" + lobby + "/close", admin.token(), null);
        })
        .compose(r -> {
          ctx.verify(() -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.bodyAsJsonObject().getInteger("members")).isEqualTo(2);
          });
          return Future.all(kit.next(ps.get(0), OmegaLobbyKit.packet("LOBBY_CLOSE", lobby)),
            kit.next(ps.get(1), OmegaLobbyKit.packet("LOBBY_CLOSE", lobby)));
        })
        .compose(v -> audit(admin.id(), "close_omega_lobby"))
        .map(rows -> {
          ctx.verify(() -> assertThat(rows.stream().map(r -> ((JsonObject) r).getInteger("status")).toList())
            .containsExactly(404, 404, 200));
          return null;
        })))
      .eventually(() -> kit.closeAll()))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("CL Omega games: register (400 on bad bodies), edit name and origins (404 unknown), list")
  void omegaGames(Vertx vertx, VertxTestContext ctx) {
    admin(vertx, NODE.node()).compose(admin ->
      call(vertx, HttpMethod.POST, "/api/admin/omega/games", admin.token(), new JsonObject().put("origins", "x"))
        .compose(r -> {
          ctx.verify(() -> assertThat(r.statusCode()).isEqualTo(400));
          return call(vertx, HttpMethod.POST, "/api/admin/omega/games", admin.token(), new JsonObject()
            .put("name", "Operator Game").put("origins", new JsonArray().add("https://games.example.com")));
        })
        .compose(r -> {
          ctx.verify(() -> {
            assertThat(r.statusCode()).isEqualTo(201);
            assertThat(r.bodyAsJsonObject().getString("developer_name")).isEqualTo("Operators");
          });
          String ugi = r.bodyAsJsonObject().getString("ugi");
          return call(vertx, HttpMethod.PATCH, "/api/admin/omega/games/" + ugi, admin.token(), new JsonObject()
            .put("origins", new JsonArray().add("ftp://nope")))
            .compose(bad -> {
              ctx.verify(() -> assertThat(bad.statusCode()).isEqualTo(400));
              return call(vertx, HttpMethod.PATCH, "/api/admin/omega/games/" + Ids.ulid(), admin.token(),
                new JsonObject().put("name", "Ghost"));
            })
            .compose(missing -> {
              ctx.verify(() -> assertThat(missing.statusCode()).isEqualTo(404));
              return call(vertx, HttpMethod.PATCH, "/api/admin/omega/games/" + ugi, admin.token(), new JsonObject()
                .put("name", "Renamed Game").put("origins", new JsonArray().add("http://localhost:3000")));
            })
            .compose(edited -> {
              ctx.verify(() -> {
                assertThat(edited.statusCode()).isEqualTo(200);
                assertThat(edited.bodyAsJsonObject().getString("name")).isEqualTo("Renamed Game");
                assertThat(edited.bodyAsJsonObject().getJsonArray("origins")).containsExactly("http://localhost:3000");
              });
              return call(vertx, HttpMethod.GET, "/api/admin/omega/games", admin.token(), null);
            })
            .map(list -> {
              ctx.verify(() -> assertThat(list.bodyAsJsonArray().stream()
                .anyMatch(g -> ugi.equals(((JsonObject) g).getString("ugi")))).isTrue());
              return null;
            });
        }))
      .onComplete(ctx.succeedingThenComplete());
  }
}
