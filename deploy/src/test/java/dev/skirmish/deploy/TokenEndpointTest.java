package dev.skirmish.deploy;

import dev.skirmish.common.testing.FafClient;
import dev.skirmish.common.testing.TestAccounts;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The FAF OAuth2 password grant at /oauth2/token and the JWKS at /.well-known/jwks.json. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class TokenEndpointTest {

  private static final int LIFETIME = 1234;

  @RegisterExtension
  @Order(1)
  static final TestNode NODE = new TestNode("JWT_LIFETIME_SECONDS", String.valueOf(LIFETIME));
  /** A second node on the same database, with default settings. */
  @RegisterExtension
  @Order(2)
  static final TestNode OTHER_NODE = new TestNode();

  private static Future<HttpResponse<Buffer>> post(TestAccounts accounts, MultiMap form) {
    return accounts.web().post("/oauth2/token").sendForm(form);
  }

  private static MultiMap form(String... keyValues) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < keyValues.length; i += 2) {
      form.add(keyValues[i], keyValues[i + 1]);
    }
    return form;
  }

  private static JsonObject part(String jwt, int index) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]), StandardCharsets.UTF_8));
  }

  private static void assertOauthError(HttpResponse<Buffer> resp, String error) {
    assertThat(resp.statusCode()).isEqualTo(400);
    assertThat(resp.getHeader("Content-Type")).startsWith("application/json");
    assertThat(resp.bodyAsJsonObject().getString("error")).isEqualTo(error);
    assertThat(resp.bodyAsJsonObject().containsKey("access_token")).isFalse();
  }

  @Test
  @DisplayName("the password grant answers {access_token, token_type Bearer, expires_in, scope} with an RS256 JWT")
  void successShape(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    accounts.register("tok").compose(account -> FafTestSupport.playerId(NODE.node(), account.username())
        .compose(id -> accounts.tokenResponse(account.username(), account.password(), "lobby").map(resp -> {
          ctx.verify(() -> {
            assertThat(resp.statusCode()).isEqualTo(200);
            assertThat(resp.getHeader("Content-Type")).startsWith("application/json");
            assertThat(resp.getHeader("Cache-Control")).isEqualTo("no-store");
            JsonObject body = resp.bodyAsJsonObject();
            assertThat(body.fieldNames()).containsExactlyInAnyOrder("access_token", "token_type", "expires_in", "scope");
            assertThat(body.getString("token_type")).isEqualTo("Bearer");
            assertThat(body.getValue("expires_in")).isEqualTo(LIFETIME);
            assertThat(body.getString("scope")).isEqualTo("lobby");
            String jwt = body.getString("access_token");
            JsonObject header = part(jwt, 0);
            JsonObject claims = part(jwt, 1);
            assertThat(header.getString("alg")).isEqualTo("RS256");
            assertThat(claims.getString("sub")).isEqualTo(String.valueOf(id));
            assertThat(claims.getJsonArray("scp")).containsExactly("lobby");
            assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(LIFETIME);
          });
          return null;
        })))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("no scope asks for lobby; several scopes are granted as asked")
  void scopes(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    accounts.register("scp").compose(account -> accounts.tokenResponse(account.username(), account.password(), null)
      .compose(none -> accounts.tokenResponse(account.username(), account.password(), "openid lobby offline_access")
        .map(several -> {
          ctx.verify(() -> {
            assertThat(none.statusCode()).isEqualTo(200);
            assertThat(none.bodyAsJsonObject().getString("scope")).isEqualTo("lobby");
            assertThat(several.statusCode()).isEqualTo(200);
            assertThat(several.bodyAsJsonObject().getString("scope")).isEqualTo("openid lobby offline_access");
            assertThat(part(several.bodyAsJsonObject().getString("access_token"), 1).getJsonArray("scp"))
              .containsExactly("openid", "lobby", "offline_access");
          });
          return null;
        })))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("the e-mail address works as the username, in any case")
  void loginByEmail(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    accounts.register("mail").compose(account -> FafTestSupport.playerId(NODE.node(), account.username())
        .compose(id -> accounts.tokenResponse(account.email().toUpperCase(), account.password(), "lobby").map(resp -> {
          ctx.verify(() -> {
            assertThat(resp.statusCode()).isEqualTo(200);
            assertThat(part(resp.bodyAsJsonObject().getString("access_token"), 1).getString("sub"))
              .isEqualTo(String.valueOf(id));
          });
          return null;
        })))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a wrong password or an unknown user: 400 invalid_grant")
  void wrongPassword(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    accounts.register("wrong").compose(account -> Future.all(
          accounts.tokenResponse(account.username(), account.password() + "x", "lobby"),
          accounts.tokenResponse(account.username(), "", "lobby"),
          accounts.tokenResponse(TestAccounts.uniqueName("ghost"), account.password(), "lobby"))
        .map(all -> {
          ctx.verify(() -> {
            for (int i = 0; i < 3; i++) {
              assertOauthError(all.resultAt(i), "invalid_grant");
            }
          });
          return null;
        }))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("grant_type missing: invalid_request; another grant_type: unsupported_grant_type; missing username: invalid_request")
  void badRequests(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    accounts.register("badreq").compose(account -> Future.all(List.of(
          post(accounts, form("username", account.username(), "password", account.password())),
          post(accounts, form("grant_type", "client_credentials", "username", account.username(),
            "password", account.password())),
          post(accounts, form("grant_type", "authorization_code", "code", "abc")),
          post(accounts, form("grant_type", "password", "password", account.password())),
          post(accounts, form("grant_type", "password", "username", account.username())),
          accounts.web().post("/oauth2/token").sendJsonObject(new JsonObject().put("grant_type", "password")
            .put("username", account.username()).put("password", account.password()))))
        .map(all -> {
          ctx.verify(() -> {
            assertOauthError(all.resultAt(0), "invalid_request");
            assertOauthError(all.resultAt(1), "unsupported_grant_type");
            assertOauthError(all.resultAt(2), "unsupported_grant_type");
            assertOauthError(all.resultAt(3), "invalid_request");
            assertOauthError(all.resultAt(4), "invalid_request");
            assertOauthError(all.resultAt(5), "invalid_request");
          });
          return null;
        }))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("an unknown scope: 400 invalid_scope, even with a good password")
  void unknownScope(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    accounts.register("scope").compose(account -> Future.all(
          accounts.tokenResponse(account.username(), account.password(), "admin"),
          accounts.tokenResponse(account.username(), account.password(), "lobby write_everything"))
        .map(all -> {
          ctx.verify(() -> {
            assertOauthError(all.resultAt(0), "invalid_scope");
            assertOauthError(all.resultAt(1), "invalid_scope");
          });
          return null;
        }))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("the JWKS verifies an issued token, whose kid names a key of the JWKS; a tampered token fails")
  void jwksVerifiesIssuedTokens(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    accounts.register("jwks").compose(account -> accounts.fafToken(account)
        .compose(token -> accounts.web().get("/.well-known/jwks.json").send().compose(resp -> {
          JsonObject jwks = resp.bodyAsJsonObject();
          JsonArray keys = jwks.getJsonArray("keys");
          String kid = part(token, 0).getString("kid");
          ctx.verify(() -> {
            assertThat(resp.statusCode()).isEqualTo(200);
            assertThat(resp.getHeader("Content-Type")).startsWith("application/json");
            assertThat(kid).isNotBlank();
            assertThat(keys).isNotEmpty();
            assertThat(keys.stream().map(k -> ((JsonObject) k).getString("kid"))).contains(kid);
            for (Object k : keys) {
              JsonObject key = (JsonObject) k;
              assertThat(key.getString("kty")).isEqualTo("RSA");
              assertThat(key.containsKey("d")).as("no private part").isFalse();
              assertThat(key.containsKey("p")).as("no private part").isFalse();
            }
          });
          List<JsonObject> jwkList = new ArrayList<>();
          keys.forEach(k -> jwkList.add((JsonObject) k));
          JWTAuth verifier = JWTAuth.create(vertx, new JWTAuthOptions().setJwks(jwkList));
          String[] parts = token.split("\\.");
          JsonObject claims = part(token, 1).put("scp", new JsonArray().add("lobby").add("administrator"));
          String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
            .encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
          return verifier.authenticate(new TokenCredentials(token))
            .compose(user -> FafTestSupport.playerId(NODE.node(), account.username()).map(id -> {
              ctx.verify(() -> assertThat(user.principal().getString("sub")).isEqualTo(String.valueOf(id)));
              return null;
            }))
            .compose(v -> verifier.authenticate(new TokenCredentials(tampered))
              .transform(ar -> {
                ctx.verify(() -> assertThat(ar.failed()).as("tampered token rejected").isTrue());
                return Future.succeededFuture();
              }));
        })))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a token is usable on a second node of the same database (the signing key is shared)")
  void tokensWorkAcrossNodes(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    accounts.register("shared").compose(account -> accounts.fafToken(account)
        .compose(token -> FafClient.webSocket(vertx, OTHER_NODE.httpPort())
          .compose(client -> client.login(token).compose(w -> client.close()))))
      .onComplete(ctx.succeedingThenComplete());
  }
}
