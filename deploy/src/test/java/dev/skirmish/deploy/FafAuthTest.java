package dev.skirmish.deploy;

import dev.skirmish.common.testing.FafClient;
import dev.skirmish.common.testing.TestAccounts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafTestSupport.account;
import static dev.skirmish.deploy.FafTestSupport.auth;
import static dev.skirmish.deploy.FafTestSupport.commands;
import static dev.skirmish.deploy.FafTestSupport.hello;
import static dev.skirmish.deploy.FafTestSupport.roundTrip;
import static dev.skirmish.deploy.FafTestSupport.sha256Hex;
import static org.assertj.core.api.Assertions.assertThat;

/** FAF login with the legacy hello (login + sha256 password) and with tokens from /oauth2/token. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FafAuthTest {

  @RegisterExtension
  @Order(1)
  static final TestNode NODE = new TestNode();

  @RegisterExtension
  @Order(2)
  static final TestNode TOKEN_ONLY_NODE = new TestNode("FAF_ALLOW_PASSWORD_LOGIN", "false");

  @Test
  @DisplayName("hello with the sha256 hex of the password logs in: welcome, player_info, social, game_info, no irc_password")
  void helloLogsIn(Vertx vertx, VertxTestContext ctx) {
    account(vertx, NODE.node(), "hello").compose(p -> FafClient.tcp(vertx, NODE.fafTcpPort()).compose(client -> {
      client.send(hello(p.login(), sha256Hex(p.account().password())));
      return client.expect("game_info").map(g -> {
        ctx.verify(() -> {
          assertThat(commands(client)).containsExactly("welcome", "player_info", "social", "game_info");
          JsonObject welcome = client.inbox().history().get(0);
          assertThat(welcome.getInteger("id")).isEqualTo(p.id());
          assertThat(welcome.getString("login")).isEqualTo(p.login());
          assertThat(welcome.getJsonObject("me").getInteger("id")).isEqualTo(p.id());
          assertThat(welcome.getString("current_time")).isNotBlank();
        });
        return client;
      });
    })).compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("hello trims the login, ignores its case and accepts an upper-case hex digest")
  void helloIsLenientAboutCase(Vertx vertx, VertxTestContext ctx) {
    account(vertx, NODE.node(), "helloCase").compose(p -> FafClient.webSocket(vertx, NODE.httpPort()).compose(client -> {
      client.send(hello("  " + p.login().toUpperCase() + " ", sha256Hex(p.account().password()).toUpperCase()));
      return client.expect("welcome").map(w -> {
        ctx.verify(() -> assertThat(w.getString("login")).isEqualTo(p.login()));
        return client;
      });
    })).compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("hello with a wrong password: authentication_failed, the connection stays open and a retry succeeds")
  void helloWrongPassword(Vertx vertx, VertxTestContext ctx) {
    account(vertx, NODE.node(), "helloBad").compose(p -> FafClient.webSocket(vertx, NODE.httpPort()).compose(client -> {
      client.send(hello(p.login(), sha256Hex("not-" + p.account().password())));
      return client.expect("authentication_failed")
        .compose(failed -> {
          ctx.verify(() -> assertThat(failed.getString("text")).isNotBlank());
          return roundTrip(client);
        })
        .compose(pong -> {
          // The plain password instead of its digest is wrong too.
          client.send(hello(p.login(), p.account().password()));
          return client.expect("authentication_failed");
        })
        .compose(failed -> {
          client.send(hello(p.login(), sha256Hex(p.account().password())));
          return client.expect("welcome");
        })
        .map(w -> {
          ctx.verify(() -> {
            assertThat(client.isClosed()).isFalse();
            assertThat(commands(client)).doesNotContain("notice");
          });
          return client;
        });
    })).compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("hello for an unknown login or without a password: authentication_failed, connection kept")
  void helloUnknownLogin(Vertx vertx, VertxTestContext ctx) {
    FafClient.webSocket(vertx, NODE.httpPort()).compose(client -> {
      client.send(hello(TestAccounts.uniqueName("nobody"), sha256Hex("whatever")));
      return client.expect("authentication_failed")
        .compose(f -> {
          client.send(new JsonObject().put("command", "hello").put("login", "someone"));
          return client.expect("authentication_failed");
        })
        .compose(f -> roundTrip(client))
        .map(pong -> client);
    }).compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("FAF_ALLOW_PASSWORD_LOGIN=false: hello gets an error notice and the connection is closed")
  void helloDisabled(Vertx vertx, VertxTestContext ctx) {
    account(vertx, TOKEN_ONLY_NODE.node(), "helloOff").compose(p -> FafClient.webSocket(vertx, TOKEN_ONLY_NODE.httpPort())
      .compose(client -> {
        client.send(hello(p.login(), sha256Hex(p.account().password())));
        return client.expectNotice("error").compose(notice -> client.expectClosed()).map(v -> {
          ctx.verify(() -> assertThat(commands(client)).containsExactly("notice"));
          return client;
        });
      })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("FAF_ALLOW_PASSWORD_LOGIN=false: token login still works")
  void tokenLoginWhenPasswordLoginDisabled(Vertx vertx, VertxTestContext ctx) {
    account(vertx, TOKEN_ONLY_NODE.node(), "tokOnly").compose(p -> FafClient.webSocket(vertx, TOKEN_ONLY_NODE.httpPort())
      .compose(client -> client.login(p.token()).map(w -> {
        ctx.verify(() -> assertThat(w.getInteger("id")).isEqualTo(p.id()));
        return client;
      }))).compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("auth with a garbage token: authentication_failed, the connection stays open and a valid token then works")
  void garbageToken(Vertx vertx, VertxTestContext ctx) {
    account(vertx, NODE.node(), "garbage").compose(p -> FafClient.webSocket(vertx, NODE.httpPort()).compose(client -> {
      client.send(auth("not-a-jwt"));
      return client.expect("authentication_failed")
        .compose(f -> {
          client.send(auth("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"));
          return client.expect("authentication_failed");
        })
        .compose(f -> {
          client.send(new JsonObject().put("command", "auth").put("token", 42));
          return client.expect("authentication_failed");
        })
        .compose(f -> roundTrip(client))
        .compose(pong -> client.login(p.token()))
        .map(w -> {
          ctx.verify(() -> assertThat(commands(client)).doesNotContain("notice"));
          return client;
        });
    })).compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("auth with a valid token whose signature was tampered with: authentication_failed")
  void tamperedToken(Vertx vertx, VertxTestContext ctx) {
    Future.all(account(vertx, NODE.node(), "victim"), account(vertx, NODE.node(), "forger")).compose(all -> {
      FafTestSupport.Player victim = all.resultAt(0);
      FafTestSupport.Player forger = all.resultAt(1);
      // The forger's signed token with the payload swapped for one naming the victim.
      String[] parts = forger.token().split("\\.");
      JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1])))
        .put("sub", String.valueOf(victim.id()));
      String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.encode().getBytes())
        + "." + parts[2];
      return FafClient.webSocket(vertx, NODE.httpPort()).compose(client -> {
        client.send(auth(forged));
        return client.expect("authentication_failed").compose(f -> roundTrip(client)).map(pong -> {
          ctx.verify(() -> assertThat(commands(client)).doesNotContain("welcome"));
          return client;
        });
      });
    }).compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("auth with a token issued for scope openid only (no lobby): authentication_failed")
  void tokenWithoutLobbyScope(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    accounts.register("noscope").compose(account -> accounts.tokenResponse(account.username(), account.password(), "openid"))
      .compose(resp -> {
        ctx.verify(() -> {
          assertThat(resp.statusCode()).isEqualTo(200);
          assertThat(resp.bodyAsJsonObject().getString("scope")).isEqualTo("openid");
        });
        String token = resp.bodyAsJsonObject().getString("access_token");
        return FafClient.webSocket(vertx, NODE.httpPort()).compose(client -> {
          client.send(auth(token));
          return client.expect("authentication_failed").compose(f -> roundTrip(client)).map(pong -> {
            ctx.verify(() -> assertThat(commands(client)).doesNotContain("welcome", "irc_password"));
            return client;
          });
        });
      }).compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a token with scopes lobby and openid logs in")
  void tokenWithSeveralScopes(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    accounts.register("scopes").compose(account -> accounts.tokenResponse(account.username(), account.password(), "openid lobby"))
      .compose(resp -> FafClient.webSocket(vertx, NODE.httpPort())
        .compose(client -> client.login(resp.bodyAsJsonObject().getString("access_token")).map(w -> client)))
      .compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }
}
