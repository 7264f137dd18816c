package dev.skirmish.common.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

import java.nio.charset.StandardCharsets;

/** A test client of the FAF lobby protocol over WebSocket ({@code /lobby}) or the newline-JSON TCP port. */
public final class FafClient {

  private final MessageInbox inbox;
  private final WebSocket ws;
  private final NetSocket tcp;

  private FafClient(MessageInbox inbox, WebSocket ws, NetSocket tcp) {
    this.inbox = inbox;
    this.ws = ws;
    this.tcp = tcp;
  }

  /** Connects over WebSocket to {@code path} (normally {@code /lobby}). */
  public static Future<FafClient> webSocket(Vertx vertx, int port, String path) {
    WebSocketClient client = vertx.createWebSocketClient();
    MessageInbox inbox = new MessageInbox(vertx);
    return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path))
      .map(ws -> {
        ws.textMessageHandler(text -> {
          for (String line : text.split("\n")) {
            if (!line.isBlank()) {
              inbox.add(new JsonObject(line));
            }
          }
        });
        ws.closeHandler(v -> {
          inbox.markClosed();
          client.close();
        });
        return new FafClient(inbox, ws, null);
      });
  }

  public static Future<FafClient> webSocket(Vertx vertx, int port) {
    return webSocket(vertx, port, "/lobby");
  }

  /** Connects to the FAF TCP port. */
  public static Future<FafClient> tcp(Vertx vertx, int port) {
    MessageInbox inbox = new MessageInbox(vertx);
    return vertx.createNetClient().connect(port, "127.0.0.1").map(socket -> {
      socket.handler(RecordParser.newDelimited("\n", line -> {
        String s = line.toString(StandardCharsets.UTF_8);
        if (!s.isBlank()) {
          inbox.add(new JsonObject(s));
        }
      }));
      socket.closeHandler(v -> inbox.markClosed());
      return new FafClient(inbox, null, socket);
    });
  }

  public MessageInbox inbox() {
    return inbox;
  }

  /** Sends one message (one WebSocket frame, or one line on TCP). */
  public FafClient send(JsonObject message) {
    return sendRaw(message.encode() + "\n");
  }

  /** Sends raw text as one WebSocket text frame or one TCP write. */
  public FafClient sendRaw(String text) {
    if (ws != null) {
      ws.writeTextMessage(text);
    } else {
      tcp.write(Buffer.buffer(text, "UTF-8"));
    }
    return this;
  }

  /** Sends raw bytes as one binary WebSocket frame (or one TCP write). */
  public FafClient sendBinary(String text) {
    if (ws != null) {
      ws.writeBinaryMessage(Buffer.buffer(text, "UTF-8"));
    } else {
      tcp.write(Buffer.buffer(text, "UTF-8"));
    }
    return this;
  }

  /** The next message with this {@code command}. */
  public Future<JsonObject> expect(String command) {
    return inbox.next(m -> command.equals(m.getString("command")), "command " + command);
  }

  /** The next notice of this style. */
  public Future<JsonObject> expectNotice(String style) {
    return inbox.next(m -> "notice".equals(m.getString("command")) && style.equals(m.getString("style")),
      "notice " + style);
  }

  public Future<JsonObject> next() {
    return inbox.next();
  }

  public Future<Void> expectClosed() {
    return inbox.expectClosed();
  }

  public boolean isClosed() {
    return inbox.closed().isComplete();
  }

  /** Sends auth with a token and waits for welcome. */
  public Future<JsonObject> login(String token) {
    send(new JsonObject().put("command", "auth").put("token", token).put("unique_id", "test"));
    return expect("welcome");
  }

  public Future<Void> close() {
    if (ws != null) {
      return ws.close();
    }
    return tcp.close();
  }
}
