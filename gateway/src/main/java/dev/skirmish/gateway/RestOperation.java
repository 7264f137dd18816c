package dev.skirmish.gateway;

import io.vertx.ext.web.RoutingContext;
import io.vertx.core.Handler;

import java.util.List;

/**
 * What serves one operation of the OpenAPI document: the handlers that run before its request is validated
 * (CORS, rate limits), its handler once valid, and the failure handler that words a refusal in its protocol.
 */
record RestOperation(List<Handler<RoutingContext>> before, Handler<RoutingContext> handler,
                     Handler<RoutingContext> failure) {

  /** An operation answered in the REST error shape, with nothing before validation. */
  static RestOperation of(Handler<RoutingContext> handler) {
    return new RestOperation(List.of(), handler, RestErrors::failure);
  }
}
