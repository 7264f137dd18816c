package dev.skirmish.gateway;

import dev.skirmish.common.Addresses;
import dev.skirmish.common.Failures;
import dev.skirmish.common.Ids;
import dev.skirmish.common.Omega;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * The CL Omega front door: the WebSocket upgrade of {@code /api/v0/signaling?ugi=UGI}, after the game is
 * looked up and the request's {@code Origin} checked against the game's allowed origins.
 */
final class OmegaDoor {

  private static final Logger LOG = LoggerFactory.getLogger(OmegaDoor.class);

  private final Gateway gw;
  private final OmegaRelayFastPath relays;
  private final FlushPerTurn flushes;

  OmegaDoor(Gateway gw) {
    this.gw = gw;
    this.relays = new OmegaRelayFastPath(gw);
    this.flushes = new FlushPerTurn(gw.config());
  }

  void upgrade(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    if (!GatewayVerticle.isWebSocketUpgrade(req)) {
      ctx.response().setStatusCode(426).putHeader("Upgrade", "websocket").end("WebSocket upgrade required");
      return;
    }
    String ugi = req.getParam("ugi");
    if (!Ids.isUlid(ugi)) {
      req.toWebSocket().onSuccess(ws -> rejectAfterUpgrade(ws, Omega.validationError("ugi", "ulid")));
      return;
    }
    String canonical = Ids.canonical(ugi);
    req.pause();
    gw.vertx().eventBus().<JsonObject>request(Addresses.SIGNALING_GAME_LOOKUP, new JsonObject().put("ugi", canonical),
        gw.requestOptions())
      .onComplete(ar -> {
        req.resume();
        if (ar.failed()) {
          boolean notFound = ar.cause() instanceof ReplyException re && re.failureCode() == Failures.NOT_FOUND;
          String why = notFound ? "game not found"
            : gw.unavailable(ar.cause()) ? Failures.UNAVAILABLE_TEXT
            : "game lookup failed: " + ar.cause().getMessage();
          req.toWebSocket().onSuccess(ws -> rejectAfterUpgrade(ws, why));
          return;
        }
        JsonObject game = ar.result().body();
        JsonArray origins = game.getJsonArray("origins", new JsonArray());
        String origin = req.getHeader("Origin");
        if (!origins.isEmpty() && (origin == null || !origins.contains(origin))) {
          ctx.response().setStatusCode(403).putHeader("Content-Type", "text/plain")
            .end("origin not allowed for this game");
          return;
        }
        HttpConnection upgraded = req.connection();
        req.toWebSocket().onSuccess(ws -> {
          String address = ws.remoteAddress() == null ? null : ws.remoteAddress().hostAddress();
          if (!gw.connectionLimits().open(address)) {
            rejectAfterUpgrade(ws, "Too many connections from your address (the limit is "
              + gw.connectionLimits().limit() + ")");
            return;
          }
          flushes.install(upgraded);
          OmegaSession session = new OmegaSession(gw, relays, ws, upgraded, canonical, game);
          ws.textMessageHandler(session::onText);
          ws.binaryMessageHandler(buf -> session.onText(buf.toString(StandardCharsets.UTF_8)));
          ws.closeHandler(v -> {
            gw.connectionLimits().closed(address);
            session.onClosed();
          });
          ws.exceptionHandler(err -> LOG.debug("CL Omega WebSocket {} error: {}", session.id(), err.getMessage()));
        }).onFailure(err -> LOG.debug("CL Omega upgrade failed: {}", err.getMessage()));
      });
  }

  private static void rejectAfterUpgrade(ServerWebSocket ws, Object payload) {
    ws.writeTextMessage(Omega.packet("VIOLATION", payload).encode())
      .eventually(() -> ws.close((short) 1008, "VIOLATION"));
  }
}
