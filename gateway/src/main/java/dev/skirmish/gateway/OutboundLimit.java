package dev.skirmish.gateway;

import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.Setting;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.streams.WriteStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds what one connection may leave unread. While its socket's write queue is full, everything written to
 * it is counted; once that passes {@code SLOW_CLIENT_QUEUE_BYTES}, or the queue has not drained within
 * {@code SLOW_CLIENT_TIMEOUT_SECONDS}, the client is dropped at once and its unsent data discarded (a close
 * that waited for the client to read would wait for ever). A client that reads keeps its queue below the
 * high-water mark and is never counted.
 */
final class OutboundLimit {

  private static final Logger LOG = LoggerFactory.getLogger(OutboundLimit.class);

  private final Vertx vertx;
  private final WriteStream<?> stream;
  /** The socket under a WebSocket whose object hides it (the web router wraps server WebSockets); null otherwise. */
  private final Channel channel;
  private final String peer;
  private final long maxBytes;
  private final long timeoutMs;
  private long backlog;
  private long timer = -1;
  private boolean dropped;

  /**
   * @param stream a {@code ServerWebSocket} or a {@code NetSocket}
   * @param peer   the client's address, for the log
   */
  OutboundLimit(Vertx vertx, NodeConfig config, WriteStream<?> stream, String peer) {
    this(vertx, config, stream, null, peer);
  }

  /**
   * @param upgraded the HTTP connection a WebSocket was upgraded from: its socket is the WebSocket's, and is closed
   *                 directly when the client is dropped
   */
  OutboundLimit(Vertx vertx, NodeConfig config, WriteStream<?> stream, HttpConnection upgraded, String peer) {
    this.vertx = vertx;
    this.stream = stream;
    this.channel = upgraded instanceof ConnectionBase c ? c.channel() : null;
    this.peer = peer;
    this.maxBytes = config.getLong(Setting.SLOW_CLIENT_QUEUE_BYTES);
    this.timeoutMs = config.getLong(Setting.SLOW_CLIENT_TIMEOUT_SECONDS) * 1000;
  }

  /** Whether a write of about {@code bytes} may go ahead; false once the client has been dropped. */
  boolean admit(long bytes) {
    if (dropped) {
      return false;
    }
    boolean full;
    try {
      full = stream.writeQueueFull();
    } catch (IllegalStateException closed) {
      // The socket closed under a message on its way to it: there is nobody to write to.
      return false;
    }
    if (!full) {
      return true;
    }
    if (timer < 0) {
      timer = vertx.setTimer(timeoutMs, t -> drop("its write queue stayed full for " + timeoutMs / 1000 + " s"));
      stream.drainHandler(v -> drained());
    }
    backlog += bytes;
    if (backlog > maxBytes) {
      drop(backlog + " bytes were waiting for it");
      return false;
    }
    return true;
  }

  private void drained() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    backlog = 0;
  }

  private void drop(String why) {
    if (dropped) {
      return;
    }
    dropped = true;
    LOG.info("Dropping client {} that does not read: {}", peer, why);
    // The close starts below the connection's own handler, whose close would first flush what is queued (and, for
    // a WebSocket, send a close frame and wait for the client's answer).
    if (channel != null) {
      channel.eventLoop().execute(() -> {
        ChannelHandlerContext first = channel.pipeline().firstContext();
        if (first != null) {
          first.close();
        } else {
          channel.close();
        }
      });
    } else if (stream instanceof WebSocketInternal ws) {
      ws.channelHandlerContext().close();
    } else if (stream instanceof NetSocketInternal socket) {
      socket.channelHandlerContext().close();
    } else if (stream instanceof io.vertx.core.http.WebSocketBase ws) {
      ws.close();
    } else if (stream instanceof io.vertx.core.net.NetSocket socket) {
      socket.close();
    }
  }
}
