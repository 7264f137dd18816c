package dev.skirmish.gateway;

import io.vertx.core.Handler;
import io.vertx.core.http.WebSocketFrame;

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
