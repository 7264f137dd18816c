package dev.skirmish.deploy.browser;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal Chrome DevTools Protocol client over one browser-level WebSocket. Commands for attached pages
 * travel on the same socket with their {@code sessionId} (flat session mode).
 */
public final class CdpClient {

  /** A DevTools command answered with an error object. */
  public static final class CdpException extends RuntimeException {
    CdpException(String method, JsonObject error) {
      super(method + " failed: " + error.encode());
    }

    CdpException(String message) {
      super(message);
    }
  }

  private record Subscription(String sessionId, String method, Handler<JsonObject> handler) {
  }

  private record Pending(String method, Promise<JsonObject> promise) {
  }

  private final WebSocketClient client;
  private final WebSocket ws;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private volatile String closedReason;

  private CdpClient(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
  }

  /** Connects to a browser's DevTools address ({@code ws://127.0.0.1:PORT/devtools/browser/ID}). */
  public static Future<CdpClient> connect(Vertx vertx, String devToolsUrl) {
    // Page results (returnByValue) and DOM events can exceed the default message limit.
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
      .setMaxFrameSize(16 * 1024 * 1024)
      .setMaxMessageSize(64 * 1024 * 1024));
    // Chromium refuses DevTools handshakes that carry an Origin it was not told to allow.
    WebSocketConnectOptions options = new WebSocketConnectOptions().setAbsoluteURI(devToolsUrl)
      .setAllowOriginHeader(false);
    return client.connect(options)
      .map(ws -> {
        CdpClient cdp = new CdpClient(client, ws);
        ws.textMessageHandler(cdp::onMessage);
        ws.exceptionHandler(err -> cdp.onClosed("DevTools connection error: " + err));
        ws.closeHandler(v -> cdp.onClosed("DevTools connection closed"));
        return cdp;
      })
      .onFailure(err -> client.close());
  }

  /** Sends a browser-level command; completes with its {@code result}. */
  public Future<JsonObject> send(String method, JsonObject params) {
    return send(null, method, params);
  }

  /** Sends a command to an attached session ({@code sessionId} null = the browser); completes with its {@code result}. */
  public Future<JsonObject> send(String sessionId, String method, JsonObject params) {
    String closed = closedReason;
    if (closed != null) {
      return Future.failedFuture(new CdpException(method + ": " + closed));
    }
    int id = ids.incrementAndGet();
    JsonObject message = new JsonObject().put("id", id).put("method", method)
      .put("params", params == null ? new JsonObject() : params);
    if (sessionId != null) {
      message.put("sessionId", sessionId);
    }
    Promise<JsonObject> promise = Promise.promise();
    pending.put(id, new Pending(method, promise));
    if (closedReason != null && pending.remove(id) != null) {
      return Future.failedFuture(new CdpException(method + ": " + closedReason));
    }
    ws.writeTextMessage(message.encode()).onFailure(err -> {
      Pending p = pending.remove(id);
      if (p != null) {
        p.promise().tryFail(new CdpException(method + ": cannot send: " + err));
      }
    });
    return promise.future();
  }

  /**
   * Calls {@code handler} with the {@code params} of every event named {@code method} from {@code sessionId}
   * (null = browser-level events). Returns a handle that removes the subscription.
   */
  public Runnable on(String sessionId, String method, Handler<JsonObject> handler) {
    Subscription s = new Subscription(sessionId, method, handler);
    subscriptions.add(s);
    return () -> subscriptions.remove(s);
  }

  /** Closes the DevTools connection. Pending commands fail. */
  public Future<Void> close() {
    return ws.close().eventually(() -> client.close());
  }

  private void onMessage(String text) {
    JsonObject message = new JsonObject(text);
    Integer id = message.getInteger("id");
    if (id != null) {
      Pending p = pending.remove(id);
      if (p == null) {
        return;
      }
      JsonObject error = message.getJsonObject("error");
      if (error != null) {
        p.promise().tryFail(new CdpException(p.method(), error));
      } else {
        p.promise().tryComplete(message.getJsonObject("result", new JsonObject()));
      }
      return;
    }
    String method = message.getString("method");
    if (method == null) {
      return;
    }
    String sessionId = message.getString("sessionId");
    JsonObject params = message.getJsonObject("params", new JsonObject());
    for (Subscription s : subscriptions) {
      if (s.method().equals(method) && Objects.equals(s.sessionId(), sessionId)) {
        s.handler().handle(params);
      }
    }
  }

  private void onClosed(String reason) {
    if (closedReason == null) {
      closedReason = reason;
    }
    for (Integer id : List.copyOf(pending.keySet())) {
      Pending p = pending.remove(id);
      if (p != null) {
        p.promise().tryFail(new CdpException(p.method() + ": " + reason));
      }
    }
  }
}
