package dev.skirmish.common.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/** A test client of the CL Omega signaling protocol. */
public final class OmegaClient {

  private final MessageInbox inbox;
  private final WebSocket ws;
  private volatile Short closeStatus;

  private OmegaClient(MessageInbox inbox, WebSocket ws) {
    this.inbox = inbox;
    this.ws = ws;
  }

  /** Connects to {@code path} (for example {@code /api/v0/signaling?ugi=...}), with an optional Origin header. */
  public static Future<OmegaClient> connect(Vertx vertx, int port, String path, String origin) {
    WebSocketClient client = vertx.createWebSocketClient();
    MessageInbox inbox = new MessageInbox(vertx);
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path);
    if (origin != null) {
      options.addHeader("Origin", origin);
    }
    // Handlers are set before the upgrade: a server that answers and closes at once (a refused UGI) is still heard.
    ClientWebSocket ws = client.webSocket();
    OmegaClient c = new OmegaClient(inbox, ws);
    ws.textMessageHandler(text -> inbox.add(new JsonObject(text)));
    ws.closeHandler(v -> {
      c.closeStatus = ws.closeStatusCode();
      inbox.markClosed();
      client.close();
    });
    return ws.connect(options).map(c);
  }

  public static Future<OmegaClient> connect(Vertx vertx, int port, String ugi) {
    return connect(vertx, port, "/api/v0/signaling?ugi=" + ugi, null);
  }

  public MessageInbox inbox() {
    return inbox;
  }

  public OmegaClient send(JsonObject packet) {
    ws.writeTextMessage(packet.encode());
    return this;
  }

  public OmegaClient sendRaw(String text) {
    ws.writeTextMessage(text);
    return this;
  }

  /** Sends the UTF-8 bytes of {@code text} as one binary message. */
  public OmegaClient sendBinary(String text) {
    ws.writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer(text, "UTF-8"));
    return this;
  }

  /** Sends {@code {"opcode": opcode, "payload": payload, "listener": listener}} (nulls omitted). */
  public OmegaClient send(String opcode, Object payload, String listener) {
    JsonObject p = new JsonObject().put("opcode", opcode);
    if (payload != null) {
      p.put("payload", payload);
    }
    if (listener != null) {
      p.put("listener", listener);
    }
    return send(p);
  }

  /** The next packet with this opcode. */
  public Future<JsonObject> expect(String opcode) {
    return inbox.next(m -> opcode.equals(m.getString("opcode")), "opcode " + opcode);
  }

  public Future<JsonObject> next() {
    return inbox.next();
  }

  public Future<Void> expectClosed() {
    return inbox.expectClosed();
  }

  /** The close status the server sent, once closed. */
  public Short closeStatus() {
    return closeStatus;
  }

  /** Sends INIT with the token and waits for INIT_OK. */
  public Future<JsonObject> init(String token) {
    send("INIT", token, null);
    return expect("INIT_OK");
  }

  public Future<Void> close() {
    return ws.close();
  }
}
