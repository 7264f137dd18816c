package dev.skirmish.deploy;

import dev.skirmish.common.Ids;
import dev.skirmish.common.testing.OmegaClient;
import dev.skirmish.common.testing.TestAccounts;
import dev.skirmish.deploy.OmegaLobbyKit.Player;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.OmegaLobbyKit.hostConfig;
import static dev.skirmish.deploy.OmegaLobbyKit.lobbyName;
import static dev.skirmish.deploy.OmegaSupport.path;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The self-service games registry: developers, games (UGIs) and their allowed origins, authenticated
 * with CL Omega session tokens; a registered game is playable at once and its origins are enforced.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class OmegaRegistryApiTest {

  private static final String PLAY = "https://play.example";
  private static final String DEV = "http://localhost:3000";

  @RegisterExtension
  static final TestNode NODE = new TestNode();

  /** A registered account and a CL Omega session token of it. */
  private record Caller(TestAccounts accounts, TestAccounts.Account account, String token) {
  }

  private static Future<Caller> caller(Vertx vertx, String prefix) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    return accounts.register(prefix).compose(a -> accounts.omegaToken(a, null).map(t -> new Caller(accounts, a, t)));
  }

  private static HttpRequest<Buffer> request(Caller c, HttpMethod method, String uri, String authorization) {
    HttpRequest<Buffer> req = c.accounts().web().request(method, uri);
    if (authorization != null) {
      req.putHeader("Authorization", authorization);
    }
    return req;
  }

  /** Sends {@code body} (a JsonObject, any other JSON value, raw text, or null for none) with the caller's token. */
  private static Future<HttpResponse<Buffer>> call(Caller c, HttpMethod method, String uri, Object body) {
    return send(request(c, method, uri, "Bearer " + c.token()), body);
  }

  private static Future<HttpResponse<Buffer>> send(HttpRequest<Buffer> req, Object body) {
    if (body == null) {
      return req.send();
    }
    if (body instanceof String raw) {
      return req.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(raw));
    }
    return req.putHeader("Content-Type", "application/json")
      .sendBuffer(Buffer.buffer(body instanceof JsonObject o ? o.encode() : ((JsonArray) body).encode()));
  }

  /** Expects {@code status} and, for errors, a JSON body {@code {"error": "..."}}. */
  private static Future<HttpResponse<Buffer>> expect(OmegaLobbyKit kit, Future<HttpResponse<Buffer>> response, int status,
                                                    String what) {
    return response.compose(r -> kit.check(() -> {
      assertThat(r.statusCode()).as("%s: %s", what, r.bodyAsString()).isEqualTo(status);
      if (status >= 400) {
        assertThat(r.getHeader("Content-Type")).as(what).startsWith("application/json");
        assertThat(r.bodyAsJsonObject().getString("error")).as(what).isNotBlank();
      }
    }).map(v -> r));
  }

  private static Future<JsonObject> createDeveloper(OmegaLobbyKit kit, Caller c, String name) {
    return expect(kit, call(c, HttpMethod.POST, "/api/v0/developers", new JsonObject().put("name", name)), 201,
      "create developer").map(HttpResponse::bodyAsJsonObject);
  }

  private static Future<JsonObject> createGame(OmegaLobbyKit kit, Caller c, String developer, JsonObject body) {
    return expect(kit, call(c, HttpMethod.POST, "/api/v0/developers/" + developer + "/games", body), 201,
      "create game").map(HttpResponse::bodyAsJsonObject);
  }

  private static Future<JsonArray> listGames(OmegaLobbyKit kit, Caller c) {
    return expect(kit, call(c, HttpMethod.GET, "/api/v0/games", null), 200, "list games")
      .map(HttpResponse::bodyAsJsonArray);
  }

  /** Expects the WebSocket upgrade from {@code origin} to be refused with 403. */
  private static Future<Void> refused(OmegaLobbyKit kit, Vertx vertx, String ugi, String origin) {
    return OmegaClient.connect(vertx, NODE.httpPort(), path(ugi), origin).transform(ar -> kit.check(() -> {
      assertThat(ar.succeeded()).as("upgrade from %s should be refused", origin).isFalse();
      assertThat(ar.cause()).isInstanceOf(UpgradeRejectedException.class);
      assertThat(((UpgradeRejectedException) ar.cause()).getStatus()).isEqualTo(403);
    }));
  }

  /**
   * Connects from {@code origin} and INITs with a fresh token of {@code c} (retrying while the server has
   * not yet processed the close of the account's previous socket); returns INIT_OK's payload.
   */
  private static Future<JsonObject> initFrom(Vertx vertx, Caller c, String ugi, String origin) {
    return c.accounts().omegaToken(c.account(), null).compose(token ->
      OmegaClient.connect(vertx, NODE.httpPort(), path(ugi), origin).compose(client ->
        OmegaSupport.initOnceFree(vertx, client, token, 100)
        .compose(ok -> client.close().compose(v -> client.expectClosed()).map(ok.getJsonObject("payload")))));
  }

  @Test
  @DisplayName("every endpoint answers 401 without a token, with a malformed, unknown or expired one, or another scheme")
  void unauthenticated(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    caller(vertx, "reg401").compose(c -> c.accounts().omegaToken(c.account(), null).compose(expired -> NODE.node().database()
      .pool().preparedQuery("UPDATE sessions SET expires = now() - interval '1 second' WHERE id = $1")
      .execute(Tuple.of(expired)).compose(r -> {
        String ulid = Ids.ulid();
        List<Object[]> endpoints = List.of(
          new Object[] {HttpMethod.POST, "/api/v0/developers", new JsonObject().put("name", "x")},
          new Object[] {HttpMethod.GET, "/api/v0/developers", null},
          new Object[] {HttpMethod.POST, "/api/v0/developers/" + ulid + "/games", new JsonObject().put("name", "x")},
          new Object[] {HttpMethod.GET, "/api/v0/games", null},
          new Object[] {HttpMethod.PUT, "/api/v0/games/" + ulid + "/origins", new JsonObject().put("origins", new JsonArray())},
          new Object[] {HttpMethod.DELETE, "/api/v0/games/" + ulid, null});
        List<String> authorizations = new ArrayList<>();
        authorizations.add(null);
        authorizations.add("Bearer");
        authorizations.add("Bearer not-a-token");
        authorizations.add("Bearer " + Ids.ulid());
        authorizations.add("Bearer " + expired);
        authorizations.add(c.token());
        authorizations.add("Basic " + java.util.Base64.getEncoder().encodeToString((c.account().username() + ":"
          + c.account().password()).getBytes()));
        Future<?> chain = Future.succeededFuture();
        for (Object[] e : endpoints) {
          for (String auth : authorizations) {
            chain = chain.compose(v -> expect(kit, send(request(c, (HttpMethod) e[0], (String) e[1], auth), e[2]), 401,
              e[0] + " " + e[1] + " with " + auth));
          }
        }
        // the same token works once presented properly, even with a lower-case scheme
        return chain.compose(v -> expect(kit, send(request(c, HttpMethod.GET, "/api/v0/developers",
          "bearer " + c.token().toLowerCase()), null), 200, "lower-case bearer"));
      }))).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("developers: POST creates one (201 {id, name}) the caller is a member of; GET lists only the caller's")
  void developers(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    Future.all(caller(vertx, "regdev"), caller(vertx, "regoth")).compose(all -> {
      Caller c = all.resultAt(0);
      Caller other = all.resultAt(1);
      return createDeveloper(kit, c, "  Studio One ")
        .compose(one -> kit.check(() -> {
          assertThat(one.fieldNames()).containsExactlyInAnyOrder("id", "name");
          assertThat(Ids.isUlid(one.getString("id"))).isTrue();
          assertThat(one.getString("name")).isEqualTo("Studio One");
        }).compose(v -> createDeveloper(kit, c, "Studio Two"))
          .compose(two -> expect(kit, call(c, HttpMethod.GET, "/api/v0/developers", null), 200, "list")
            .compose(r -> kit.check(() -> assertThat(r.bodyAsJsonArray()).isEqualTo(new JsonArray().add(one).add(two))))))
        .compose(v -> expect(kit, call(other, HttpMethod.GET, "/api/v0/developers", null), 200, "other's list"))
        .compose(r -> kit.check(() -> assertThat(r.bodyAsJsonArray()).isEmpty()))
        .compose(v -> expect(kit, call(c, HttpMethod.POST, "/api/v0/developers", new JsonObject()), 400, "no name"))
        .compose(v -> expect(kit, call(c, HttpMethod.POST, "/api/v0/developers", new JsonObject().put("name", "  ")), 400,
          "blank name"))
        .compose(v -> expect(kit, call(c, HttpMethod.POST, "/api/v0/developers", new JsonObject().put("name", 5)), 400,
          "numeric name"))
        .compose(v -> expect(kit, call(c, HttpMethod.POST, "/api/v0/developers",
          new JsonObject().put("name", "n".repeat(101))), 400, "long name"))
        .compose(v -> expect(kit, call(c, HttpMethod.POST, "/api/v0/developers", "{\"name\": "), 400, "malformed JSON"))
        .compose(v -> expect(kit, call(c, HttpMethod.POST, "/api/v0/developers", new JsonArray().add("x")), 400,
          "array body"))
        .compose(v -> expect(kit, call(c, HttpMethod.POST, "/api/v0/developers", null), 400, "no body"))
        // none of those created anything
        .compose(v -> expect(kit, call(c, HttpMethod.GET, "/api/v0/developers", null), 200, "list again"))
        .compose(r -> kit.check(() -> assertThat(r.bodyAsJsonArray()).hasSize(2)));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a registered game is playable at once, its origins are enforced and can be changed, and DELETE retires it")
  void gameLifecycle(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String room = lobbyName("registry");
    Future.all(caller(vertx, "reggam"), caller(vertx, "regpla")).compose(all -> {
      Caller c = all.resultAt(0);
      Caller player = all.resultAt(1);
      return createDeveloper(kit, c, "Lifecycle Studio").compose(dev -> createGame(kit, c, dev.getString("id"),
          new JsonObject().put("name", "Lifecycle Game").put("description", "a test game")
            .put("origins", new JsonArray().add(PLAY).add(DEV).add(PLAY)))
        .compose(game -> {
          String ugi = game.getString("ugi");
          return kit.check(() -> {
              assertThat(Ids.isUlid(ugi)).isTrue();
              assertThat(game).isEqualTo(new JsonObject().put("ugi", ugi).put("name", "Lifecycle Game")
                .put("developer", dev.getString("id")).put("origins", new JsonArray().add(PLAY).add(DEV)));
            })
            .compose(v -> listGames(kit, c))
            .compose(list -> kit.check(() -> assertThat(list).isEqualTo(new JsonArray().add(new JsonObject()
              .put("ugi", ugi).put("name", "Lifecycle Game").put("description", "a test game")
              .put("developer", dev.getString("id")).put("developer_name", "Lifecycle Studio")
              .put("origins", new JsonArray().add(DEV).add(PLAY))))))
            .compose(v -> listGames(kit, player))
            .compose(list -> kit.check(() -> assertThat(list).isEmpty()))
            // playable at once from an allowed origin; INIT_OK names the game and its developer
            .compose(v -> initFrom(vertx, player, ugi, PLAY))
            .compose(ok -> kit.check(() -> assertThat(ok).isEqualTo(new JsonObject().put("user", player.account().username())
              .put("id", ok.getString("id")).put("game", "Lifecycle Game").put("developer", "Lifecycle Studio"))))
            .compose(v -> initFrom(vertx, player, ugi, DEV))
            .compose(v -> refused(kit, vertx, ugi, "https://evil.example"))
            .compose(v -> refused(kit, vertx, ugi, null))
            // new origins replace the old ones at once
            .compose(v -> expect(kit, call(c, HttpMethod.PUT, "/api/v0/games/" + ugi.toLowerCase() + "/origins",
              new JsonObject().put("origins", new JsonArray().add("https://other.example:8443"))), 200, "set origins"))
            .compose(r -> kit.check(() -> assertThat(r.bodyAsJsonObject()).isEqualTo(new JsonObject().put("ugi", ugi)
              .put("origins", new JsonArray().add("https://other.example:8443")))))
            .compose(v -> refused(kit, vertx, ugi, PLAY))
            .compose(v -> initFrom(vertx, player, ugi, "https://other.example:8443"))
            // no origins: any page may connect, and lobbies work in the new game
            .compose(v -> expect(kit, call(c, HttpMethod.PUT, "/api/v0/games/" + ugi + "/origins",
              new JsonObject().put("origins", new JsonArray())), 200, "clear origins"))
            .compose(v -> kit.players(ugi, "regh", "regp"))
            .compose(ps -> {
              Player h = ps.get(0);
              Player p = ps.get(1);
              return kit.host(h, hostConfig(room))
                .compose(v -> kit.next(p, OmegaLobbyKit.packet("NEW_HOST", h.who().put("lobby_id", room))))
                .compose(v -> kit.join(p, room, h, List.of()))
                .compose(v -> kit.relay(h, p, "MAKE_OFFER", "v=0\r\n"))
                .compose(v -> kit.closeAll());
            })
            // deleted: gone from the list, no longer playable, and a second DELETE finds nothing
            .compose(v -> expect(kit, call(c, HttpMethod.DELETE, "/api/v0/games/" + ugi, null), 204, "delete"))
            .compose(v -> listGames(kit, c))
            .compose(list -> kit.check(() -> assertThat(list).isEmpty()))
            .compose(v -> OmegaClient.connect(vertx, NODE.httpPort(), ugi))
            .compose(client -> client.next().compose(m -> kit.check(() -> assertThat(m).isEqualTo(new JsonObject()
              .put("opcode", "VIOLATION").put("payload", "game not found")))).compose(v -> client.expectClosed()))
            .compose(v -> expect(kit, call(c, HttpMethod.DELETE, "/api/v0/games/" + ugi, null), 404, "delete again"))
            .compose(v -> expect(kit, call(c, HttpMethod.PUT, "/api/v0/games/" + ugi + "/origins",
              new JsonObject().put("origins", new JsonArray())), 404, "origins of a deleted game"));
        }));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("other accounts' developers and games are 404 to every endpoint and stay untouched")
  void othersAreNotFound(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    Future.all(caller(vertx, "regown"), caller(vertx, "regint")).compose(all -> {
      Caller owner = all.resultAt(0);
      Caller intruder = all.resultAt(1);
      return createDeveloper(kit, owner, "Owned Studio").compose(dev -> createGame(kit, owner, dev.getString("id"),
          new JsonObject().put("name", "Owned Game").put("origins", new JsonArray().add(PLAY)))
        .compose(game -> {
          String ugi = game.getString("ugi");
          JsonObject origins = new JsonObject().put("origins", new JsonArray().add("https://intruder.example"));
          return expect(kit, call(intruder, HttpMethod.POST, "/api/v0/developers/" + dev.getString("id") + "/games",
              new JsonObject().put("name", "Sneaky")), 404, "game under another's developer")
            .compose(v -> expect(kit, call(intruder, HttpMethod.PUT, "/api/v0/games/" + ugi + "/origins", origins), 404,
              "another's origins"))
            .compose(v -> expect(kit, call(intruder, HttpMethod.DELETE, "/api/v0/games/" + ugi, null), 404,
              "another's game"))
            .compose(v -> expect(kit, call(owner, HttpMethod.POST, "/api/v0/developers/" + Ids.ulid() + "/games",
              new JsonObject().put("name", "Nowhere")), 404, "unknown developer"))
            .compose(v -> expect(kit, call(owner, HttpMethod.POST, "/api/v0/developers/studio/games",
              new JsonObject().put("name", "Nowhere")), 404, "malformed developer id"))
            .compose(v -> expect(kit, call(owner, HttpMethod.PUT, "/api/v0/games/" + Ids.ulid() + "/origins", origins),
              404, "unknown game"))
            .compose(v -> expect(kit, call(owner, HttpMethod.DELETE, "/api/v0/games/not-a-game", null), 404,
              "malformed game id"))
            .compose(v -> listGames(kit, intruder))
            .compose(list -> kit.check(() -> assertThat(list).isEmpty()))
            .compose(v -> listGames(kit, owner))
            .compose(list -> kit.check(() -> {
              assertThat(list).hasSize(1);
              assertThat(list.getJsonObject(0).getString("ugi")).isEqualTo(ugi);
              assertThat(list.getJsonObject(0).getJsonArray("origins")).isEqualTo(new JsonArray().add(PLAY));
            }))
            .compose(v -> initFrom(vertx, intruder, ugi, PLAY))
            .compose(v -> refused(kit, vertx, ugi, "https://intruder.example"));
        }));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("bad game bodies and origins are 400 and change nothing")
  void badBodies(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    caller(vertx, "regbad").compose(c -> createDeveloper(kit, c, "Strict Studio").compose(dev -> {
      String games = "/api/v0/developers/" + dev.getString("id") + "/games";
      List<Object[]> badGames = List.of(
        new Object[] {new JsonObject(), "no name"},
        new Object[] {new JsonObject().put("name", ""), "empty name"},
        new Object[] {new JsonObject().put("name", "g".repeat(101)), "long name"},
        new Object[] {new JsonObject().put("name", 3), "numeric name"},
        new Object[] {new JsonObject().put("name", "G").put("description", 5), "numeric description"},
        new Object[] {new JsonObject().put("name", "G").put("origins", PLAY), "origins not a list"},
        new Object[] {new JsonObject().put("name", "G").put("origins", new JsonArray().add(5)), "numeric origin"},
        new Object[] {new JsonObject().put("name", "G").put("origins", new JsonArray().add("ftp://x.example")), "ftp"},
        new Object[] {new JsonObject().put("name", "G").put("origins", new JsonArray().add("https://x.example/")), "path /"},
        new Object[] {new JsonObject().put("name", "G").put("origins", new JsonArray().add("https://x.example/game")), "path"},
        new Object[] {new JsonObject().put("name", "G").put("origins", new JsonArray().add("x.example")), "no scheme"},
        new Object[] {new JsonObject().put("name", "G").put("origins", new JsonArray().add("https://u@x.example")), "user"},
        new Object[] {new JsonObject().put("name", "G").put("origins", new JsonArray().add("https://x.example?a=b")), "query"},
        new Object[] {new JsonObject().put("name", "G").put("origins", new JsonArray().add("https://")), "no host"},
        new Object[] {new JsonObject().put("name", "G").put("origins",
          new JsonArray().add("https://" + "a".repeat(250) + ".example")), "origin over 255 characters"},
        new Object[] {"{\"name\": \"G\"", "malformed JSON"});
      Future<?> chain = Future.succeededFuture();
      for (Object[] bad : badGames) {
        chain = chain.compose(v -> expect(kit, call(c, HttpMethod.POST, games, bad[0]), 400, "create: " + bad[1]));
      }
      return chain.compose(v -> listGames(kit, c))
        .compose(list -> kit.check(() -> assertThat(list).as("games after bad creates").isEmpty()))
        .compose(v -> createGame(kit, c, dev.getString("id"), new JsonObject().put("name", "Strict Game")
          .put("origins", new JsonArray().add(PLAY))))
        .compose(game -> {
          String origins = "/api/v0/games/" + game.getString("ugi") + "/origins";
          List<Object[]> badOrigins = List.of(
            new Object[] {new JsonObject(), "no origins key"},
            new Object[] {new JsonObject().putNull("origins"), "null origins"},
            new Object[] {null, "no body"},
            new Object[] {new JsonObject().put("origins", PLAY), "not a list"},
            new Object[] {new JsonObject().put("origins", new JsonArray().add(DEV).add("https://x.example/")), "one bad"},
            new Object[] {new JsonObject().put("origins", new JsonArray().add("https://" + "b".repeat(250) + ".example")),
              "too long"},
            new Object[] {"[\"" + DEV + "\"]", "array body"},
            new Object[] {"{\"origins\": [", "malformed JSON"});
          Future<?> puts = Future.succeededFuture();
          for (Object[] bad : badOrigins) {
            puts = puts.compose(v -> expect(kit, call(c, HttpMethod.PUT, origins, bad[0]), 400, "origins: " + bad[1]));
          }
          return puts.compose(v -> listGames(kit, c)).compose(list -> kit.check(() ->
            assertThat(list.getJsonObject(0).getJsonArray("origins")).as("origins after bad updates")
              .isEqualTo(new JsonArray().add(PLAY))));
        });
    })).onComplete(ctx.succeedingThenComplete());
  }
}
