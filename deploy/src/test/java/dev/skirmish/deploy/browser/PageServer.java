package dev.skirmish.deploy.browser;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Serves the test pages in {@code src/test/resources/browser/} over HTTP on an ephemeral loopback port.
 * Pages are opened as {@code http://localhost:PORT/}: a secure context, so WebRTC and WebCrypto are available
 * without TLS.
 */
public final class PageServer {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(html|js)");
  private static final Map<String, String> TYPES = Map.of(
    "html", "text/html; charset=utf-8",
    "js", "text/javascript; charset=utf-8");

  private final HttpServer server;

  private PageServer(HttpServer server) {
    this.server = server;
  }

  public static Future<PageServer> start(Vertx vertx) {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    server.requestHandler(req -> {
      String path = req.path();
      String name = "/".equals(path) ? "index.html" : path.substring(1);
      Buffer body = NAME.matcher(name).matches() ? resource(name) : null;
      if (body == null) {
        req.response().setStatusCode(404).end("not found");
        return;
      }
      req.response()
        .putHeader("Content-Type", TYPES.get(name.substring(name.lastIndexOf('.') + 1)))
        .putHeader("Cache-Control", "no-store")
        .end(body);
    });
    return server.listen().map(PageServer::new);
  }

  /** The address of the page {@code name} ("" for the index page). */
  public String url(String name) {
    return "http://localhost:" + server.actualPort() + "/" + name;
  }

  public Future<Void> close() {
    return server.close();
  }

  private static Buffer resource(String name) {
    try (InputStream in = PageServer.class.getClassLoader().getResourceAsStream("browser/" + name)) {
      return in == null ? null : Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      return null;
    }
  }
}
