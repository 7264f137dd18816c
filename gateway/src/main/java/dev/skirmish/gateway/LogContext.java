package dev.skirmish.gateway;

import dev.skirmish.common.Ids;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.MDC;

/**
 * The MDC fields of the gateway's log lines: {@code connection} (the client connection's id), {@code player} (FAF
 * player id or CL Omega account id, once known) and {@code request} (one id per client message or REST request).
 * Vert.x does not carry the MDC across asynchronous steps, so the fields are set and cleared around the synchronous
 * part of a handler on the event loop: lines logged in that scope carry them, later steps of the same request do not.
 */
final class LogContext {

  static final String CONNECTION = "connection";
  static final String PLAYER = "player";
  static final String REQUEST = "request";
  /** The response header and routing-context key of a REST request's id. */
  static final String REQUEST_HEADER = "X-Request-Id";

  private LogContext() {
  }

  /** Sets the fields for one client message: {@code request} is the connection id and the message's number on it. */
  static void enter(String connection, Object player, long message) {
    MDC.put(CONNECTION, connection);
    if (player != null) {
      MDC.put(PLAYER, player.toString());
    }
    MDC.put(REQUEST, connection + ":" + message);
  }

  /** Clears every field. */
  static void exit() {
    MDC.remove(CONNECTION);
    MDC.remove(PLAYER);
    MDC.remove(REQUEST);
  }

  /**
   * The first handler of every HTTP request: gives it an id (in the routing context and the {@code X-Request-Id}
   * response header) and runs the routing that follows synchronously with {@code request} in the MDC.
   */
  static void tagRequest(RoutingContext ctx) {
    String id = Ids.ulid();
    ctx.put(REQUEST_HEADER, id);
    ctx.response().putHeader(REQUEST_HEADER, id);
    MDC.put(REQUEST, id);
    try {
      ctx.next();
    } finally {
      MDC.remove(REQUEST);
    }
  }

  /** {@code handler} with the request's id in the MDC while it runs (for handlers reached after the body was read). */
  static Handler<RoutingContext> rest(Handler<RoutingContext> handler) {
    return ctx -> {
      String id = ctx.get(REQUEST_HEADER);
      if (id != null) {
        MDC.put(REQUEST, id);
      }
      try {
        handler.handle(ctx);
      } finally {
        MDC.remove(REQUEST);
      }
    };
  }
}
