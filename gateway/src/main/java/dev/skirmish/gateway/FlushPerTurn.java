package dev.skirmish.gateway;

import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.Setting;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Client sockets flushed once per event-loop turn. Vert.x flushes a write at once unless it is made while that
 * same socket's input is being handled; a relay reads one socket and writes another, so every relayed message,
 * and every part of a multi-frame FAF message, would be a system call of its own. Netty's
 * {@link FlushConsolidationHandler}, first in the socket's pipeline, holds such flushes back and flushes once when
 * the event loop has handled its current input (or after {@value #MAX_HELD} held flushes). Every write still goes
 * through Vert.x, so their order, the write queue and its back-pressure are unchanged; only the system calls are
 * fewer. A write made while its own socket is being read was already flushed once, at the end of that read.
 *
 * <p>{@code WRITE_FLUSH_PER_TURN=false} leaves the sockets as Vert.x makes them. The load driver's client sockets
 * use the same handler ({@link #install(Channel)}).
 */
public final class FlushPerTurn {

  /** Flushes held back before one goes out anyway. */
  static final int MAX_HELD = 256;
  private static final String NAME = "flush-per-turn";

  private final boolean enabled;

  FlushPerTurn(NodeConfig config) {
    this.enabled = config.getBoolean(Setting.WRITE_FLUSH_PER_TURN);
  }

  /** Installs it on the socket of a WebSocket, given the HTTP connection it was upgraded from. */
  void install(HttpConnection upgraded) {
    if (upgraded instanceof ConnectionBase c) {
      installIfEnabled(c.channel());
    }
  }

  /** Installs it on a TCP socket. */
  void install(NetSocket socket) {
    if (socket instanceof NetSocketInternal s) {
      installIfEnabled(s.channelHandlerContext().channel());
    }
  }

  private void installIfEnabled(Channel channel) {
    if (enabled) {
      // Called on the socket's event loop (from the connection's handler), as the pipeline wants.
      add(channel);
    }
  }

  /** Installs it on {@code channel} whatever the setting, from any thread (on the channel's event loop). */
  public static void install(Channel channel) {
    channel.eventLoop().execute(() -> add(channel));
  }

  private static void add(Channel channel) {
    if (channel.pipeline().get(NAME) == null) {
      channel.pipeline().addFirst(NAME, new FlushConsolidationHandler(MAX_HELD, true));
    }
  }
}
