package dev.skirmish.gateway;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The static pages in the jar ({@code webroot/} on the classpath): the start page at {@code /}, the operator
 * console at {@code /console/} and the CL Omega demo at {@code /demo/}. Plain HTML, CSS and JavaScript, no
 * build step.
 */
final class WebPages {

  private WebPages() {
  }

  static void mount(Router router) {
    router.get("/console").handler(ctx -> redirect(ctx, "/console/"));
    router.get("/demo").handler(ctx -> redirect(ctx, "/demo/"));
    router.get("/console/*").handler(StaticHandler.create("webroot/console").setCachingEnabled(false));
    router.get("/demo/*").handler(StaticHandler.create("webroot/demo").setCachingEnabled(false));
  }

  /** The start page: what runs here and where to go. */
  static Handler<RoutingContext> index() {
    return ctx -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").sendFile("webroot/index.html");
  }

  /** {@code /console} to {@code /console/}, so that the page's relative links resolve; the route matches both. */
  private static void redirect(RoutingContext ctx, String to) {
    if (ctx.request().path().endsWith("/")) {
      ctx.next();
      return;
    }
    ctx.response().setStatusCode(301).putHeader("Location", to).end();
  }
}
