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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.OmegaSupport.DEMO_UGI;
import static dev.skirmish.deploy.OmegaSupport.path;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CL Omega WebSocket front door before and around INIT: UGI validation, paths, KEEPALIVE, lobby opcodes
 * without a session, unknown opcodes and envelope violations.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class OmegaFrontDoorTest {

  private static final short POLICY_VIOLATION = 1008;
  private static final String READ_ERROR = "[Signaling] Error reading packet: ";

  @RegisterExtension
  static final TestNode NODE = new TestNode();

  private static Future<OmegaClient> connect(Vertx vertx, String path) {
    return OmegaClient.connect(vertx, NODE.httpPort(), path, null);
  }

  /** Expects VIOLATION with exactly {@code payload} (and no listener) as the next packet, then the close. */
  private static Future<Void> expectViolation(VertxTestContext ctx, OmegaClient client, Object payload) {
    return client.next().compose(packet -> {
      ctx.verify(() -> assertThat(packet).isEqualTo(new JsonObject().put("opcode", "VIOLATION").put("payload", payload)));
      return client.expectClosed();
    }).map(v -> {
      ctx.verify(() -> {
        assertThat(client.closeStatus()).isEqualTo(POLICY_VIOLATION);
        assertThat(client.inbox().history()).as("packets received").hasSize(1);
      });
      return null;
    });
  }

  /** Expects a VIOLATION whose payload starts with the read-error prefix, then the close with 1008. */
  private static Future<Void> expectReadError(VertxTestContext ctx, OmegaClient client) {
    return client.next().compose(packet -> {
      ctx.verify(() -> {
        assertThat(packet.getString("opcode")).isEqualTo("VIOLATION");
        assertThat(packet.getValue("payload")).isInstanceOf(String.class);
        assertThat(packet.getString("payload")).startsWith(READ_ERROR).hasSizeGreaterThan(READ_ERROR.length());
        assertThat(packet.fieldNames()).containsExactlyInAnyOrder("opcode", "payload");
      });
      return client.expectClosed();
    }).map(v -> {
      ctx.verify(() -> assertThat(client.closeStatus()).isEqualTo(POLICY_VIOLATION));
      return null;
    });
  }

  private static JsonObject ugiViolation() {
    return new JsonObject().put("Validation error", new JsonArray().add(new JsonObject().put("ugi", "ulid")));
  }

  private static Future<Void> expectUgiViolation(Vertx vertx, VertxTestContext ctx, String path) {
    return connect(vertx, path).compose(client -> expectViolation(ctx, client, ugiViolation()));
  }

  // ---------------------------------------------------------------------------------------------- UGI

  @Test
  @DisplayName("a malformed ugi is answered after the upgrade with VIOLATION {\"Validation error\":[{\"ugi\":\"ulid\"}]} and closed")
  void malformedUgi(Vertx vertx, VertxTestContext ctx) {
    expectUgiViolation(vertx, ctx, path("hello"))
      // 25 characters
      .compose(v -> expectUgiViolation(vertx, ctx, path(DEMO_UGI.substring(1))))
      // 27 characters
      .compose(v -> expectUgiViolation(vertx, ctx, path(DEMO_UGI + "0")))
      // U is not a Crockford base32 digit
      .compose(v -> expectUgiViolation(vertx, ctx, path("01HNPHRWS0N0AYMM5K4HN31V4U")))
      // a first digit above 7 overflows 128 bits
      .compose(v -> expectUgiViolation(vertx, ctx, path("81HNPHRWS0N0AYMM5K4HN31V4W")))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a missing or empty ugi is the same VIOLATION and close")
  void missingUgi(Vertx vertx, VertxTestContext ctx) {
    expectUgiViolation(vertx, ctx, "/api/v0/signaling")
      .compose(v -> expectUgiViolation(vertx, ctx, "/api/v0/signaling?ugi="))
      .compose(v -> expectUgiViolation(vertx, ctx, "/api/v0/signaling?game=" + DEMO_UGI))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a well-formed but unknown UGI is VIOLATION \"game not found\" and closed")
  void unknownGame(Vertx vertx, VertxTestContext ctx) {
    connect(vertx, path(Ids.ulid()))
      .compose(client -> expectViolation(ctx, client, "game not found"))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a UGI violation is the only reply: packets sent after the upgrade are not answered")
  void nothingAnsweredAfterUgiViolation(Vertx vertx, VertxTestContext ctx) {
    connect(vertx, path("not-a-ulid"))
      .compose(client -> {
        client.send("KEEPALIVE", null, "k");
        return expectViolation(ctx, client, ugiViolation());
      })
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("/api/signaling, trailing slashes and a lower-case UGI all reach the demo game")
  void pathsAndLowerCase(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    keepalive(vertx, ctx, "/api/signaling?ugi=" + DEMO_UGI)
      .compose(v -> keepalive(vertx, ctx, "/api/v0/signaling/?ugi=" + DEMO_UGI))
      .compose(v -> keepalive(vertx, ctx, "/api/signaling/?ugi=" + DEMO_UGI))
      .compose(v -> accounts.register("paths"))
      .compose(account -> accounts.omegaToken(account, null).compose(token ->
        connect(vertx, "/api/signaling?ugi=" + DEMO_UGI.toLowerCase()).compose(client -> client.init(token.toLowerCase())
          .compose(ok -> {
            ctx.verify(() -> {
              assertThat(ok.getJsonObject("payload").getString("user")).isEqualTo(account.username());
              assertThat(ok.getJsonObject("payload").getString("game")).isEqualTo(OmegaSupport.DEMO_GAME);
            });
            return client.close();
          }))))
      .onComplete(ctx.succeedingThenComplete());
  }

  private static Future<Void> keepalive(Vertx vertx, VertxTestContext ctx, String path) {
    return connect(vertx, path).compose(client -> {
      client.send("KEEPALIVE", null, "p");
      return client.next().compose(packet -> {
        ctx.verify(() -> assertThat(packet)
          .as(path).isEqualTo(new JsonObject().put("opcode", "KEEPALIVE").put("listener", "p")));
        return client.close();
      });
    });
  }

  @Test
  @DisplayName("a plain GET of the signaling path without an upgrade is refused with 426")
  void plainGet(Vertx vertx, VertxTestContext ctx) {
    new TestAccounts(vertx, NODE.httpPort()).web().get(path(DEMO_UGI)).send()
      .onSuccess(resp -> ctx.verify(() -> assertThat(resp.statusCode()).isEqualTo(426)))
      .onComplete(ctx.succeedingThenComplete());
  }

  // ---------------------------------------------------------------------------------------------- KEEPALIVE

  @Test
  @DisplayName("KEEPALIVE before INIT is answered, echoing the listener only when one was sent")
  void keepaliveBeforeInit(Vertx vertx, VertxTestContext ctx) {
    connect(vertx, path(DEMO_UGI)).compose(client -> {
      client.send("KEEPALIVE", null, "ka-1");
      return client.next().compose(first -> {
        ctx.verify(() -> assertThat(first).isEqualTo(new JsonObject().put("opcode", "KEEPALIVE").put("listener", "ka-1")));
        client.send("KEEPALIVE", null, null);
        return client.next();
      }).compose(second -> {
        ctx.verify(() -> assertThat(second).isEqualTo(new JsonObject().put("opcode", "KEEPALIVE")));
        // the reference client always sends "listener": null
        client.sendRaw("{\"opcode\":\"KEEPALIVE\",\"payload\":null,\"listener\":null}");
        return client.next();
      }).compose(third -> {
        ctx.verify(() -> assertThat(third).isEqualTo(new JsonObject().put("opcode", "KEEPALIVE")));
        // a payload is not echoed
        client.send("KEEPALIVE", new JsonObject().put("t", 1), "ka-4");
        return client.next();
      }).compose(fourth -> {
        ctx.verify(() -> assertThat(fourth).isEqualTo(new JsonObject().put("opcode", "KEEPALIVE").put("listener", "ka-4")));
        return client.close();
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  // ---------------------------------------------------------------------------------------------- lobby opcodes

  @Test
  @DisplayName("lobby opcodes before INIT are CONFIG_REQUIRED with the listener, and the socket stays open")
  void lobbyOpcodesBeforeInit(Vertx vertx, VertxTestContext ctx) {
    JsonObject host = new JsonObject().put("lobby_id", "room").put("allow_host_reclaim", false)
      .put("allow_peers_to_claim_host", false).put("max_peers", 0).put("password", "");
    connect(vertx, path(DEMO_UGI)).compose(client -> {
      client.send("CONFIG_HOST", host, "h1");
      return client.next().compose(p -> {
        ctx.verify(() -> assertThat(p).isEqualTo(new JsonObject().put("opcode", "CONFIG_REQUIRED").put("listener", "h1")));
        client.send("LOBBY_LIST", null, "l1");
        return client.next();
      }).compose(p -> {
        ctx.verify(() -> assertThat(p).isEqualTo(new JsonObject().put("opcode", "CONFIG_REQUIRED").put("listener", "l1")));
        client.send("CONFIG_PEER", new JsonObject().put("lobby_id", "room").put("password", ""), null);
        return client.next();
      }).compose(p -> {
        ctx.verify(() -> assertThat(p).isEqualTo(new JsonObject().put("opcode", "CONFIG_REQUIRED")));
        client.send("MAKE_OFFER", new JsonObject(), "m1").send("KEEPALIVE", null, "after");
        return client.next();
      }).compose(p -> {
        ctx.verify(() -> assertThat(p).isEqualTo(new JsonObject().put("opcode", "CONFIG_REQUIRED").put("listener", "m1")));
        return client.next();
      }).compose(p -> {
        ctx.verify(() -> assertThat(p).isEqualTo(new JsonObject().put("opcode", "KEEPALIVE").put("listener", "after")));
        return client.close();
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("LOBBY_LIST after INIT is LOBBY_LIST [] with the listener")
  void lobbyListAfterInit(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    accounts.register("list").compose(account -> accounts.omegaToken(account, null))
      .compose(token -> connect(vertx, path(DEMO_UGI)).compose(client -> client.init(token).compose(ok -> {
        client.send("LOBBY_LIST", null, "list-1");
        return client.next();
      }).compose(p -> {
        ctx.verify(() -> assertThat(p).isEqualTo(new JsonObject().put("opcode", "LOBBY_LIST")
          .put("payload", new JsonArray()).put("listener", "list-1")));
        return client.close();
      })))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("unknown opcodes are ignored silently, before and after INIT")
  void unknownOpcodes(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    accounts.register("unk").compose(account -> accounts.omegaToken(account, null))
      .compose(token -> connect(vertx, path(DEMO_UGI)).compose(client -> {
        client.send("BOGUS", "x", "u1").send("keepalive", null, "u2").send("KEEPALIVE", null, "k1");
        return client.next().compose(p -> {
          ctx.verify(() -> assertThat(p).isEqualTo(new JsonObject().put("opcode", "KEEPALIVE").put("listener", "k1")));
          return client.init(token);
        }).compose(ok -> {
          client.send("NO_SUCH_OPCODE", new JsonObject().put("a", 1), "u3").send("", null, "u4")
            .send("KEEPALIVE", null, "k2");
          return client.next();
        }).compose(p -> {
          ctx.verify(() -> {
            assertThat(p).isEqualTo(new JsonObject().put("opcode", "KEEPALIVE").put("listener", "k2"));
            assertThat(client.inbox().history()).extracting(m -> m.getString("opcode"))
              .containsExactly("KEEPALIVE", "INIT_OK", "KEEPALIVE");
          });
          return client.close();
        });
      }))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("unknown extra envelope keys are ignored")
  void extraKeys(Vertx vertx, VertxTestContext ctx) {
    connect(vertx, path(DEMO_UGI)).compose(client -> {
      client.sendRaw("{\"opcode\":\"KEEPALIVE\",\"listener\":\"x\",\"extra\":[1,2,3],\"origin\":{\"id\":\"a\",\"user\":\"b\"}}");
      return client.next().compose(p -> {
        ctx.verify(() -> assertThat(p).isEqualTo(new JsonObject().put("opcode", "KEEPALIVE").put("listener", "x")));
        return client.close();
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("binary frames carrying a JSON packet are read like text frames")
  void binaryFrames(Vertx vertx, VertxTestContext ctx) {
    OmegaSupport.connectWithoutOrigin(vertx, NODE.httpPort(), path(DEMO_UGI)).compose(raw -> {
      raw.ws().writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer("{\"opcode\":\"KEEPALIVE\",\"listener\":\"bin\"}"));
      return raw.inbox().next().compose(p -> {
        ctx.verify(() -> assertThat(p).isEqualTo(new JsonObject().put("opcode", "KEEPALIVE").put("listener", "bin")));
        return raw.ws().close();
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  // ---------------------------------------------------------------------------------------------- envelope

  private Future<Void> readError(Vertx vertx, VertxTestContext ctx, String frame) {
    return connect(vertx, path(DEMO_UGI)).compose(client -> {
      client.sendRaw(frame);
      return expectReadError(ctx, client);
    });
  }

  @Test
  @DisplayName("a frame that is not JSON is VIOLATION \"[Signaling] Error reading packet: ...\" and closed with 1008")
  void notJson(Vertx vertx, VertxTestContext ctx) {
    readError(vertx, ctx, "hello there")
      .compose(v -> readError(vertx, ctx, "{\"opcode\":\"KEEPALIVE\""))
      .compose(v -> readError(vertx, ctx, "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n"))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("JSON that is not an object (array, string, number, null) is a read-error VIOLATION")
  void notAnObject(Vertx vertx, VertxTestContext ctx) {
    readError(vertx, ctx, "[{\"opcode\":\"KEEPALIVE\"}]")
      .compose(v -> readError(vertx, ctx, "\"KEEPALIVE\""))
      .compose(v -> readError(vertx, ctx, "42"))
      .compose(v -> readError(vertx, ctx, "null"))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a numeric or missing opcode is a read-error VIOLATION")
  void numericOpcode(Vertx vertx, VertxTestContext ctx) {
    readError(vertx, ctx, "{\"opcode\":1}")
      .compose(v -> readError(vertx, ctx, "{\"opcode\":{\"name\":\"KEEPALIVE\"}}"))
      .compose(v -> readError(vertx, ctx, "{\"payload\":\"x\"}"))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a string origin is a read-error VIOLATION, before and after INIT")
  void stringOrigin(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    readError(vertx, ctx, "{\"opcode\":\"KEEPALIVE\",\"origin\":\"01HNPHRWS0N0AYMM5K4HN31V4W\"}")
      .compose(v -> accounts.register("orig"))
      .compose(account -> accounts.omegaToken(account, null))
      .compose(token -> connect(vertx, path(DEMO_UGI)).compose(client -> client.init(token).compose(ok -> {
        client.sendRaw("{\"opcode\":\"ICE\",\"payload\":{},\"origin\":\"someone\",\"recipient\":\"" + Ids.ulid() + "\"}");
        return client.next();
      }).compose(p -> {
        ctx.verify(() -> {
          assertThat(p.getString("opcode")).isEqualTo("VIOLATION");
          assertThat(p.getString("payload")).startsWith(READ_ERROR);
        });
        return client.expectClosed();
      }).map(v -> {
        ctx.verify(() -> assertThat(client.closeStatus()).isEqualTo(POLICY_VIOLATION));
        return null;
      })))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a numeric recipient is a read-error VIOLATION")
  void numericRecipient(Vertx vertx, VertxTestContext ctx) {
    readError(vertx, ctx, "{\"opcode\":\"MAKE_OFFER\",\"payload\":{},\"recipient\":12345}")
      .compose(v -> readError(vertx, ctx, "{\"opcode\":\"KEEPALIVE\",\"recipient\":[\"a\"]}"))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a non-string listener is a read-error VIOLATION")
  void numericListener(Vertx vertx, VertxTestContext ctx) {
    readError(vertx, ctx, "{\"opcode\":\"KEEPALIVE\",\"listener\":7}")
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("after a read-error VIOLATION nothing else is answered, even packets already sent")
  void nothingAfterViolation(Vertx vertx, VertxTestContext ctx) {
    connect(vertx, path(DEMO_UGI)).compose(client -> {
      client.sendRaw("not json");
      client.send("KEEPALIVE", null, "late");
      return expectReadError(ctx, client).map(v -> {
        ctx.verify(() -> assertThat(client.inbox().history()).extracting(m -> m.getString("opcode"))
          .containsExactly("VIOLATION"));
        return null;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }
}
