package dev.skirmish.deploy;

import dev.skirmish.common.testing.FafClient;
import dev.skirmish.common.testing.TestAccounts;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafTestSupport.hello;
import static dev.skirmish.deploy.FafTestSupport.sha256Hex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits on password logins and registrations, each on a node of its own with a low setting: requests per
 * IP address, wrong passwords per account, and the bounded password-hashing pool.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class RegisterLoginLimitsTest {

  @RegisterExtension
  @Order(1)
  static final TestNode ADDRESS_NODE = new TestNode("AUTH_REQUESTS_PER_IP", "4", "AUTH_REQUEST_WINDOW_SECONDS", "600");

  @RegisterExtension
  @Order(2)
  static final TestNode ACCOUNT_NODE = new TestNode("LOGIN_FAILURES_PER_ACCOUNT", "3", "LOGIN_FAILURE_WINDOW_SECONDS", "600");

  /** One hashing thread, no queue, and a hash slow enough that concurrent logins overlap. */
  @RegisterExtension
  @Order(3)
  static final TestNode HASH_NODE = new TestNode("PASSWORD_HASH_THREADS", "1", "PASSWORD_HASH_QUEUE", "0",
    "PASSWORD_HASH_MEMORY_KIB", "65536", "PASSWORD_HASH_ITERATIONS", "6");

  private static Future<HttpResponse<Buffer>> token(WebClient web, String username, String password) {
    return web.post("/oauth2/token").sendForm(MultiMap.caseInsensitiveMultiMap()
      .add("grant_type", "password").add("username", username).add("password", password).add("scope", "lobby"));
  }

  private static Future<HttpResponse<Buffer>> login(WebClient web, String email, String password) {
    return web.post("/api/v0/login").sendJsonObject(new JsonObject().put("email", email).put("password", password));
  }

  private static void assertTooMany(HttpResponse<Buffer> resp) {
    assertThat(resp.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(resp.getHeader("Retry-After"))).isPositive();
  }

  /** Sends hello on a fresh FAF connection and returns the first answer. */
  private static Future<JsonObject> helloAnswer(Vertx vertx, int port, JsonObject hello) {
    return FafClient.webSocket(vertx, port).compose(client -> {
      client.send(hello);
      return client.next().compose(answer -> client.close().map(answer));
    });
  }

  @Test
  @DisplayName("AUTH_REQUESTS_PER_IP: after the limit, token, login and register answer 429 with Retry-After and FAF hello authentication_failed")
  void perAddressLimit(Vertx vertx, VertxTestContext ctx) {
    WebClient web = new TestAccounts(vertx, ADDRESS_NODE.httpPort()).web();
    token(web, "nobody-here", "wrong")
      .compose(r -> {
        ctx.verify(() -> assertThat(r.statusCode()).isEqualTo(400));
        return login(web, "nobody@example.com", "wrong");
      })
      .compose(r -> {
        ctx.verify(() -> assertThat(r.statusCode()).isEqualTo(401));
        return web.post("/api/v0/register").sendJsonObject(new JsonObject().put("username", "x"));
      })
      .compose(r -> {
        ctx.verify(() -> assertThat(r.statusCode()).isEqualTo(400));
        return helloAnswer(vertx, ADDRESS_NODE.httpPort(), hello("nobody-here", sha256Hex("wrong")));
      })
      .compose(answer -> {
        ctx.verify(() -> assertThat(answer.getString("text")).doesNotContain("Too many"));
        // The fifth request of this address within the window:
        return token(web, "nobody-here", "wrong");
      })
      .compose(r -> {
        ctx.verify(() -> {
          assertTooMany(r);
          assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("too_many_requests");
        });
        return login(web, "nobody@example.com", "wrong");
      })
      .compose(r -> {
        ctx.verify(() -> assertTooMany(r));
        return web.post("/api/v0/register").sendJsonObject(new JsonObject()
          .put("username", TestAccounts.uniqueName("lim")).put("password", "long enough password").put("email", "l@example.com"));
      })
      .compose(r -> {
        ctx.verify(() -> assertTooMany(r));
        return helloAnswer(vertx, ADDRESS_NODE.httpPort(), hello("nobody-here", sha256Hex("wrong")));
      })
      .compose(answer -> {
        ctx.verify(() -> {
          assertThat(answer.getString("command")).isEqualTo("authentication_failed");
          assertThat(answer.getString("text")).contains("Too many");
        });
        return web.get("/health").send();
      })
      .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertThat(r.statusCode()).as("other endpoints are not limited").isEqualTo(200);
        ctx.completeNow();
      })));
  }

  @Test
  @DisplayName("LOGIN_FAILURES_PER_ACCOUNT: after 3 wrong passwords (any door) even the right one is refused: 429, 429, authentication_failed; other accounts unaffected")
  void perAccountFailures(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, ACCOUNT_NODE.httpPort());
    WebClient web = accounts.web();
    Future.all(accounts.register("victim"), accounts.register("bystander")).compose(all -> {
      TestAccounts.Account victim = all.resultAt(0);
      TestAccounts.Account bystander = all.resultAt(1);
      return token(web, victim.username(), "wrong-1")
        .compose(r -> {
          ctx.verify(() -> assertThat(r.statusCode()).isEqualTo(400));
          return login(web, victim.email(), "wrong-2");
        })
        .compose(r -> {
          ctx.verify(() -> assertThat(r.statusCode()).isEqualTo(401));
          return helloAnswer(vertx, ACCOUNT_NODE.httpPort(), hello(victim.username(), sha256Hex("wrong-3")));
        })
        .compose(answer -> {
          ctx.verify(() -> assertThat(answer.getString("command")).isEqualTo("authentication_failed"));
          return token(web, victim.email(), victim.password());
        })
        .compose(r -> {
          ctx.verify(() -> {
            assertTooMany(r);
            assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("too_many_requests");
          });
          return login(web, victim.email(), victim.password());
        })
        .compose(r -> {
          ctx.verify(() -> assertTooMany(r));
          return helloAnswer(vertx, ACCOUNT_NODE.httpPort(), hello(victim.username(), sha256Hex(victim.password())));
        })
        .compose(answer -> {
          ctx.verify(() -> {
            assertThat(answer.getString("command")).isEqualTo("authentication_failed");
            assertThat(answer.getString("text")).contains("Too many failed logins");
          });
          return token(web, bystander.username(), bystander.password());
        })
        .map(r -> {
          ctx.verify(() -> assertThat(r.statusCode()).isEqualTo(200));
          return null;
        });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a full password-hashing pool: concurrent token requests get 503 with Retry-After at once, FAF hello a busy notice")
  void hashingPoolFull(Vertx vertx, VertxTestContext ctx) {
    WebClient web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(HASH_NODE.httpPort()), new PoolOptions().setHttp1MaxSize(16));
    List<Future<HttpResponse<Buffer>>> requests = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      requests.add(token(web, "nobody-" + i, "wrong"));
    }
    Future.all(requests).compose(all -> {
      List<HttpResponse<Buffer>> responses = all.list();
      ctx.verify(() -> {
        assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(400, 503).contains(400, 503);
        for (HttpResponse<Buffer> r : responses) {
          if (r.statusCode() == 503) {
            assertThat(r.getHeader("Retry-After")).isEqualTo("1");
            assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("temporarily_unavailable");
          }
        }
      });
      List<Future<JsonObject>> hellos = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        hellos.add(helloAnswer(vertx, HASH_NODE.httpPort(), hello("nobody-" + i, sha256Hex("wrong"))));
      }
      return Future.all(hellos);
    }).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      List<JsonObject> answers = all.list();
      assertThat(answers).anyMatch(a -> "notice".equals(a.getString("command")) && a.getString("text").contains("busy"));
      assertThat(answers).allMatch(a -> "authentication_failed".equals(a.getString("command"))
        || ("notice".equals(a.getString("command")) && "error".equals(a.getString("style"))));
      ctx.completeNow();
    })));
  }
}
