package dev.skirmish.gateway;

import io.vertx.core.json.JsonObject;

/** A live client connection held by this gateway node, of either protocol. */
public interface ClientConnection {

  /** Node-unique connection id (a ULID). */
  String id();

  /** Sends one protocol message, framed as the protocol requires. */
  void send(JsonObject message);

  /** Sends one protocol message that is already encoded as the protocol's JSON text (without framing). */
  default void sendText(String text) {
    send(new JsonObject(text));
  }

  /** Sends a last message, then closes the connection. */
  void sendAndClose(JsonObject message);

  /** Whether the socket is still open. */
  boolean isOpen();
}
