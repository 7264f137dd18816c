package dev.skirmish.common;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/** CL Omega signaling packets: opcodes and builders that keep the reference key order. */
public final class Omega {

  private Omega() {
  }

  /** Opcodes handled by the signaling service once a connection is initialised. */
  public static final Set<String> LOBBY_OPCODES = Set.of("CONFIG_HOST", "CONFIG_PEER", "MAKE_OFFER", "MAKE_ANSWER",
    "ICE", "LOBBY_LIST", "LOBBY_INFO", "CLAIM_HOST", "TRANSFER_HOST", "LOCK", "UNLOCK", "SIZE", "KICK", "LEAVE_LOBBY");

  /** A packet with an optional payload (null payloads are omitted, as the reference does). */
  public static JsonObject packet(String opcode, Object payload) {
    JsonObject p = new JsonObject().put("opcode", opcode);
    if (payload != null) {
      p.put("payload", payload);
    }
    return p;
  }

  /** A packet that answers a request: carries the request's listener when it had one. */
  public static JsonObject reply(String opcode, Object payload, String listener) {
    JsonObject p = packet(opcode, payload);
    if (listener != null) {
      p.put("listener", listener);
    }
    return p;
  }

  /** {@code {"Validation error":[{field: tag}]}}, the reference's validation payload. */
  public static JsonObject validationError(String field, String tag) {
    return new JsonObject().put("Validation error", new JsonArray().add(new JsonObject().put(field, tag)));
  }
}
