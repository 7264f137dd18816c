package dev.skirmish.gateway;

import io.vertx.core.Handler;
import io.vertx.core.http.WebSocketFrame;

import java.nio.charset.StandardCharsets;

/**
 * Counts the bytes of each incoming WebSocket data message frame by frame and reports, once per message,
 * a message that grows beyond a limit. Vert.x drops a message above its own size limit with nothing but an
 * exception, so without this a client would get no answer at all.
 */
final class MessageSizeGuard implements Handler<WebSocketFrame> {

  private final long limit;
  private final Runnable onTooLarge;
  private long bytes;
  private boolean reported;

  MessageSizeGuard(long limit, Runnable onTooLarge) {
    this.limit = limit;
    this.onTooLarge = onTooLarge;
  }

  /**
   * Whether {@code text} is longer than {@code limit} bytes in UTF-8 (what travels on the wire, and what
   * the TCP door counts), computing the encoding only when the character count leaves it open.
   */
  static boolean exceeds(String text, int limit) {
    int chars = text.length();
    if (chars > limit) {
      return true;
    }
    // One UTF-16 char is at most three UTF-8 bytes (a surrogate pair is four bytes for two chars).
    if ((long) chars * 3 <= limit) {
      return false;
    }
    return text.getBytes(StandardCharsets.UTF_8).length > limit;
  }

  @Override
  public void handle(WebSocketFrame frame) {
    if (!frame.isText() && !frame.isBinary() && !frame.isContinuation()) {
      return;
    }
    if (!frame.isContinuation()) {
      bytes = 0;
      reported = false;
    }
    bytes += frame.binaryData().length();
    if (bytes > limit && !reported) {
      reported = true;
      onTooLarge.run();
    }
  }
}
