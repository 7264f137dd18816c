package dev.skirmish.gateway;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

import java.util.List;

/**
 * The static pages in the jar ({@code webroot/} on the classpath): the start page at {@code /}, the operator
 * console at {@code /console/} and the CL Omega demo at {@code /demo/}. Plain HTML, CSS and JavaScript, no
 * build step.
 */
public final class WebPages {

  /**
   * The pages with files of their own: each is routed at its path (which redirects to the path with a slash)
   * and under {@code path/*} (its files from {@code webroot/<name>}). Not REST, so not in the OpenAPI document.
   */
  public static final List<String> PAGES = List.of("/console", "/demo");

  private WebPages() {
  }

  static void mount(Router router) {
    for (String page : PAGES) {
      router.get(page).handler(ctx -> redirect(ctx, page + "/"));
      router.get(page + "/*").handler(StaticHandler.create("webroot" + page).setCachingEnabled(false));
    }
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
