package dev.skirmish.gateway;

import io.vertx.core.buffer.Buffer;

/** Where an FAF session writes its newline-terminated JSON lines: a WebSocket or a TCP socket. */
interface LineTransport {

  /** Writes one message; {@code line} already ends in a newline. */
  void write(String line);

  /**
   * Writes one message already encoded as UTF-8 and ending in a newline. The same buffer may be written to
   * any number of transports (a tick encodes each message once for every connection).
   */
  void write(Buffer line);

  /** Closes the underlying socket. */
  void close();

  /** The peer's IP address. */
  String remoteAddress();
}
