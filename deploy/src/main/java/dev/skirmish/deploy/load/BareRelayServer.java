package dev.skirmish.deploy.load;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ceiling for a CL Omega relay: a bare Vert.x WebSocket server with {@code EVENT_LOOPS} event loops (default 2)
 * that does the least a relay of this protocol must do per packet and nothing else. A client names itself in the
 * URL ({@code /relay?id=ID}); for each text message the server decodes the JSON, looks the recipient up in one
 * map, adds {@code origin}, writes the packet to the recipient and {@code RELAY_OK} to the sender. No tokens,
 * lobbies, limits, database or cluster. {@code GET /ready} answers 200. Run in its own JVM by the benchmark.
 */
public final class BareRelayServer extends AbstractVerticle {

  private static final String RELAY_OK = "{\"opcode\":\"RELAY_OK\"}";
  private static final String PEER_INVALID = "{\"opcode\":\"PEER_INVALID\"}";

  private final Map<String, ServerWebSocket> sockets;

  private BareRelayServer(Map<String, ServerWebSocket> sockets) {
    this.sockets = sockets;
  }

  public static void main(String[] args) {
    int loops = Integer.parseInt(System.getenv().getOrDefault("EVENT_LOOPS", "2"));
    int port = Integer.parseInt(System.getenv().getOrDefault("HTTP_PORT", "8080"));
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
    Map<String, ServerWebSocket> sockets = new ConcurrentHashMap<>();
    vertx.deployVerticle(() -> new BareRelayServer(sockets), new DeploymentOptions().setInstances(loops)
        .setConfig(new JsonObject().put("port", port)))
      .onFailure(err -> {
        err.printStackTrace();
        System.exit(1);
      });
  }

  @Override
  public void start(io.vertx.core.Promise<Void> started) {
    vertx.createHttpServer()
      .requestHandler(req -> req.response().setStatusCode("/ready".equals(req.path()) ? 200 : 404).end())
      .webSocketHandler(this::accept)
      .listen(config().getInteger("port"), "127.0.0.1")
      .<Void>mapEmpty()
      .onComplete(started);
  }

  private void accept(ServerWebSocket ws) {
    String id = ws.query() == null ? null : ws.query().replaceFirst("^.*\\bid=([^&]*).*$", "$1");
    if (id == null || id.isEmpty() || !"/relay".equals(ws.path())) {
      ws.close((short) 1008, "expected /relay?id=ID");
      return;
    }
    sockets.put(id, ws);
    JsonObject origin = new JsonObject().put("id", id);
    ws.closeHandler(v -> sockets.remove(id, ws));
    ws.textMessageHandler(text -> {
      JsonObject packet = new JsonObject(text);
      ServerWebSocket to = sockets.get(packet.getString("recipient"));
      if (to == null) {
        ws.writeTextMessage(PEER_INVALID);
        return;
      }
      packet.remove("recipient");
      to.writeTextMessage(packet.put("origin", origin).encode());
      ws.writeTextMessage(RELAY_OK);
    });
  }
}
