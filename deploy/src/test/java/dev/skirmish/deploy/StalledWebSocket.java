package dev.skirmish.deploy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client made by hand on a plain TCP socket that stops reading once the upgrade is done: it keeps
 * sending (masked text frames, as a client must) while the server's answers pile up unread. Its socket has a
 * small receive buffer and, once paused, stops taking data from the kernel, so the server's write queue for it
 * fills up as it would for a client that hangs.
 */
final class StalledWebSocket {

  private final NetSocket socket;
  private final Promise<Void> closed = Promise.promise();

  private StalledWebSocket(NetSocket socket) {
    this.socket = socket;
  }

  /** Opens the socket, completes the upgrade of {@code path} (path and query) and stops reading. */
  static Future<StalledWebSocket> open(Vertx vertx, int port, String path) {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String request = "GET " + path + " HTTP/1.1\r\n"
      + "Host: 127.0.0.1:" + port + "\r\n"
      + "Upgrade: websocket\r\n"
      + "Connection: Upgrade\r\n"
      + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
      + "Sec-WebSocket-Version: 13\r\n\r\n";
    return vertx.createNetClient(new NetClientOptions().setReceiveBufferSize(4096)).connect(port, "127.0.0.1")
      .compose(socket -> {
        StalledWebSocket ws = new StalledWebSocket(socket);
        Promise<StalledWebSocket> upgraded = Promise.promise();
        Buffer head = Buffer.buffer();
        socket.handler(data -> {
          if (upgraded.future().isComplete()) {
            return;
          }
          head.appendBuffer(data);
          String text = head.toString(StandardCharsets.ISO_8859_1);
          int end = text.indexOf("\r\n\r\n");
          if (end < 0) {
            return;
          }
          if (text.startsWith("HTTP/1.1 101")) {
            // From here on nothing is read: what the server sends stays in its queue.
            socket.pause();
            upgraded.tryComplete(ws);
          } else {
            upgraded.tryFail("upgrade refused: " + text.substring(0, end));
          }
        });
        socket.closeHandler(v -> {
          ws.closed.tryComplete();
          upgraded.tryFail("closed during the upgrade");
        });
        socket.exceptionHandler(err -> { });
        socket.write(request);
        return upgraded.future();
      });
  }

  /** Sends one text message; completes once it was handed to the kernel, fails once the socket is closed. */
  Future<Void> sendText(String text) {
    return socket.write(frame(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Completes when the server has closed the connection. */
  Future<Void> closed() {
    return closed.future();
  }

  boolean isClosed() {
    return closed.future().isComplete();
  }

  /** A final, masked text frame. */
  private static Buffer frame(byte[] payload) {
    Buffer frame = Buffer.buffer(payload.length + 14);
    frame.appendByte((byte) 0x81);
    if (payload.length < 126) {
      frame.appendByte((byte) (0x80 | payload.length));
    } else if (payload.length <= 0xFFFF) {
      frame.appendByte((byte) (0x80 | 126)).appendUnsignedShort(payload.length);
    } else {
      frame.appendByte((byte) (0x80 | 127)).appendLong(payload.length);
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    frame.appendBytes(mask);
    byte[] masked = new byte[payload.length];
    for (int i = 0; i < payload.length; i++) {
      masked[i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    return frame.appendBytes(masked);
  }
}
