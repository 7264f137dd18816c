package dev.skirmish.gateway;

import dev.skirmish.common.Ids;
import dev.skirmish.common.Omega;
import dev.skirmish.common.OmegaLimits;
import dev.skirmish.common.SessionDirectory.Entry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Objects;
import java.util.Set;

/**
 * MAKE_OFFER, MAKE_ANSWER and ICE: relayed by the sender's gateway straight to the recipient's gateway
 * node (one event-bus hop, none when both sockets are on this node). The recipient must hold a live
 * session of the same game and be in the sender's lobby; the payload is forwarded untouched, unless it is
 * over its size limit ({@link OmegaLimits}).
 *
 * <p>Directory entries that allowed a relay are cached by the gateway until the signaling service or a
 * gateway announces a change of that session ({@link dev.skirmish.common.Addresses#OMEGA_SESSION_CHANGED},
 * {@link dev.skirmish.common.Addresses#OMEGA_SESSION_CLOSED}), so steady traffic costs no directory read.
 * A refusal is never taken from the cache.
 */
final class OmegaRelay {

  static final Set<String> OPCODES = Set.of("MAKE_OFFER", "MAKE_ANSWER", "ICE");

  private OmegaRelay() {
  }

  /** Relays {@code packet} from {@code sender} and returns the reply for the sender. */
  static Future<JsonObject> relay(Gateway gw, String senderId, String senderUser, String ugi, String lobby,
                                  JsonObject packet) {
    String listener = packet.getString("listener");
    Object recipient = packet.getValue("recipient");
    if (!Ids.isUlid(recipient)) {
      return Future.succeededFuture(Omega.reply("WARNING", Omega.validationError("recipient", "ulid"), listener));
    }
    JsonObject tooLarge = OmegaLimits.relayPayloadError(gw.config(), packet.getString("opcode"), packet.getValue("payload"));
    if (tooLarge != null) {
      return Future.succeededFuture(Omega.reply("WARNING", tooLarge, listener));
    }
    String to = Ids.canonical((String) recipient);
    if (lobby == null || to.equals(senderId)) {
      return Future.succeededFuture(Omega.reply("PEER_INVALID", null, listener));
    }
    Entry cached = gw.relayCache().get(to);
    if (cached != null && inLobby(cached, ugi, lobby)) {
      return Future.succeededFuture(deliver(gw, cached, packet, senderId, senderUser, lobby, listener));
    }
    // No cached entry, or one that says no: the directory decides (a peer that joined a moment ago is in it).
    return gw.omegaSessions().get(to).map(entry -> {
      if (entry == null || !inLobby(entry, ugi, lobby)) {
        return Omega.reply("PEER_INVALID", null, listener);
      }
      gw.relayCache().put(to, entry);
      return deliver(gw, entry, packet, senderId, senderUser, lobby, listener);
    });
  }

  /** Whether a directory entry is a session of game {@code ugi} in {@code lobby}. */
  static boolean inLobby(Entry entry, String ugi, String lobby) {
    return ugi.equals(entry.data().getString("ugi")) && Objects.equals(lobby, entry.data().getString("lobby"));
  }

  private static JsonObject deliver(Gateway gw, Entry entry, JsonObject packet, String senderId, String senderUser,
                                    String lobby, String listener) {
    JsonObject out = new JsonObject().put("opcode", packet.getString("opcode"));
    if (packet.getValue("payload") != null) {
      out.put("payload", packet.getValue("payload"));
    }
    out.put("origin", new JsonObject().put("id", senderId).put("user", senderUser));
    if (!deliver(gw, entry, lobby, out.encode())) {
      gw.relayCache().invalidate(entry);
      return Omega.reply("PEER_INVALID", null, listener);
    }
    return Omega.reply("RELAY_OK", null, listener);
  }

  /**
   * Delivers a relayed packet, encoded, to the recipient's connection: written at once when it is on this node,
   * sent to its node otherwise. Either way it is written only while the recipient is still in the sender's
   * {@code lobby} as its own gateway knows it, so a peer that has left (and been told so) hears nothing more.
   *
   * @return false when the recipient is on this node and closed or no longer in the lobby
   */
  static boolean deliver(Gateway gw, Entry entry, String lobby, String text) {
    gw.traffic().omegaRelay();
    if (entry.node().equals(gw.nodeId())) {
      if (!(gw.connections().get(entry.connection()) instanceof OmegaSession local) || !local.isOpen()
        || !lobby.equals(local.lobby())) {
        return false;
      }
      local.sendText(text);
    } else {
      gw.textBatches().send(entry.node(), entry.connection(), lobby, text);
    }
    return true;
  }
}
