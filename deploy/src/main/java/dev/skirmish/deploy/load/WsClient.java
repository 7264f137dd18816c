package dev.skirmish.deploy.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/** A minimal CL Omega client for the load driver: awaits opcodes during set-up, then streams packets. */
final class WsClient {

  private final WebSocket ws;
  private final Map<String, Promise<JsonObject>> awaiting = new HashMap<>();
  private Consumer<String> traffic = text -> { };

  private WsClient(WebSocket ws) {
    this.ws = ws;
    ws.textMessageHandler(text -> {
      if (awaiting.isEmpty()) {
        // Streaming phase: the load itself is handed over unparsed, so the driver spends little per message.
        traffic.accept(text);
        return;
      }
      JsonObject packet = new JsonObject(text);
      Promise<JsonObject> p = awaiting.remove(packet.getString("opcode"));
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
    return client.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI(uri)).map(WsClient::new);
  }

  /** Sends a packet and completes with the first later packet of opcode {@code expected}. */
  Future<JsonObject> request(JsonObject packet, String expected) {
    Promise<JsonObject> p = Promise.promise();
    awaiting.put(expected, p);
    ws.writeTextMessage(packet.encode());
    return p.future();
  }

  Future<JsonObject> await(String opcode) {
    Promise<JsonObject> p = Promise.promise();
    awaiting.put(opcode, p);
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
