package dev.skirmish.deploy;

import dev.skirmish.common.Ids;
import dev.skirmish.common.testing.TestAccounts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CORS on the CL Omega account endpoints over real HTTP: a browser game on an origin registered for a game
 * gets its preflight allowed and may read the answers of register and login; other origins get no CORS
 * headers; changing a game's origins through the registry takes effect at once, and origins written to the
 * database directly within CORS_ORIGINS_REFRESH_SECONDS.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class CorsTest {

  private static final String GAME_ORIGIN = "https://game-" + Ids.ulid().substring(16).toLowerCase() + ".example";
  private static final String LATER_ORIGIN = "http://later-" + Ids.ulid().substring(16).toLowerCase() + ".example:8080";
  private static final String UNKNOWN = "https://unknown.example";

  @RegisterExtension
  static final TestNode NODE = new TestNode("CORS_ORIGINS_REFRESH_SECONDS", "1", "CORS_MAX_AGE_SECONDS", "123",
    "AUTH_REQUESTS_PER_IP", "100000");

  private static TestAccounts.Account developer;
  private static String token;
  private static String ugi;

  /** A developer account registers a game whose only origin is GAME_ORIGIN, through the registry. */
  @BeforeAll
  static void registerGame() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
      developer = accounts.register("corsdev").await(1, TimeUnit.MINUTES);
      token = accounts.omegaToken(developer, null).await(1, TimeUnit.MINUTES);
      HttpResponse<Buffer> dev = accounts.web().post("/api/v0/developers").putHeader("Authorization", "Bearer " + token)
        .sendJsonObject(new JsonObject().put("name", "CORS Studio")).await(1, TimeUnit.MINUTES);
      HttpResponse<Buffer> game = accounts.web().post("/api/v0/developers/" + dev.bodyAsJsonObject().getString("id") + "/games")
        .putHeader("Authorization", "Bearer " + token)
        .sendJsonObject(new JsonObject().put("name", "CORS Game").put("origins", new JsonArray().add(GAME_ORIGIN)))
        .await(1, TimeUnit.MINUTES);
      if (game.statusCode() != 201) {
        throw new IllegalStateException("creating the game answered " + game.statusCode() + ": " + game.bodyAsString());
      }
      ugi = game.bodyAsJsonObject().getString("ugi");
    } finally {
      vertx.close().await(1, TimeUnit.MINUTES);
    }
  }

  private static WebClient web(Vertx vertx) {
    return new TestAccounts(vertx, NODE.httpPort()).web();
  }

  private static Future<HttpResponse<Buffer>> preflight(Vertx vertx, String path, String origin) {
    return web(vertx).request(HttpMethod.OPTIONS, path).putHeader("Origin", origin)
      .putHeader("Access-Control-Request-Method", "POST")
      .putHeader("Access-Control-Request-Headers", "content-type").send();
  }

  private static void assertAllowed(HttpResponse<Buffer> resp, String origin) {
    assertThat(resp.statusCode()).isEqualTo(204);
    assertThat(resp.getHeader("Access-Control-Allow-Origin")).isEqualTo(origin);
    assertThat(resp.getHeader("Access-Control-Allow-Methods")).contains("POST");
    assertThat(resp.getHeader("Access-Control-Allow-Headers")).containsIgnoringCase("content-type");
    assertThat(resp.getHeader("Access-Control-Max-Age")).isEqualTo("123");
    assertThat(resp.getHeader("Access-Control-Allow-Credentials")).isNull();
    assertThat(resp.headers().getAll("Vary")).contains("Origin");
  }

  private static void assertNoCors(HttpResponse<Buffer> resp) {
    for (String name : resp.headers().names()) {
      assertThat(name.toLowerCase()).as("CORS header").doesNotStartWith("access-control-");
    }
  }

  @Test
  @DisplayName("a preflight of login and register from a registered origin is allowed for POST with Content-Type, that origin only, no credentials")
  void preflightFromRegisteredOrigin(Vertx vertx, VertxTestContext ctx) {
    Future.all(preflight(vertx, "/api/v0/login", GAME_ORIGIN), preflight(vertx, "/api/v0/register", GAME_ORIGIN),
        preflight(vertx, "/api/login", GAME_ORIGIN), preflight(vertx, "/api/register", GAME_ORIGIN))
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        for (int i = 0; i < 4; i++) {
          assertAllowed(all.resultAt(i), GAME_ORIGIN);
        }
        ctx.completeNow();
      })));
  }

  @Test
  @DisplayName("a preflight from an unknown origin, a near miss of a registered one, or for another method gets no CORS headers")
  void preflightFromUnknownOrigin(Vertx vertx, VertxTestContext ctx) {
    Future.all(preflight(vertx, "/api/v0/login", UNKNOWN), preflight(vertx, "/api/v0/register", GAME_ORIGIN + "/"),
        preflight(vertx, "/api/v0/login", GAME_ORIGIN.replace("https:", "http:")),
        web(vertx).request(HttpMethod.OPTIONS, "/api/v0/login").putHeader("Origin", GAME_ORIGIN)
          .putHeader("Access-Control-Request-Method", "DELETE").send())
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        for (int i = 0; i < 4; i++) {
          HttpResponse<Buffer> resp = all.resultAt(i);
          assertThat(resp.statusCode()).isEqualTo(204);
          assertNoCors(resp);
        }
        ctx.completeNow();
      })));
  }

  @Test
  @DisplayName("an actual POST with a registered Origin may be read by the page (login 200 and a failed register); an unknown Origin's may not")
  void actualRequests(Vertx vertx, VertxTestContext ctx) {
    JsonObject login = new JsonObject().put("email", developer.email()).put("password", developer.password());
    WebClient web = web(vertx);
    Future.all(web.post("/api/v0/login").putHeader("Origin", GAME_ORIGIN).sendJsonObject(login),
        web.post("/api/v0/register").putHeader("Origin", GAME_ORIGIN).sendJsonObject(new JsonObject()),
        web.post("/api/v0/login").putHeader("Origin", UNKNOWN).sendJsonObject(login))
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        HttpResponse<Buffer> ok = all.resultAt(0);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(Ids.isUlid(ok.bodyAsString())).isTrue();
        assertThat(ok.getHeader("Access-Control-Allow-Origin")).isEqualTo(GAME_ORIGIN);
        assertThat(ok.getHeader("Access-Control-Allow-Credentials")).isNull();
        HttpResponse<Buffer> refused = all.resultAt(1);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.getHeader("Access-Control-Allow-Origin")).isEqualTo(GAME_ORIGIN);
        HttpResponse<Buffer> unknown = all.resultAt(2);
        assertThat(unknown.statusCode()).isEqualTo(200);
        assertNoCors(unknown);
        ctx.completeNow();
      })));
  }

  /** Preflights from {@code origin} until its allowance is {@code allowed}, a bounded number of times. */
  private static Future<HttpResponse<Buffer>> preflightUntil(Vertx vertx, String origin, boolean allowed, int attemptsLeft) {
    return preflight(vertx, "/api/v0/login", origin).compose(resp ->
      (resp.getHeader("Access-Control-Allow-Origin") != null) == allowed || attemptsLeft == 0
        ? Future.succeededFuture(resp)
        : vertx.timer(100, TimeUnit.MILLISECONDS).compose(t -> preflightUntil(vertx, origin, allowed, attemptsLeft - 1)));
  }

  @Test
  @DisplayName("new origins count at once when set through the registry, and after the refresh when written to the database directly")
  void originChanges(Vertx vertx, VertxTestContext ctx) {
    String direct = "https://direct-" + Ids.ulid().substring(16).toLowerCase() + ".example";
    web(vertx).put("/api/v0/games/" + ugi + "/origins").putHeader("Authorization", "Bearer " + token)
      .sendJsonObject(new JsonObject().put("origins", new JsonArray().add(GAME_ORIGIN).add(LATER_ORIGIN)))
      .compose(put -> {
        ctx.verify(() -> assertThat(put.statusCode()).isEqualTo(200));
        // the registry answered after this node re-read the origins: no wait
        return preflight(vertx, "/api/v0/register", LATER_ORIGIN);
      })
      .compose(resp -> {
        ctx.verify(() -> assertAllowed(resp, LATER_ORIGIN));
        return NODE.node().database().pool()
          .preparedQuery("INSERT INTO games_authorized_origins (game_id, origin) VALUES ($1, $2)")
          .execute(io.vertx.sqlclient.Tuple.of(ugi, direct));
      })
      // CORS_ORIGINS_REFRESH_SECONDS is 1: within 100 tries 100 ms apart the node reads the table again
      .compose(r -> preflightUntil(vertx, direct, true, 100))
      .onComplete(ctx.succeeding(resp -> ctx.verify(() -> {
        assertAllowed(resp, direct);
        ctx.completeNow();
      })));
  }
}
