package dev.skirmish.deploy;

import dev.skirmish.common.testing.TestAccounts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The CL Omega REST account endpoints: POST /api/v0/register and POST /api/v0/login. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class RegisterLoginApiTest {

  private static final String ULID = "^[0-7][0-9A-HJKMNP-TV-Z]{25}$";

  @RegisterExtension
  static final TestNode NODE = new TestNode();

  private static WebClient web(Vertx vertx) {
    return new TestAccounts(vertx, NODE.httpPort()).web();
  }

  private static Future<HttpResponse<Buffer>> register(Vertx vertx, JsonObject body) {
    return web(vertx).post("/api/v0/register").sendJsonObject(body);
  }

  private static Future<HttpResponse<Buffer>> registerRaw(Vertx vertx, String body) {
    return web(vertx).post("/api/v0/register").putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body));
  }

  private static Future<HttpResponse<Buffer>> login(Vertx vertx, String email, String password, String origin) {
    var req = web(vertx).post("/api/v0/login");
    if (origin != null) {
      req.putHeader("Origin", origin);
    }
    return req.sendJsonObject(new JsonObject().put("email", email).put("password", password));
  }

  private static JsonObject form(String username, String password, String email) {
    JsonObject json = new JsonObject();
    if (username != null) {
      json.put("username", username);
    }
    if (password != null) {
      json.put("password", password);
    }
    if (email != null) {
      json.put("email", email);
    }
    return json;
  }

  private static Future<Long> accountsNamed(String username) {
    return NODE.node().database().pool().preparedQuery("SELECT count(*) AS n FROM account WHERE lower(login) = lower($1)")
      .execute(Tuple.of(username)).map(rows -> rows.iterator().next().getLong("n"));
  }

  private static Future<Row> sessionRow(String token) {
    return NODE.node().database().pool()
      .preparedQuery("SELECT s.origin, a.login, s.expires > now() + interval '23 hours' AS day_long,"
        + " s.expires <= now() + interval '24 hours' AS not_longer"
        + " FROM sessions s JOIN account a ON a.id = s.account_id WHERE s.id = $1")
      .execute(Tuple.of(token)).map(rows -> rows.size() == 0 ? null : rows.iterator().next());
  }

  private static void assertPlainText(HttpResponse<Buffer> resp) {
    assertThat(resp.getHeader("Content-Type")).startsWith("text/plain");
  }

  /** Expects 400 with exactly these validation lines, and no account created for {@code username}. */
  private static Future<Void> expectValidation(Vertx vertx, VertxTestContext ctx, JsonObject body, String username,
                                               String... lines) {
    return register(vertx, body).compose(resp -> {
      ctx.verify(() -> {
        assertThat(resp.statusCode()).isEqualTo(400);
        assertPlainText(resp);
        assertThat(resp.bodyAsString()).isEqualTo("Validation failed:\n" + String.join("\n", lines) + "\n");
      });
      return username == null ? Future.succeededFuture() : accountsNamed(username).map(n -> {
        ctx.verify(() -> assertThat(n).as("accounts named " + username).isZero());
        return null;
      });
    });
  }

  // ---------------------------------------------------------------------------------------------- register

  @Test
  @DisplayName("register answers 201 \"OK\" and the new account can log in")
  void registerSucceeds(Vertx vertx, VertxTestContext ctx) {
    String name = TestAccounts.uniqueName("reg");
    String email = name.toLowerCase() + "@example.com";
    register(vertx, form(name, "correct horse", email))
      .compose(resp -> {
        ctx.verify(() -> {
          assertThat(resp.statusCode()).isEqualTo(201);
          assertPlainText(resp);
          assertThat(resp.bodyAsString()).isEqualTo("OK");
        });
        return accountsNamed(name);
      })
      .compose(n -> {
        ctx.verify(() -> assertThat(n).isEqualTo(1));
        return login(vertx, email, "correct horse", null);
      })
      .onSuccess(resp -> ctx.verify(() -> assertThat(resp.statusCode()).isEqualTo(200)))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("register: usernames of 3 and 20 characters and a password of 8 are accepted")
  void registerBoundaries(Vertx vertx, VertxTestContext ctx) {
    String twenty = TestAccounts.uniqueName("twentycharacters");
    String padded = (twenty + "xxxxxxxxxxxxxxxxxxxx").substring(0, 20);
    String three = "a" + Long.toString(System.nanoTime() % 1296, 36);
    String threeName = (three + "zz").substring(0, 3);
    register(vertx, form(padded, "12345678", padded + "@example.com"))
      .compose(resp -> {
        ctx.verify(() -> assertThat(resp.statusCode()).as(resp.bodyAsString()).isEqualTo(201));
        return register(vertx, form(threeName, "12345678", "three-" + padded + "@example.com"));
      })
      .onSuccess(resp -> ctx.verify(() -> assertThat(resp.statusCode())
        .as("3-character name %s: %s", threeName, resp.bodyAsString())
        // a 3-character name may already exist from an earlier run against an external database
        .isIn(201, 409)))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("register: a 2-character username is \"username: min\"")
  void usernameTooShort(Vertx vertx, VertxTestContext ctx) {
    expectValidation(vertx, ctx, form("ab", "password123", TestAccounts.uniqueName("s") + "@example.com"), "ab",
      "username: min")
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("register: a 21-character username is \"username: max\"")
  void usernameTooLong(Vertx vertx, VertxTestContext ctx) {
    String name = "abcdefghijklmnopqrstu";
    expectValidation(vertx, ctx, form(name, "password123", TestAccounts.uniqueName("l") + "@example.com"), name,
      "username: max")
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("register: a 7-character password is \"password: min\", a 129-character one \"password: max\"")
  void passwordLength(Vertx vertx, VertxTestContext ctx) {
    String a = TestAccounts.uniqueName("pw");
    String b = TestAccounts.uniqueName("pw");
    expectValidation(vertx, ctx, form(a, "1234567", a + "@example.com"), a, "password: min")
      .compose(v -> expectValidation(vertx, ctx, form(b, "x".repeat(129), b + "@example.com"), b, "password: max"))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("register: malformed e-mail addresses are \"email: email\"")
  void badEmail(Vertx vertx, VertxTestContext ctx) {
    String a = TestAccounts.uniqueName("em");
    String b = TestAccounts.uniqueName("em");
    String c = TestAccounts.uniqueName("em");
    expectValidation(vertx, ctx, form(a, "password123", "not-an-email"), a, "email: email")
      .compose(v -> expectValidation(vertx, ctx, form(b, "password123", "two@@example.com"), b, "email: email"))
      .compose(v -> expectValidation(vertx, ctx, form(c, "password123", "spaces in@example.com"), c, "email: email"))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("register: an e-mail address over 320 characters is \"email: max\"")
  void emailTooLong(Vertx vertx, VertxTestContext ctx) {
    String name = TestAccounts.uniqueName("el");
    String email = "x".repeat(321 - "@example.com".length()) + "@example.com";
    expectValidation(vertx, ctx, form(name, "password123", email), name, "email: max")
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("register: a username with characters outside letters, digits, _ and - is refused with a username line")
  void usernameCharacters(Vertx vertx, VertxTestContext ctx) {
    String name = "bad name!";
    register(vertx, form(name, "password123", TestAccounts.uniqueName("ch") + "@example.com"))
      .compose(resp -> {
        ctx.verify(() -> {
          assertThat(resp.statusCode()).isEqualTo(400);
          assertThat(resp.bodyAsString()).startsWith("Validation failed:\nusername: ").endsWith("\n");
          assertThat(resp.bodyAsString().lines().count()).isEqualTo(2);
        });
        return accountsNamed(name);
      })
      .onSuccess(n -> ctx.verify(() -> assertThat(n).isZero()))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("register: missing fields are \"required\", one line per field, all reported at once")
  void missingFields(Vertx vertx, VertxTestContext ctx) {
    String a = TestAccounts.uniqueName("mf");
    String b = TestAccounts.uniqueName("mf");
    expectValidation(vertx, ctx, new JsonObject(), null, "username: required", "password: required", "email: required")
      .compose(v -> expectValidation(vertx, ctx, form(a, "password123", null), a, "email: required"))
      .compose(v -> expectValidation(vertx, ctx, form(b, null, b + "@example.com"), b, "password: required"))
      .compose(v -> expectValidation(vertx, ctx, form(null, "password123", "x" + b + "@example.com"), null,
        "username: required"))
      .compose(v -> expectValidation(vertx, ctx, form("ab", "short", "bad"), "ab",
        "username: min", "password: min", "email: email"))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("register: malformed JSON, a JSON array and wrongly typed fields are 400 and create nothing")
  void malformedBodies(Vertx vertx, VertxTestContext ctx) {
    String name = TestAccounts.uniqueName("mj");
    registerRaw(vertx, "{\"username\": \"" + name + "\", \"password\": ")
      .compose(resp -> {
        ctx.verify(() -> {
          assertThat(resp.statusCode()).isEqualTo(400);
          assertPlainText(resp);
          assertThat(resp.bodyAsString()).isNotBlank();
        });
        return registerRaw(vertx, "[\"" + name + "\"]");
      })
      .compose(resp -> {
        ctx.verify(() -> assertThat(resp.statusCode()).isEqualTo(400));
        return register(vertx, new JsonObject().put("username", name).put("password", 12345678)
          .put("email", name + "@example.com"));
      })
      .compose(resp -> {
        ctx.verify(() -> assertThat(resp.statusCode()).isEqualTo(400));
        return accountsNamed(name);
      })
      .onSuccess(n -> ctx.verify(() -> assertThat(n).isZero()))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("register: a taken username in any letter case is 409 \"username taken\"")
  void duplicateUsername(Vertx vertx, VertxTestContext ctx) {
    String name = TestAccounts.uniqueName("Dup");
    register(vertx, form(name, "password123", name.toLowerCase() + "@example.com"))
      .compose(first -> {
        ctx.verify(() -> assertThat(first.statusCode()).isEqualTo(201));
        return register(vertx, form(name, "password123", "other-" + name.toLowerCase() + "@example.com"));
      })
      .compose(same -> {
        ctx.verify(() -> {
          assertThat(same.statusCode()).isEqualTo(409);
          assertPlainText(same);
          assertThat(same.bodyAsString()).isEqualTo("username taken");
        });
        return register(vertx, form(name.toUpperCase(), "password123", "third-" + name.toLowerCase() + "@example.com"));
      })
      .compose(upper -> {
        ctx.verify(() -> {
          assertThat(upper.statusCode()).isEqualTo(409);
          assertThat(upper.bodyAsString()).isEqualTo("username taken");
        });
        return accountsNamed(name);
      })
      .onSuccess(n -> ctx.verify(() -> assertThat(n).isEqualTo(1)))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("register: an e-mail address in use in any letter case is 409 \"email in use\"")
  void duplicateEmail(Vertx vertx, VertxTestContext ctx) {
    String first = TestAccounts.uniqueName("em1");
    String second = TestAccounts.uniqueName("em2");
    String email = first.toLowerCase() + "@example.com";
    register(vertx, form(first, "password123", email))
      .compose(resp -> {
        ctx.verify(() -> assertThat(resp.statusCode()).isEqualTo(201));
        return register(vertx, form(second, "password123", email));
      })
      .compose(resp -> {
        ctx.verify(() -> {
          assertThat(resp.statusCode()).isEqualTo(409);
          assertPlainText(resp);
          assertThat(resp.bodyAsString()).isEqualTo("email in use");
        });
        return register(vertx, form(second, "password123", email.toUpperCase()));
      })
      .compose(resp -> {
        ctx.verify(() -> {
          assertThat(resp.statusCode()).isEqualTo(409);
          assertThat(resp.bodyAsString()).isEqualTo("email in use");
        });
        return accountsNamed(second);
      })
      .onSuccess(n -> ctx.verify(() -> assertThat(n).isZero()))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("register is also mounted at /api/register")
  void registerWithoutVersion(Vertx vertx, VertxTestContext ctx) {
    String name = TestAccounts.uniqueName("nv");
    web(vertx).post("/api/register").sendJsonObject(form(name, "password123", name.toLowerCase() + "@example.com"))
      .onSuccess(resp -> ctx.verify(() -> {
        assertThat(resp.statusCode()).isEqualTo(201);
        assertThat(resp.bodyAsString()).isEqualTo("OK");
      }))
      .onComplete(ctx.succeedingThenComplete());
  }

  // ---------------------------------------------------------------------------------------------- login

  @Test
  @DisplayName("login answers 200 text/plain with a fresh 26-character ULID token stored as an unbound session")
  void loginSucceeds(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    accounts.register("login").compose(account -> login(vertx, account.email(), account.password(), null)
        .compose(first -> {
          String token = first.bodyAsString();
          ctx.verify(() -> {
            assertThat(first.statusCode()).isEqualTo(200);
            assertPlainText(first);
            assertThat(token).hasSize(26).matches(ULID);
          });
          return login(vertx, account.email().toUpperCase(), account.password(), null).compose(second -> {
            ctx.verify(() -> {
              assertThat(second.statusCode()).as("login with the e-mail in upper case").isEqualTo(200);
              assertThat(second.bodyAsString()).matches(ULID).isNotEqualTo(token);
            });
            return sessionRow(token);
          });
        })
        .map(row -> {
          ctx.verify(() -> {
            assertThat(row).as("sessions row of the token").isNotNull();
            assertThat(row.getString("login")).isEqualTo(account.username());
            assertThat(row.getString("origin")).isNull();
            assertThat(row.getBoolean("day_long")).as("expires in about 24 h").isTrue();
            assertThat(row.getBoolean("not_longer")).as("expires in at most 24 h").isTrue();
          });
          return null;
        }))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("login with an Origin header stores that origin with the token")
  void loginBindsOrigin(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    accounts.register("orig")
      .compose(account -> login(vertx, account.email(), account.password(), "http://game.example"))
      .compose(resp -> {
        ctx.verify(() -> assertThat(resp.statusCode()).isEqualTo(200));
        return sessionRow(resp.bodyAsString());
      })
      .onSuccess(row -> ctx.verify(() -> assertThat(row.getString("origin")).isEqualTo("http://game.example")))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("login with a wrong password is 401 \"Incorrect password\"")
  void wrongPassword(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    accounts.register("wrong")
      .compose(account -> login(vertx, account.email(), account.password() + "x", null))
      .onSuccess(resp -> ctx.verify(() -> {
        assertThat(resp.statusCode()).isEqualTo(401);
        assertPlainText(resp);
        assertThat(resp.bodyAsString()).isEqualTo("Incorrect password");
      }))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("login with an unknown e-mail is 401 \"user not found\"")
  void unknownEmail(Vertx vertx, VertxTestContext ctx) {
    login(vertx, TestAccounts.uniqueName("nobody") + "@nowhere.example", "password123", null)
      .onSuccess(resp -> ctx.verify(() -> {
        assertThat(resp.statusCode()).isEqualTo(401);
        assertPlainText(resp);
        assertThat(resp.bodyAsString()).isEqualTo("user not found");
      }))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("login with a malformed body, a missing field or a non-string field is 400")
  void malformedLogin(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    accounts.register("badlogin").compose(account -> web(vertx).post("/api/v0/login")
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{\"email\": "))
        .compose(resp -> {
          ctx.verify(() -> {
            assertThat(resp.statusCode()).isEqualTo(400);
            assertPlainText(resp);
          });
          return web(vertx).post("/api/v0/login").sendJsonObject(new JsonObject().put("email", account.email()));
        })
        .compose(resp -> {
          ctx.verify(() -> {
            assertThat(resp.statusCode()).isEqualTo(400);
            assertThat(resp.bodyAsString()).isEqualTo("Validation failed:\npassword: required\n");
          });
          return web(vertx).post("/api/v0/login").sendJsonObject(new JsonObject()
            .put("email", new JsonObject().put("address", account.email())).put("password", account.password()));
        })
        .compose(resp -> {
          ctx.verify(() -> assertThat(resp.statusCode()).isEqualTo(400));
          return web(vertx).post("/api/v0/login").putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer("[]"));
        }))
      .onSuccess(resp -> ctx.verify(() -> assertThat(resp.statusCode()).isEqualTo(400)))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("login is also mounted at /api/login")
  void loginWithoutVersion(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    accounts.register("nvl")
      .compose(account -> web(vertx).post("/api/login")
        .sendJsonObject(new JsonObject().put("email", account.email()).put("password", account.password())))
      .onSuccess(resp -> ctx.verify(() -> {
        assertThat(resp.statusCode()).isEqualTo(200);
        assertThat(resp.bodyAsString()).matches(ULID);
      }))
      .onComplete(ctx.succeedingThenComplete());
  }
}
