package dev.skirmish.deploy;

import dev.skirmish.common.Ids;
import dev.skirmish.common.testing.OmegaClient;
import dev.skirmish.common.testing.TestAccounts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.OmegaSupport.DEMO_UGI;
import static dev.skirmish.deploy.OmegaSupport.path;
import static org.assertj.core.api.Assertions.assertThat;

/** CL Omega INIT: the token checks, their order, INIT_OK, and one live session per account. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class OmegaInitTest {

  private static final short POLICY_VIOLATION = 1008;
  private static final String SECOND_UGI = Ids.ulid();
  private static final String SECOND_GAME = "Second Game " + SECOND_UGI.substring(20);

  @RegisterExtension
  static final TestNode NODE = new TestNode();

  @BeforeAll
  static void insertSecondGame() throws Exception {
    OmegaSupport.insertGame(NODE.node().database().pool(), Ids.ulid(), SECOND_UGI, SECOND_GAME).await(1, TimeUnit.MINUTES);
  }

  private static Future<OmegaClient> connect(Vertx vertx, String origin) {
    return OmegaClient.connect(vertx, NODE.httpPort(), path(DEMO_UGI), origin);
  }

  private static JsonObject code(String opcode, String listener) {
    JsonObject p = new JsonObject().put("opcode", opcode);
    return listener == null ? p : p.put("listener", listener);
  }

  private static Future<Void> expireToken(String token) {
    return NODE.node().database().pool()
      .preparedQuery("UPDATE sessions SET expires = now() - interval '1 minute' WHERE id = $1")
      .execute(Tuple.of(token)).mapEmpty();
  }

  /** A fresh account with a token bound to {@code origin} (null = unbound). */
  private static Future<Fixture> fresh(Vertx vertx, String prefix, String origin) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    return accounts.register(prefix).compose(account -> accounts.omegaToken(account, origin)
      .map(token -> new Fixture(accounts, account, token)));
  }

  private record Fixture(TestAccounts accounts, TestAccounts.Account account, String token) {
  }

  // ---------------------------------------------------------------------------------------------- success

  @Test
  @DisplayName("INIT with a valid token is INIT_OK {user, id, game, developer} with the listener")
  void initOk(Vertx vertx, VertxTestContext ctx) {
    fresh(vertx, "init", null).compose(f -> OmegaSupport.accountUlid(NODE.node().database().pool(), f.account().username())
        .compose(ulid -> connect(vertx, null).compose(client -> {
          client.send("INIT", f.token(), "init-1");
          return client.next().compose(ok -> {
            ctx.verify(() -> assertThat(ok).isEqualTo(new JsonObject()
              .put("opcode", "INIT_OK")
              .put("payload", new JsonObject()
                .put("user", f.account().username())
                .put("id", ulid)
                .put("game", OmegaSupport.DEMO_GAME)
                .put("developer", OmegaSupport.DEMO_DEVELOPER))
              .put("listener", "init-1")));
            // the session works: KEEPALIVE still answered
            client.send("KEEPALIVE", null, null);
            return client.next();
          }).compose(p -> {
            ctx.verify(() -> assertThat(p).isEqualTo(code("KEEPALIVE", null)));
            return client.close();
          });
        })))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("INIT_OK without a listener carries no listener key; the id is a ULID")
  void initOkWithoutListener(Vertx vertx, VertxTestContext ctx) {
    fresh(vertx, "nolis", null).compose(f -> connect(vertx, null).compose(client -> client.init(f.token())
        .compose(ok -> {
          ctx.verify(() -> {
            assertThat(ok.fieldNames()).containsExactlyInAnyOrder("opcode", "payload");
            assertThat(ok.getJsonObject("payload").fieldNames()).containsExactlyInAnyOrder("user", "id", "game", "developer");
            assertThat(Ids.isUlid(ok.getJsonObject("payload").getString("id"))).isTrue();
          });
          return client.close();
        })))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("INIT_OK names the game and developer of the socket's UGI")
  void initOkOtherGame(Vertx vertx, VertxTestContext ctx) {
    fresh(vertx, "game2", null).compose(f ->
        OmegaClient.connect(vertx, NODE.httpPort(), path(SECOND_UGI), null).compose(client -> client.init(f.token())
          .compose(ok -> {
            ctx.verify(() -> {
              assertThat(ok.getJsonObject("payload").getString("game")).isEqualTo(SECOND_GAME);
              assertThat(ok.getJsonObject("payload").getString("developer")).isEqualTo("Dev " + SECOND_GAME);
            });
            return client.close();
          })))
      .onComplete(ctx.succeedingThenComplete());
  }

  // ---------------------------------------------------------------------------------------------- payload

  @Test
  @DisplayName("INIT whose payload is not a ULID string is VIOLATION {\"Validation error\":[{\"payload\":\"ulid\"}]} and closed")
  void initPayloadNotUlid(Vertx vertx, VertxTestContext ctx) {
    initViolation(vertx, ctx, "not-a-token")
      .compose(v -> initViolation(vertx, ctx, 12345))
      .compose(v -> initViolation(vertx, ctx, new JsonObject().put("token", Ids.ulid())))
      .compose(v -> initViolation(vertx, ctx, null))
      .compose(v -> initViolation(vertx, ctx, ""))
      .onComplete(ctx.succeedingThenComplete());
  }

  private static Future<Void> initViolation(Vertx vertx, VertxTestContext ctx, Object payload) {
    JsonObject expected = new JsonObject().put("opcode", "VIOLATION")
      .put("payload", new JsonObject().put("Validation error", new JsonArray().add(new JsonObject().put("payload", "ulid"))));
    return connect(vertx, null).compose(client -> {
      client.send("INIT", payload, "bad");
      return client.next().compose(p -> {
        ctx.verify(() -> assertThat(p).as("INIT payload %s", payload).isEqualTo(expected));
        return client.expectClosed();
      }).map(v -> {
        ctx.verify(() -> assertThat(client.closeStatus()).isEqualTo(POLICY_VIOLATION));
        return null;
      });
    });
  }

  // ---------------------------------------------------------------------------------------------- token checks

  @Test
  @DisplayName("INIT with an unknown token is TOKEN_INVALID \"session not found\"; the socket stays usable")
  void unknownToken(Vertx vertx, VertxTestContext ctx) {
    fresh(vertx, "unknown", null).compose(f -> connect(vertx, null).compose(client -> {
      client.send("INIT", Ids.ulid(), "t1");
      return client.next().compose(p -> {
        ctx.verify(() -> assertThat(p).isEqualTo(new JsonObject().put("opcode", "TOKEN_INVALID")
          .put("payload", "session not found").put("listener", "t1")));
        client.send("KEEPALIVE", null, "still");
        return client.next();
      }).compose(p -> {
        ctx.verify(() -> assertThat(p).isEqualTo(code("KEEPALIVE", "still")));
        // not initialised: lobby opcodes still need INIT, and INIT may be retried with a good token
        client.send("LOBBY_LIST", null, "l");
        return client.next();
      }).compose(p -> {
        ctx.verify(() -> assertThat(p).isEqualTo(code("CONFIG_REQUIRED", "l")));
        return client.init(f.token());
      }).compose(ok -> client.close());
    })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a second INIT on an initialised socket is SESSION_EXISTS, even with another account's token")
  void secondInitSameSocket(Vertx vertx, VertxTestContext ctx) {
    Future.all(fresh(vertx, "twice", null), fresh(vertx, "other", null)).compose(all -> {
      Fixture f = all.resultAt(0);
      Fixture other = all.resultAt(1);
      return connect(vertx, null).compose(client -> client.init(f.token()).compose(ok -> {
        client.send("INIT", f.token(), "again");
        return client.next();
      }).compose(p -> {
        ctx.verify(() -> assertThat(p).isEqualTo(code("SESSION_EXISTS", "again")));
        client.send("INIT", other.token(), null);
        return client.next();
      }).compose(p -> {
        ctx.verify(() -> assertThat(p).isEqualTo(code("SESSION_EXISTS", null)));
        // even a malformed token: the already-initialised check comes first
        client.send("INIT", "garbage", "g");
        return client.next();
      }).compose(p -> {
        ctx.verify(() -> assertThat(p).isEqualTo(code("SESSION_EXISTS", "g")));
        return client.close();
      }).compose(v -> connect(vertx, null)).compose(c2 -> c2.init(other.token()).compose(ok -> c2.close())));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a second socket of an account with a live session gets SESSION_EXISTS, whatever its token or game")
  void secondSocketSameAccount(Vertx vertx, VertxTestContext ctx) {
    fresh(vertx, "dual", null).compose(f -> f.accounts().omegaToken(f.account(), null).compose(secondToken ->
        connect(vertx, null).compose(first -> first.init(f.token()).compose(ok ->
          connect(vertx, null).compose(second -> {
            second.send("INIT", f.token(), "s1");
            return second.next().compose(p -> {
              ctx.verify(() -> assertThat(p).isEqualTo(code("SESSION_EXISTS", "s1")));
              second.send("INIT", secondToken, "s2");
              return second.next();
            }).compose(p -> {
              ctx.verify(() -> assertThat(p).as("another token of the same account").isEqualTo(code("SESSION_EXISTS", "s2")));
              return OmegaClient.connect(vertx, NODE.httpPort(), path(SECOND_UGI), null);
            }).compose(third -> {
              third.send("INIT", secondToken, "s3");
              return third.next().compose(p -> {
                ctx.verify(() -> assertThat(p).as("another game").isEqualTo(code("SESSION_EXISTS", "s3")));
                // the first socket is unaffected
                first.send("KEEPALIVE", null, "first");
                return first.next();
              }).compose(p -> {
                ctx.verify(() -> {
                  assertThat(p).isEqualTo(code("KEEPALIVE", "first"));
                  assertThat(second.inbox().closed().isComplete()).isFalse();
                });
                return Future.all(first.close(), second.close(), third.close());
              });
            });
          })))))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("two sockets of one account sending INIT at the same time: exactly one gets INIT_OK, the other SESSION_EXISTS")
  void concurrentInit(Vertx vertx, VertxTestContext ctx) {
    fresh(vertx, "race", null).compose(f -> Future.all(connect(vertx, null), connect(vertx, null)).compose(both -> {
        OmegaClient a = both.resultAt(0);
        OmegaClient b = both.resultAt(1);
        a.send("INIT", f.token(), "a");
        b.send("INIT", f.token(), "b");
        return Future.all(a.next(), b.next()).compose(answers -> {
          JsonObject ra = answers.resultAt(0);
          JsonObject rb = answers.resultAt(1);
          ctx.verify(() -> assertThat(java.util.List.of(ra.getString("opcode"), rb.getString("opcode")))
            .containsExactlyInAnyOrder("INIT_OK", "SESSION_EXISTS"));
          OmegaClient winner = "INIT_OK".equals(ra.getString("opcode")) ? a : b;
          OmegaClient loser = winner == a ? b : a;
          // the loser is still not initialised; the winner is
          loser.send("LOBBY_LIST", null, "l");
          winner.send("LOBBY_LIST", null, "w");
          return Future.all(loser.next(), winner.next()).compose(lists -> {
            ctx.verify(() -> {
              assertThat(lists.<JsonObject>resultAt(0).getString("opcode")).isEqualTo("CONFIG_REQUIRED");
              assertThat(lists.<JsonObject>resultAt(1).getString("opcode")).isEqualTo("LOBBY_LIST");
            });
            return Future.all(a.close(), b.close());
          });
        });
      }))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("after the first socket closes, another socket of the account can INIT")
  void sessionFreedOnClose(Vertx vertx, VertxTestContext ctx) {
    fresh(vertx, "reopen", null).compose(f -> connect(vertx, null).compose(first -> first.init(f.token())
        .compose(ok -> connect(vertx, null))
        .compose(second -> {
          second.send("INIT", f.token(), "busy");
          return second.next().compose(p -> {
            ctx.verify(() -> assertThat(p).isEqualTo(code("SESSION_EXISTS", "busy")));
            return first.close();
          }).compose(v -> first.expectClosed())
            .compose(v -> OmegaSupport.initOnceFree(vertx, second, f.token(), 100))
            .compose(ok -> {
              ctx.verify(() -> assertThat(ok.getJsonObject("payload").getString("user")).isEqualTo(f.account().username()));
              return second.close();
            });
        })))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a token stays usable after its socket closes (same token, new socket)")
  void sameTokenReused(Vertx vertx, VertxTestContext ctx) {
    fresh(vertx, "reuse", null).compose(f -> connect(vertx, null)
        .compose(first -> first.init(f.token()).compose(ok -> first.close()).compose(v -> first.expectClosed()))
        .compose(v -> connect(vertx, null))
        .compose(second -> OmegaSupport.initOnceFree(vertx, second, f.token(), 100).compose(ok -> second.close())))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a token bound to an Origin works from that Origin only; elsewhere it is TOKEN_ORIGIN_MISMATCH")
  void originBoundToken(Vertx vertx, VertxTestContext ctx) {
    fresh(vertx, "bound", "http://game.example").compose(f -> connect(vertx, "http://evil.example").compose(evil -> {
        evil.send("INIT", f.token(), "o1");
        return evil.next().compose(p -> {
          ctx.verify(() -> assertThat(p).isEqualTo(code("TOKEN_ORIGIN_MISMATCH", "o1")));
          // the socket stays open
          evil.send("KEEPALIVE", null, null);
          return evil.next();
        }).compose(p -> {
          ctx.verify(() -> assertThat(p).isEqualTo(code("KEEPALIVE", null)));
          return evil.close();
        });
      })
      .compose(v -> connect(vertx, null)).compose(noOrigin -> {
        // the test client sends its own default Origin (http://127.0.0.1:port) when none is given
        noOrigin.send("INIT", f.token(), "o2");
        return noOrigin.next().compose(p -> {
          ctx.verify(() -> assertThat(p).isEqualTo(code("TOKEN_ORIGIN_MISMATCH", "o2")));
          return noOrigin.close();
        });
      })
      .compose(v -> OmegaSupport.connectWithoutOrigin(vertx, NODE.httpPort(), path(DEMO_UGI))).compose(raw -> {
        raw.send("INIT", f.token(), "o3");
        return raw.inbox().next().compose(p -> {
          ctx.verify(() -> assertThat(p).as("no Origin header at all").isEqualTo(code("TOKEN_ORIGIN_MISMATCH", "o3")));
          return raw.ws().close();
        });
      })
      .compose(v -> connect(vertx, "http://game.example")).compose(good -> good.init(f.token()).compose(ok -> good.close())))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a token issued without an Origin works from any Origin, and from none")
  void unboundToken(Vertx vertx, VertxTestContext ctx) {
    fresh(vertx, "unbound", null)
      .compose(f -> connect(vertx, "http://one.example")
        .compose(c -> c.init(f.token()).compose(ok -> c.close()).compose(v -> c.expectClosed()))
        .compose(v -> connect(vertx, "https://two.example:8443"))
        .compose(c -> OmegaSupport.initOnceFree(vertx, c, f.token(), 100).compose(ok -> c.close())
          .compose(v -> c.expectClosed()))
        .compose(v -> OmegaSupport.connectWithoutOrigin(vertx, NODE.httpPort(), path(DEMO_UGI)))
        .compose(raw -> initRawOnceFree(vertx, raw, f.token(), 100).compose(ok -> raw.ws().close())))
      .onComplete(ctx.succeedingThenComplete());
  }

  private static Future<JsonObject> initRawOnceFree(Vertx vertx, OmegaSupport.RawSocket raw, String token, int attempts) {
    raw.send("INIT", token, "r");
    return raw.inbox().next(m -> "r".equals(m.getString("listener")), "answer to INIT").compose(p -> {
      if ("INIT_OK".equals(p.getString("opcode"))) {
        return Future.succeededFuture(p);
      }
      if (!"SESSION_EXISTS".equals(p.getString("opcode")) || attempts <= 1) {
        return Future.failedFuture("INIT answered " + p.encode());
      }
      return Future.<Void>future(pr -> vertx.setTimer(20, t -> pr.complete()))
        .compose(v -> initRawOnceFree(vertx, raw, token, attempts - 1));
    });
  }

  @Test
  @DisplayName("an expired token is TOKEN_EXPIRED; the socket stays open")
  void expiredToken(Vertx vertx, VertxTestContext ctx) {
    fresh(vertx, "expired", null).compose(f -> expireToken(f.token())
        .compose(v -> connect(vertx, null))
        .compose(client -> {
          client.send("INIT", f.token(), "e1");
          return client.next().compose(p -> {
            ctx.verify(() -> assertThat(p).isEqualTo(code("TOKEN_EXPIRED", "e1")));
            client.send("KEEPALIVE", null, "k");
            return client.next();
          }).compose(p -> {
            ctx.verify(() -> assertThat(p).isEqualTo(code("KEEPALIVE", "k")));
            // a new login gives a working token
            return f.accounts().omegaToken(f.account(), null);
          }).compose(client::init).compose(ok -> client.close());
        }))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("check order: origin mismatch is reported before expiry, a live session before both")
  void checkOrder(Vertx vertx, VertxTestContext ctx) {
    fresh(vertx, "order", "http://game.example").compose(f -> expireToken(f.token())
        .compose(v -> connect(vertx, "http://evil.example"))
        .compose(client -> {
          client.send("INIT", f.token(), "a");
          return client.next().compose(p -> {
            ctx.verify(() -> assertThat(p).isEqualTo(code("TOKEN_ORIGIN_MISMATCH", "a")));
            return connect(vertx, "http://game.example");
          }).compose(sameOrigin -> {
            sameOrigin.send("INIT", f.token(), "b");
            return sameOrigin.next().compose(p -> {
              ctx.verify(() -> assertThat(p).isEqualTo(code("TOKEN_EXPIRED", "b")));
              // with a live session of the account, SESSION_EXISTS wins over the expired, mismatched token
              return f.accounts().omegaToken(f.account(), null);
            }).compose(fresh -> connect(vertx, null).compose(live -> live.init(fresh).compose(ok -> {
              client.send("INIT", f.token(), "c");
              return client.next();
            }).compose(p -> {
              ctx.verify(() -> assertThat(p).isEqualTo(code("SESSION_EXISTS", "c")));
              return Future.all(live.close(), sameOrigin.close(), client.close());
            })));
          });
        }))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("INIT packets on one socket are answered in order")
  void pipelinedInits(Vertx vertx, VertxTestContext ctx) {
    fresh(vertx, "pipe", null).compose(f -> connect(vertx, null).compose(client -> {
        client.send("INIT", Ids.ulid(), "1").send("INIT", f.token(), "2").send("INIT", f.token(), "3")
          .send("KEEPALIVE", null, "4");
        return client.inbox().next(m -> "4".equals(m.getString("listener")), "KEEPALIVE 4").map(last -> {
          ctx.verify(() -> assertThat(client.inbox().history())
            .extracting(m -> m.getString("opcode") + "/" + m.getString("listener"))
            .containsExactly("TOKEN_INVALID/1", "INIT_OK/2", "SESSION_EXISTS/3", "KEEPALIVE/4"));
          return client;
        });
      }).compose(OmegaClient::close))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("an account without the verified state bit is VIOLATION and closed at INIT")
  void unverifiedAccount(Vertx vertx, VertxTestContext ctx) {
    fresh(vertx, "unver", null).compose(f -> NODE.node().database().pool()
        .preparedQuery("UPDATE account SET state = 0 WHERE login = $1").execute(Tuple.of(f.account().username()))
        .compose(r -> connect(vertx, null))
        .compose(client -> {
          client.send("INIT", f.token(), "v");
          return client.next().compose(p -> {
            ctx.verify(() -> {
              assertThat(p.getString("opcode")).isEqualTo("VIOLATION");
              assertThat(p.containsKey("listener")).isFalse();
            });
            return client.expectClosed();
          }).map(v -> {
            ctx.verify(() -> assertThat(client.closeStatus()).isEqualTo(POLICY_VIOLATION));
            return null;
          });
        }))
      .onComplete(ctx.succeedingThenComplete());
  }
}
