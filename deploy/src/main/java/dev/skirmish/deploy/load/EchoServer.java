package dev.skirmish.deploy.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/** A bare Vert.x WebSocket server that echoes every text message: the ceiling a relay is measured against. */
final class EchoServer {

  private EchoServer() {
  }

  static Future<HttpServer> start(Vertx vertx) {
    return vertx.createHttpServer()
      .webSocketHandler(ws -> ws.textMessageHandler(ws::writeTextMessage))
      .listen(0, "127.0.0.1");
  }
}
