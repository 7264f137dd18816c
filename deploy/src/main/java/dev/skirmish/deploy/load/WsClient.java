package dev.skirmish.deploy.load;

import dev.skirmish.gateway.FlushPerTurn;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A minimal WebSocket client for the load drivers: awaits messages by type during set-up, then streams packets.
 * It speaks CL Omega (type in {@code opcode}) or the FAF lobby protocol (type in {@code command},
 * newline-terminated messages).
 */
final class WsClient {

  /** Where a protocol's messages carry their type, and what ends each message sent. */
  enum Protocol {
    OMEGA("opcode", ""),
    FAF("command", "\n"),
    /** The PeerJS server's protocol (type in {@code type}), for the PeerJS baseline. */
    PEERJS("type", "");

    private final String typeField;
    private final String terminator;

    Protocol(String typeField, String terminator) {
      this.typeField = typeField;
      this.terminator = terminator;
    }
  }

  private final WebSocket ws;
  private final Protocol protocol;
  private final Map<String, Promise<JsonObject>> awaiting = new HashMap<>();
  private Consumer<String> traffic = text -> { };

  private WsClient(WebSocket ws, Protocol protocol) {
    this.ws = ws;
    this.protocol = protocol;
    if (ws instanceof WebSocketInternal internal) {
      // The driver writes to one socket while it reads another (a host's relayed packet makes its peer send the
      // next one); one flush per event-loop turn instead of one per packet keeps the driver's own cost per relay
      // low, the same for every server it measures.
      FlushPerTurn.install(internal.channelHandlerContext().channel());
    }
    ws.textMessageHandler(text -> {
      if (awaiting.isEmpty()) {
        // Streaming phase: the load itself is handed over unparsed, so the driver spends little per message.
        traffic.accept(text);
        return;
      }
      JsonObject packet = new JsonObject(text);
      Promise<JsonObject> p = awaiting.remove(packet.getString(protocol.typeField));
      if (p != null) {
        p.complete(packet);
      } else {
        traffic.accept(text);
      }
    });
  }

  /** One client for all sockets of a run; it must stay referenced while they are open. */
  static WebSocketClient newClient(Vertx vertx) {
    return vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000));
  }

  static Future<WsClient> connect(WebSocketClient client, String host, int port, String uri) {
    return connect(client, host, port, uri, Protocol.OMEGA);
  }

  static Future<WsClient> connect(WebSocketClient client, String host, int port, String uri, Protocol protocol) {
    return client.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI(uri))
      .map(ws -> new WsClient(ws, protocol));
  }

  /** Sends a packet and completes with the first later packet of type {@code expected}. */
  Future<JsonObject> request(JsonObject packet, String expected) {
    Future<JsonObject> reply = await(expected);
    ws.writeTextMessage(packet.encode() + protocol.terminator);
    return reply;
  }

  /** Completes with the first later packet of type {@code type}. */
  Future<JsonObject> await(String type) {
    Promise<JsonObject> p = Promise.promise();
    awaiting.put(type, p);
    return p.future();
  }

  void onTraffic(Consumer<String> handler) {
    this.traffic = handler;
  }

  void send(String text) {
    ws.writeTextMessage(text);
  }

  /** The send time stamp ({@code "t":<nanos>}) of a load packet, or -1 for any other packet. */
  static long stamp(String text) {
    int i = text.lastIndexOf("\"t\":");
    if (i < 0) {
      return -1;
    }
    long value = 0;
    for (int j = i + 4; j < text.length(); j++) {
      char c = text.charAt(j);
      if (c < '0' || c > '9') {
        break;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  Future<Void> close() {
    return ws.close();
  }
}
