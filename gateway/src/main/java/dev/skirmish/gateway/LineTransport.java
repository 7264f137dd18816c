package dev.skirmish.gateway;

import io.vertx.core.buffer.Buffer;

/** Where an FAF session writes its newline-terminated JSON lines: a WebSocket or a TCP socket. */
interface LineTransport {

  /** Writes one message; {@code line} already ends in a newline. */
  void write(String line);

  /**
   * Writes one message already encoded as UTF-8, made of {@code parts} in order (the last one ends in a
   * newline). The same buffers may be written to any number of transports: a tick encodes each message once
   * for every connection, and a login's player list shares the bulk of its bytes with every other login.
   */
  void write(Buffer... parts);

  /** Closes the underlying socket. */
  void close();

  /** The peer's IP address. */
  String remoteAddress();
}
