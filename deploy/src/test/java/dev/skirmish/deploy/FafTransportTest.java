package dev.skirmish.deploy;

import dev.skirmish.common.testing.FafClient;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafTestSupport.account;
import static dev.skirmish.deploy.FafTestSupport.auth;
import static dev.skirmish.deploy.FafTestSupport.commands;
import static dev.skirmish.deploy.FafTestSupport.commandsIgnoringTicks;
import static dev.skirmish.deploy.FafTestSupport.ping;
import static org.assertj.core.api.Assertions.assertThat;

/** Framing of the FAF front doors: newline-delimited TCP and WebSocket text/binary frames. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FafTransportTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode();

  private static String line(JsonObject message) {
    return message.encode() + "\n";
  }

  private static JsonObject askSession() {
    return new JsonObject().put("command", "ask_session").put("user_agent", "downlords-faf-client").put("version", "1");
  }

  @Test
  @DisplayName("TCP: two messages in one write are both handled, in order")
  void tcpTwoMessagesInOneWrite(Vertx vertx, VertxTestContext ctx) {
    account(vertx, NODE.node(), "tcp2").compose(p -> FafClient.tcp(vertx, NODE.fafTcpPort()).compose(client -> {
      client.sendRaw(line(askSession()) + line(auth(p.token())));
      return client.expect("session")
        .compose(s -> client.expect("welcome"))
        .compose(w -> client.expect("game_info"))
        .map(g -> {
          ctx.verify(() -> {
            assertThat(commands(client))
              .containsExactly("session", "irc_password", "welcome", "player_info", "social", "game_info");
            assertThat(client.inbox().history().get(2).getInteger("id")).isEqualTo(p.id());
          });
          return client;
        });
    })).compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("TCP: one message split across two writes is reassembled")
  void tcpMessageSplitAcrossWrites(Vertx vertx, VertxTestContext ctx) {
    account(vertx, NODE.node(), "tcpsplit").compose(p -> FafClient.tcp(vertx, NODE.fafTcpPort()).compose(client -> {
      String authLine = line(auth(p.token()));
      int cut = authLine.length() / 2;
      // The pong proves the server has read the first write, half an auth line included, before the rest is sent.
      client.sendRaw(line(ping()) + authLine.substring(0, cut));
      return client.expect("pong").compose(pong -> {
        ctx.verify(() -> assertThat(commands(client)).containsExactly("pong"));
        client.sendRaw(authLine.substring(cut));
        return client.expect("welcome");
      }).map(welcome -> {
        ctx.verify(() -> assertThat(welcome.getString("login")).isEqualTo(p.login()));
        return client;
      });
    })).compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("TCP: CRLF line endings are accepted")
  void tcpCrlf(Vertx vertx, VertxTestContext ctx) {
    account(vertx, NODE.node(), "tcpcrlf").compose(p -> FafClient.tcp(vertx, NODE.fafTcpPort()).compose(client -> {
      client.sendRaw(auth(p.token()).encode() + "\r\n");
      return client.expect("welcome").compose(welcome -> {
        client.sendRaw(ping().encode() + "\r\n" + ping().encode() + "\r\n");
        return client.expect("pong").compose(x -> client.expect("pong"));
      }).map(pong -> {
        ctx.verify(() -> {
          assertThat(client.isClosed()).isFalse();
          assertThat(client.inbox().history()).noneMatch(m -> "notice".equals(m.getString("command")));
        });
        return client;
      });
    })).compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("TCP: every outbound message is one line ending in a newline")
  void tcpOutboundFraming(Vertx vertx, VertxTestContext ctx) {
    StringBuilder raw = new StringBuilder();
    Promise<Void> twoLines = Promise.promise();
    vertx.createNetClient().connect(NODE.fafTcpPort(), "127.0.0.1").compose(socket -> {
      socket.handler(buf -> {
        raw.append(buf.toString(StandardCharsets.UTF_8));
        if (raw.chars().filter(c -> c == '\n').count() >= 2) {
          twoLines.tryComplete();
        }
      });
      socket.write(line(ping()) + line(ping()));
      return twoLines.future().map(v -> socket);
    }).compose(socket -> {
      ctx.verify(() -> assertThat(raw.toString()).isEqualTo("{\"command\":\"pong\"}\n{\"command\":\"pong\"}\n"));
      return socket.close();
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("WebSocket: a binary frame is handled like a text frame")
  void webSocketBinaryFrame(Vertx vertx, VertxTestContext ctx) {
    account(vertx, NODE.node(), "wsbin").compose(p -> FafClient.webSocket(vertx, NODE.httpPort()).compose(client -> {
      client.sendBinary(line(auth(p.token())));
      return client.expect("welcome").compose(welcome -> {
        ctx.verify(() -> assertThat(welcome.getInteger("id")).isEqualTo(p.id()));
        client.sendBinary(line(ping()));
        return client.expect("pong");
      }).map(pong -> client);
    })).compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("WebSocket: a frame with two newline-separated messages handles both, strictly in order")
  void webSocketTwoMessagesInOneFrame(Vertx vertx, VertxTestContext ctx) {
    account(vertx, NODE.node(), "ws2").compose(p -> FafClient.webSocket(vertx, NODE.httpPort()).compose(client -> {
      client.sendRaw(line(auth(p.token())) + ping().encode());
      return client.expect("pong").map(pong -> {
        // The ping is only handled after the whole login sequence, so pong comes after game_info.
        ctx.verify(() -> assertThat(commandsIgnoringTicks(client))
          .containsExactly("irc_password", "welcome", "player_info", "social", "game_info", "pong"));
        return client;
      });
    })).compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("WebSocket: two messages in one binary frame, CRLF-terminated, are both handled")
  void webSocketBinaryFrameWithTwoCrlfMessages(Vertx vertx, VertxTestContext ctx) {
    account(vertx, NODE.node(), "wsbin2").compose(p -> FafClient.webSocket(vertx, NODE.httpPort()).compose(client -> {
      client.sendBinary(askSession().encode() + "\r\n" + auth(p.token()).encode() + "\r\n");
      return client.expect("session").compose(s -> client.expect("welcome")).map(w -> client);
    })).compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("WebSocket: the upgrade works on / as well as on /lobby")
  void webSocketOnRootPath(Vertx vertx, VertxTestContext ctx) {
    account(vertx, NODE.node(), "wsroot").compose(p -> FafClient.webSocket(vertx, NODE.httpPort(), "/").compose(client -> {
      client.send(auth(p.token()));
      return client.expect("welcome").compose(welcome -> {
        ctx.verify(() -> assertThat(welcome.getString("login")).isEqualTo(p.login()));
        return FafTestSupport.roundTrip(client);
      }).map(pong -> client);
    })).compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("WebSocket: every outbound message is one text frame ending in a newline")
  void webSocketOutboundFraming(Vertx vertx, VertxTestContext ctx) {
    List<String> frames = new CopyOnWriteArrayList<>();
    Promise<Void> two = Promise.promise();
    vertx.createWebSocketClient().connect(NODE.httpPort(), "127.0.0.1", "/lobby").compose(ws -> {
      ws.textMessageHandler(text -> {
        frames.add(text);
        if (frames.size() == 2) {
          two.tryComplete();
        }
      });
      ws.writeTextMessage(line(ping()) + line(ping()));
      return two.future().map(v -> ws);
    }).compose(ws -> {
      ctx.verify(() -> assertThat(frames).containsExactly("{\"command\":\"pong\"}\n", "{\"command\":\"pong\"}\n"));
      return ws.close();
    }).onComplete(ctx.succeedingThenComplete());
  }
}
