package dev.skirmish.gateway;

/** Where an FAF session writes its newline-terminated JSON lines: a WebSocket or a TCP socket. */
interface LineTransport {

  /** Writes one message; {@code line} already ends in a newline. */
  void write(String line);

  /** Closes the underlying socket. */
  void close();

  /** The peer's IP address. */
  String remoteAddress();
}
