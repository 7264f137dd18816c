package dev.skirmish.gateway;

import dev.skirmish.common.Failures;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Request and response helpers shared by the REST endpoints. */
final class Rest {

  /** Largest request body the REST endpoints read; beyond, 413 in the REST error shape. */
  static final int BODY_LIMIT = 64 * 1024;

  private Rest() {
  }

  /** The JSON object body; an empty object for no body; null when the body is not a JSON object. */
  static JsonObject jsonBody(RoutingContext ctx) {
    try {
      JsonObject json = ctx.body().asJsonObject();
      return json == null ? new JsonObject() : json;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Ends the response with a JSON object or array. */
  static void json(RoutingContext ctx, int status, Object body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
      .end(body instanceof JsonArray a ? a.encode() : ((JsonObject) body).encode());
  }

  /** What {@code Retry-After} says when the database cannot be reached. */
  static final int UNAVAILABLE_RETRY_SECONDS = 5;

  /**
   * The database cannot be reached: 503 with {@code Retry-After} and
   * {@code {error: temporarily_unavailable, error_description}} (the OAuth2 error shape, on every endpoint).
   */
  static void unavailable(RoutingContext ctx) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().putHeader("Retry-After", String.valueOf(UNAVAILABLE_RETRY_SECONDS));
    json(ctx, 503, new JsonObject().put("error", "temporarily_unavailable")
      .put("error_description", Failures.UNAVAILABLE_TEXT));
  }

  /** Ends the response with plain text. */
  static void text(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(body);
  }
}
