package dev.skirmish.gateway;

import dev.skirmish.common.Faf;
import dev.skirmish.common.Setting;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/** The FAF front doors: the WebSocket upgrade ({@code /lobby}, and {@code /}) and the newline-JSON TCP port. */
final class FafDoors {

  private static final Logger LOG = LoggerFactory.getLogger(FafDoors.class);

  private final Gateway gw;
  private final int wsLimit;
  private final FlushPerTurn flushes;

  private static long length(Buffer... parts) {
    long n = 0;
    for (Buffer part : parts) {
      n += part.length();
    }
    return n;
  }

  private String tooManyConnections() {
    return Faf.errorNotice("Too many connections from your address (the limit is " + gw.connectionLimits().limit()
      + "). Closing the connection.").encode() + "\n";
  }

  /** @param wsLimit the largest WebSocket message the HTTP server accepts */
  FafDoors(Gateway gw, int wsLimit) {
    this.gw = gw;
    this.wsLimit = wsLimit;
    this.flushes = new FlushPerTurn(gw.config());
  }

  void upgrade(RoutingContext ctx) {
    if (!GatewayVerticle.isWebSocketUpgrade(ctx.request())) {
      ctx.response().setStatusCode(426).putHeader("Upgrade", "websocket").end("WebSocket upgrade required");
      return;
    }
    HttpConnection upgraded = ctx.request().connection();
    ctx.request().toWebSocket().onSuccess(ws -> {
      String address = ws.remoteAddress() == null ? null : ws.remoteAddress().hostAddress();
      if (!gw.connectionLimits().open(address)) {
        ws.writeTextMessage(tooManyConnections()).eventually(() -> ws.close());
        return;
      }
      flushes.install(upgraded);
      OutboundLimit out = new OutboundLimit(gw.vertx(), gw.config(), ws, upgraded, address);
      FafSession session = new FafSession(gw, new LineTransport() {
        @Override
        public void write(String line) {
          if (out.admit(line.length())) {
            ws.writeTextMessage(line);
          }
        }

        @Override
        public void write(Buffer... parts) {
          if (!out.admit(length(parts))) {
            return;
          }
          // Text frames straight from the shared bytes (one per part: a text frame, then continuations), with
          // no copy and no re-encoding per connection. The public frame factory only takes a String.
          for (int i = 0; i < parts.length; i++) {
            ws.writeFrame(new WebSocketFrameImpl(i == 0 ? WebSocketFrameType.TEXT : WebSocketFrameType.CONTINUATION,
              ((BufferInternal) parts[i]).getByteBuf(), i == parts.length - 1));
          }
        }

        @Override
        public void close() {
          ws.close();
        }

        @Override
        public String remoteAddress() {
          return address;
        }
      });
      // Lines are limited by the session; a whole WebSocket message beyond the transport limit is refused here.
      ws.frameHandler(new MessageSizeGuard(wsLimit, session::onOversize));
      ws.textMessageHandler(text -> session.onFrame(Buffer.buffer(text)));
      ws.binaryMessageHandler(session::onFrame);
      ws.closeHandler(v -> {
        gw.connectionLimits().closed(address);
        session.onClosed();
      });
      ws.exceptionHandler(err -> LOG.debug("FAF WebSocket {} error: {}", session.id(), err.getMessage()));
    }).onFailure(err -> LOG.debug("FAF WebSocket upgrade failed: {}", err.getMessage()));
  }

  void tcp(NetSocket socket) {
    String address = socket.remoteAddress() == null ? null : socket.remoteAddress().hostAddress();
    if (!gw.connectionLimits().open(address)) {
      socket.write(tooManyConnections()).eventually(() -> socket.close());
      return;
    }
    flushes.install(socket);
    OutboundLimit out = new OutboundLimit(gw.vertx(), gw.config(), socket, address);
    FafSession session = new FafSession(gw, new LineTransport() {
      @Override
      public void write(String line) {
        if (out.admit(line.length())) {
          socket.write(line);
        }
      }

      @Override
      public void write(Buffer... parts) {
        if (!out.admit(length(parts))) {
          return;
        }
        for (Buffer part : parts) {
          socket.write(part);
        }
      }

      @Override
      public void close() {
        socket.close();
      }

      @Override
      public String remoteAddress() {
        return address;
      }
    });
    RecordParser parser = RecordParser.newDelimited("\n", line -> {
      String text = line.toString(StandardCharsets.UTF_8);
      if (text.endsWith("\r")) {
        text = text.substring(0, text.length() - 1);
      }
      if (!text.isBlank()) {
        session.onMessage(text);
      }
    });
    parser.maxRecordSize(gw.config().getInt(Setting.MAX_MESSAGE_BYTES));
    parser.exceptionHandler(err -> session.onOversize());
    socket.handler(parser);
    socket.closeHandler(v -> {
      gw.connectionLimits().closed(address);
      session.onClosed();
    });
    socket.exceptionHandler(err -> LOG.debug("FAF TCP {} error: {}", session.id(), err.getMessage()));
  }
}
