package dev.skirmish.deploy;

import dev.skirmish.common.testing.FafClient;
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

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static dev.skirmish.deploy.FafTestSupport.commands;
import static dev.skirmish.deploy.FafTestSupport.count;
import static dev.skirmish.deploy.FafTestSupport.isNotice;
import static dev.skirmish.deploy.FafTestSupport.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

/** What the FAF front door does with commands it cannot accept: before login, unknown, malformed, too large. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FafProtocolErrorTest {

  private static final int LIMIT = 4096;

  @RegisterExtension
  static final TestNode NODE = new TestNode("MAX_MESSAGE_BYTES", String.valueOf(LIMIT));

  private static Future<FafClient> ws(Vertx vertx) {
    return FafClient.webSocket(vertx, NODE.httpPort());
  }

  private static Future<FafClient> tcp(Vertx vertx) {
    return FafClient.tcp(vertx, NODE.fafTcpPort());
  }

  /** Sends {@code raw} as it is and expects exactly one error notice in reply, then the close. */
  private static Future<Void> expectFatal(VertxTestContext ctx, FafClient client, String raw) {
    int before = client.inbox().history().size();
    client.sendRaw(raw);
    return client.expectNotice("error").compose(notice -> client.expectClosed()).map(v -> {
      List<JsonObject> after = client.inbox().history();
      ctx.verify(() -> assertThat(after.subList(before, after.size()))
        .filteredOn(m -> !"player_info".equals(m.getString("command")))
        .as("replies to %s", raw.length() > 80 ? raw.substring(0, 80) + "..." : raw)
        .hasSize(1)
        .allMatch(m -> isNotice(m, "error")));
      return null;
    });
  }

  /** A ping command padded to exactly {@code bytes} UTF-8 bytes (without the newline) with {@code pad}. */
  private static String paddedPing(int bytes, String pad) {
    String prefix = "{\"command\":\"ping\",\"pad\":\"";
    String suffix = "\"}";
    int padBytes = pad.getBytes(StandardCharsets.UTF_8).length;
    int room = bytes - prefix.length() - suffix.length();
    StringBuilder sb = new StringBuilder(prefix);
    sb.append(pad.repeat(room / padBytes));
    sb.append("x".repeat(room % padBytes));
    sb.append(suffix);
    assertThat(sb.toString().getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
    return sb.toString();
  }

  @Test
  @DisplayName("a command that needs login, sent before login: error notice, the connection stays open")
  void commandBeforeLogin(Vertx vertx, VertxTestContext ctx) {
    ws(vertx).compose(client -> {
      client.send(new JsonObject().put("command", "game_host").put("visibility", "public"));
      return client.expectNotice("error")
        .compose(n -> {
          client.send(new JsonObject().put("target", "game").put("command", "GameState").put("args", new JsonArray().add("Idle")));
          return client.expectNotice("error");
        })
        .compose(n -> {
          client.send(new JsonObject().put("command", "no_such_command"));
          return client.expectNotice("error");
        })
        .compose(n -> roundTrip(client))
        .map(pong -> {
          ctx.verify(() -> {
            assertThat(client.isClosed()).isFalse();
            assertThat(commands(client)).containsExactly("notice", "notice", "notice", "pong");
          });
          return client;
        });
    }).compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("an unknown command after login: {\"command\":\"invalid\"}, the connection stays open")
  void unknownCommandAfterLogin(Vertx vertx, VertxTestContext ctx) {
    FafTestSupport.loggedIn(vertx, NODE.node(), "unknown").compose(p -> {
      FafClient client = p.client();
      client.send(new JsonObject().put("command", "teleport_me").put("where", "moon"));
      return client.expect("invalid").compose(invalid -> roundTrip(client)).map(pong -> {
        ctx.verify(() -> {
          assertThat(client.isClosed()).isFalse();
          assertThat(count(client, m -> "notice".equals(m.getString("command")))).isZero();
        });
        return client;
      });
    }).compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("malformed JSON: error notice, then the connection is closed (WebSocket and TCP)")
  void malformedJson(Vertx vertx, VertxTestContext ctx) {
    Future.all(
        ws(vertx).compose(c -> expectFatal(ctx, c, "{\"command\": \"ping\"\n")),
        tcp(vertx).compose(c -> expectFatal(ctx, c, "this is not json\n")),
        ws(vertx).compose(c -> expectFatal(ctx, c, "[\"ping\"]\n")),
        tcp(vertx).compose(c -> expectFatal(ctx, c, "null\n")),
        ws(vertx).compose(c -> expectFatal(ctx, c, "\"ping\"\n")))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("malformed JSON after login: error notice, then the close, and the player goes offline")
  void malformedJsonAfterLogin(Vertx vertx, VertxTestContext ctx) {
    FafTestSupport.loggedIn(vertx, NODE.node(), "malfWatch").compose(watcher -> FafTestSupport.loggedIn(vertx, NODE.node(), "malf")
      .compose(p -> expectFatal(ctx, p.client(), "{oops}\n")
        .compose(v -> watcher.client().inbox().next(FafTestSupport.offline(p.id()), "offline player_info")))
      .compose(offline -> watcher.client().close()))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("messages after a fatal one are ignored: an auth behind malformed JSON does not log in or kick the live session")
  void nothingIsHandledAfterAFatalMessage(Vertx vertx, VertxTestContext ctx) {
    FafTestSupport.loggedIn(vertx, NODE.node(), "live").compose(p -> Future.all(ws(vertx), tcp(vertx)).compose(all -> {
      FafClient viaWs = all.resultAt(0);
      FafClient viaTcp = all.resultAt(1);
      String tail = FafTestSupport.auth(p.token()).encode() + "\n";
      return expectFatal(ctx, viaWs, "{broken\n" + tail)
        .compose(v -> expectFatal(ctx, viaTcp, "{\"no\":\"command\"}\n" + tail))
        .compose(v -> roundTrip(p.client()))
        .map(pong -> {
          ctx.verify(() -> {
            assertThat(commands(viaWs)).doesNotContain("welcome", "irc_password");
            assertThat(commands(viaTcp)).doesNotContain("welcome", "irc_password");
            assertThat(p.client().isClosed()).isFalse();
            assertThat(p.client().inbox().history()).noneMatch(m -> isNotice(m, "kick"));
          });
          return p;
        });
    })).compose(p -> p.client().close()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("JSON without a string command: error notice, then the close")
  void missingCommand(Vertx vertx, VertxTestContext ctx) {
    Future.all(
        ws(vertx).compose(c -> expectFatal(ctx, c, "{\"target\":\"game\"}\n")),
        ws(vertx).compose(c -> expectFatal(ctx, c, "{\"command\":42}\n")),
        tcp(vertx).compose(c -> expectFatal(ctx, c, "{\"command\":null}\n")),
        tcp(vertx).compose(c -> expectFatal(ctx, c, "{\"command\":{\"name\":\"ping\"}}\n")))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a message of exactly MAX_MESSAGE_BYTES is accepted over WebSocket and TCP")
  void messageAtTheLimit(Vertx vertx, VertxTestContext ctx) {
    String atLimit = paddedPing(LIMIT, "x");
    Function<FafClient, Future<Void>> check = client -> {
      client.sendRaw(atLimit + "\n");
      return client.expect("pong").compose(pong -> client.close());
    };
    Future.all(ws(vertx).compose(check), tcp(vertx).compose(check)).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a message over MAX_MESSAGE_BYTES over WebSocket: error notice, then the close")
  void oversizedOverWebSocket(Vertx vertx, VertxTestContext ctx) {
    ws(vertx).compose(client -> expectFatal(ctx, client, paddedPing(LIMIT + 1, "x") + "\n"))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a WebSocket message beyond the transport limit (sent in several frames): error notice, then the close")
  void hugeMultiFrameMessageOverWebSocket(Vertx vertx, VertxTestContext ctx) {
    // 100 kB: above the WebSocket message limit of this node (64 KiB), so the transport refuses it whole.
    ws(vertx).compose(client -> expectFatal(ctx, client, paddedPing(100_000, "x") + "\n"))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a message over MAX_MESSAGE_BYTES over TCP: error notice, then the close")
  void oversizedOverTcp(Vertx vertx, VertxTestContext ctx) {
    tcp(vertx).compose(client -> expectFatal(ctx, client, paddedPing(LIMIT + 1, "x") + "\n"))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("TCP: an oversized line followed by a ping in the same write: the notice and the close, no pong")
  void oversizedThenPingOverTcp(Vertx vertx, VertxTestContext ctx) {
    FafTestSupport.loggedIn(vertx, NODE.node(), "bigTcp").compose(p -> FafClient.tcp(vertx, NODE.fafTcpPort())
        .compose(client -> FafTestSupport.loginFully(client, p.token()).compose(v -> expectFatal(ctx, client,
          paddedPing(LIMIT + 1, "x") + "\n" + FafTestSupport.ping().encode() + "\n" + FafTestSupport.ping().encode() + "\n")))
        .compose(v -> p.client().close()))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a TCP line that grows past the limit without a newline: one error notice, then the close")
  void endlessLineOverTcp(Vertx vertx, VertxTestContext ctx) {
    tcp(vertx).compose(client -> expectFatal(ctx, client, "{\"command\":\"ping\",\"pad\":\"" + "y".repeat(LIMIT * 8)))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("the limit counts UTF-8 bytes, not characters: a multi-byte message over the limit is refused on both doors")
  void limitCountsBytes(Vertx vertx, VertxTestContext ctx) {
    // About 3000 characters, but over 4096 bytes.
    String multiByte = paddedPing(LIMIT + 2, "é");
    assertThat(multiByte.length()).isLessThan(LIMIT);
    Future.all(
        ws(vertx).compose(c -> expectFatal(ctx, c, multiByte + "\n")),
        tcp(vertx).compose(c -> expectFatal(ctx, c, multiByte + "\n")))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("an oversized message after login: error notice, the close, and nothing after it is handled")
  void oversizedAfterLogin(Vertx vertx, VertxTestContext ctx) {
    FafTestSupport.loggedIn(vertx, NODE.node(), "big").compose(p -> {
      FafClient client = p.client();
      return expectFatal(ctx, client, paddedPing(LIMIT + 100, "x") + "\n" + FafTestSupport.ping().encode() + "\n");
    }).onComplete(ctx.succeedingThenComplete());
  }
}
