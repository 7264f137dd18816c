package dev.skirmish.common;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/**
 * Size limits of what a CL Omega client sends that the server stores or passes on: lobby names, passwords,
 * pubkeys, the lobby size, and relayed SDP and ICE payloads. A value over its limit is refused with the
 * reference's validation payload, {@code {"Validation error":[{field: "max"}]}}, and goes nowhere.
 *
 * @param lobbyName longest lobby name, in characters
 * @param password longest lobby password, in characters
 * @param pubkey longest pubkey, in characters
 * @param maxPeers largest {@code max_peers} (0 = unlimited is always allowed)
 */
public record OmegaLimits(int lobbyName, int password, int pubkey, int maxPeers) {

  /** The limits configured for this node. */
  public static OmegaLimits from(NodeConfig config) {
    return new OmegaLimits(config.getInt(Setting.OMEGA_LOBBY_NAME_MAX), config.getInt(Setting.OMEGA_PASSWORD_MAX),
      config.getInt(Setting.OMEGA_PUBKEY_MAX), config.getInt(Setting.OMEGA_MAX_PEERS));
  }

  /** Characters (code points) of {@code s}, as the reference's validator counts them. */
  public static int length(String s) {
    return s.codePointCount(0, s.length());
  }

  /**
   * The validation error of a relayed {@code opcode}'s payload that is over its limit
   * ({@link Setting#OMEGA_ICE_MAX_BYTES} for ICE, {@link Setting#OMEGA_SDP_MAX_BYTES} for offers and answers),
   * or null when it may be relayed.
   */
  public static JsonObject relayPayloadError(NodeConfig config, String opcode, Object payload) {
    if (payload == null) {
      return null;
    }
    int max = config.getInt("ICE".equals(opcode) ? Setting.OMEGA_ICE_MAX_BYTES : Setting.OMEGA_SDP_MAX_BYTES);
    if (Json.encode(payload).getBytes(StandardCharsets.UTF_8).length > max) {
      return Omega.validationError("payload", "max");
    }
    return null;
  }
}
