package dev.skirmish.gateway;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one error shape of the REST endpoints, {@code {"error": code, "error_description": text}} (the OAuth
 * 2.0 error response, which {@code /oauth2/token} must use anyway), and the failure handler that answers a
 * request the router refused: 400 {@code invalid_request} when it does not match the OpenAPI document,
 * 413 {@code request_too_large} over the body limit, 500 {@code server_error} for anything unexpected.
 */
final class RestErrors {

  private static final Logger LOG = LoggerFactory.getLogger(RestErrors.class);

  private RestErrors() {
  }

  /** The code of an HTTP status in the error shape. */
  static String code(int status) {
    return switch (status) {
      case 400 -> "invalid_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 413 -> "request_too_large";
      case 429 -> "too_many_requests";
      case 503 -> "temporarily_unavailable";
      default -> status >= 500 ? "server_error" : "invalid_request";
    };
  }

  /** Answers {@code status} with the error shape. */
  static void send(RoutingContext ctx, int status, String description) {
    send(ctx, status, code(status), description);
  }

  /** Answers {@code status} with the error shape and an explicit code. */
  static void send(RoutingContext ctx, int status, String code, String description) {
    if (ctx.response().ended()) {
      return;
    }
    Rest.json(ctx, status, new JsonObject().put("error", code).put("error_description", description));
  }

  /** The status of a failed request: the router's or the failure's own, 500 when neither says. */
  static int status(RoutingContext ctx) {
    if (ctx.failure() instanceof HttpException e) {
      return e.getStatusCode();
    }
    return ctx.statusCode() > 0 ? ctx.statusCode() : 500;
  }

  /** What went wrong, for a person. */
  static String description(RoutingContext ctx, int status) {
    return switch (status) {
      case 400 -> ctx.failure() instanceof HttpException e && e.getCause() != null && e.getCause().getMessage() != null
        ? e.getCause().getMessage() : "The request does not match the API description (GET " + RestContract.PATH + ")";
      case 413 -> "The request body is larger than " + Rest.BODY_LIMIT / 1024 + " KiB";
      default -> "internal error";
    };
  }

  /** Failure handler of the endpoints that use the error shape. */
  static void failure(RoutingContext ctx) {
    int status = status(ctx);
    if (status >= 500) {
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
    }
    send(ctx, status, description(ctx, status));
  }
}
