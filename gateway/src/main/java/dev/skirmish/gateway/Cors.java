package dev.skirmish.gateway;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * CORS for the CL Omega account endpoints, so a browser game on an origin registered for any game
 * ({@link GameOrigins}) can register and log in: such an origin is echoed in
 * {@code Access-Control-Allow-Origin} (never {@code *}, never with credentials: the token travels in the
 * body); any other origin gets no CORS headers, and the browser keeps the answer from the page.
 */
final class Cors {

  static final String METHODS = "POST, OPTIONS";
  static final String HEADERS = "Content-Type";

  private final GameOrigins origins;
  private final String maxAge;

  Cors(GameOrigins origins, long maxAgeSeconds) {
    this.origins = origins;
    this.maxAge = String.valueOf(maxAgeSeconds);
  }

  /** Before an actual request: allows a registered Origin to read the answer, whatever it will be. */
  void actual(RoutingContext ctx) {
    allowOrigin(ctx);
    ctx.next();
  }

  /** Answers a preflight: 204, with the allowances when the Origin is registered and asks for POST. */
  void preflight(RoutingContext ctx) {
    String method = ctx.request().getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD);
    if (method == null || method.equals("POST")) {
      if (allowOrigin(ctx)) {
        ctx.response()
          .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, METHODS)
          .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, HEADERS)
          .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, maxAge);
      }
    } else {
      ctx.response().headers().add(HttpHeaders.VARY, "Origin");
    }
    ctx.response().setStatusCode(204).end();
  }

  private boolean allowOrigin(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    response.headers().add(HttpHeaders.VARY, "Origin");
    String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
    if (!origins.allowed(origin)) {
      return false;
    }
    response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    return true;
  }
}
