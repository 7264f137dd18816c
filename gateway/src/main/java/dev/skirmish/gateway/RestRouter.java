package dev.skirmish.gateway;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.Operation;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Builds the gateway's router from the OpenAPI document with the Vert.x OpenAPI router builder: one route
 * per operation, whose request is validated against the document (on a worker thread, by the library)
 * before its handler runs. Ahead of every operation's route, a route of the same method and path runs the
 * operation's own pre-handlers (CORS, rate limits) and then reads the body within {@link Rest#BODY_LIMIT},
 * so limits apply before any validation work. Each handler runs with the request's id in the log MDC
 * ({@link LogContext#rest}). The document and the handlers must name the same operations, or the node does not
 * start.
 */
final class RestRouter {

  private RestRouter() {
  }

  static Router create(Vertx vertx, RestContract contract, Map<String, RestOperation> operations) {
    RouterBuilder builder = RouterBuilder.create(vertx, contract.contract(), new RestRequests());
    Set<String> served = new HashSet<>();
    for (OpenAPIRoute route : builder.getRoutes()) {
      String id = route.getOperation().getOperationId();
      RestOperation op = operations.get(id);
      if (op == null) {
        throw new IllegalStateException("The OpenAPI document describes " + id + ", which no handler serves");
      }
      served.add(id);
      // the session token of the registry is checked by its handler, which answers 401 in the error shape
      route.setDoSecurity(false).addHandler(LogContext.rest(op.handler())).addFailureHandler(op.failure());
    }
    for (String id : operations.keySet()) {
      if (!served.contains(id)) {
        throw new IllegalStateException("Operation " + id + " has a handler but is not in the OpenAPI document");
      }
    }
    Router router = builder.createRouter();
    BodyHandler body = BodyHandler.create(false).setBodyLimit(Rest.BODY_LIMIT);
    for (Operation operation : contract.contract().operations()) {
      RestOperation op = operations.get(operation.getOperationId());
      String path = vertxPath(operation.getOpenAPIPath());
      if (!op.before().isEmpty()) {
        Route before = router.route(operation.getHttpMethod(), path).order(-1);
        for (Handler<RoutingContext> h : op.before()) {
          before.handler(h);
        }
      }
      // a route of its own: vertx-web refuses a body handler after user handlers on one route
      if (operation.getRequestBody() != null) {
        router.route(operation.getHttpMethod(), path).order(-1).handler(body);
      }
    }
    return router;
  }

  /** {@code /a/{b}/c} as vertx-web writes it: {@code /a/:b/c}. */
  static String vertxPath(String openApiPath) {
    return openApiPath.replaceAll("\\{([^}]+)}", ":$1");
  }
}
