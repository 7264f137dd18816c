package dev.skirmish.deploy.load;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;

/**
 * The baseline of the FAF login benchmark, run in its own JVM like the node: a bare Vert.x server that
 * accepts the WebSocket upgrade on {@code /lobby}, reads one message (the client's {@code auth}) and answers
 * it with one echoed frame; the connection then stays open, reading and ignoring anything else. {@code GET
 * /ready} answers 200. Listens on 127.0.0.1 at {@code HTTP_PORT}.
 */
public final class BareLoginServer {

  private BareLoginServer() {
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(System.getenv().getOrDefault("HTTP_PORT", "0"));
    Vertx vertx = Vertx.vertx();
    vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
      .requestHandler(req -> {
        if ("/lobby".equals(req.path())) {
          req.toWebSocket().onSuccess(BareLoginServer::answerFirst);
        } else if ("/ready".equals(req.path())) {
          req.response().end("ready");
        } else {
          req.response().setStatusCode(404).end();
        }
      })
      .listen()
      .onSuccess(s -> System.out.println("Bare login server ready on port " + s.actualPort()))
      .onFailure(err -> {
        System.err.println("Bare login server could not listen on port " + port + ": " + err);
        System.exit(1);
      });
  }

  private static void answerFirst(ServerWebSocket ws) {
    boolean[] answered = {false};
    ws.textMessageHandler(text -> {
      if (!answered[0]) {
        answered[0] = true;
        ws.writeTextMessage(text);
      }
    });
  }
}
