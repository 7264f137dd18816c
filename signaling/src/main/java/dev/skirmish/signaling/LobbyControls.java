package dev.skirmish.signaling;

import dev.skirmish.common.DocumentStore.Change;
import dev.skirmish.common.Omega;
import dev.skirmish.signaling.Lobbies.Caller;
import dev.skirmish.signaling.Lobbies.Position;
import io.vertx.core.json.JsonObject;

import static dev.skirmish.signaling.Lobbies.find;
import static dev.skirmish.signaling.Lobbies.members;
import static dev.skirmish.signaling.Lobbies.peerIndex;
import static dev.skirmish.signaling.Lobbies.reclaim;
import static dev.skirmish.signaling.Lobbies.target;
import static dev.skirmish.signaling.Lobbies.unchanged;

/** The host's commands over its lobby: LOCK, UNLOCK, SIZE, KICK and TRANSFER_HOST; anyone else gets NOT_HOST. */
final class LobbyControls {

  private LobbyControls() {
  }

  /** What the host does to its lobby once it is known to be the host; true when the document changed. */
  private interface HostAction {
    boolean apply(Position pos, Effects e);
  }

  /** What the host does to one of its peers, once the host and the peer are checked and the peer removed. */
  private interface PeerAction {
    void apply(Position pos, JsonObject peer, Effects e);
  }

  /** Runs {@code action} for the lobby the caller hosts, or answers NOT_HOST. */
  private static Change<Effects> asHost(JsonObject current, Caller caller, HostAction action) {
    JsonObject doc = current.copy();
    Effects e = new Effects();
    Position pos = find(doc, caller.connection());
    if (pos == null || !pos.host()) {
      return unchanged(e.reply(Omega.packet("NOT_HOST", null)));
    }
    return action.apply(pos, e) ? new Change<>(doc, e) : unchanged(e);
  }

  private static Change<Effects> onPeer(JsonObject current, Caller caller, String peerId, PeerAction action) {
    return asHost(current, caller, (pos, e) -> {
      int index = peerIndex(pos.lobby(), peerId);
      if (index < 0) {
        e.reply(Omega.packet("PEER_INVALID", null));
        return false;
      }
      JsonObject peer = pos.lobby().getJsonArray("peers").getJsonObject(index);
      pos.lobby().getJsonArray("peers").remove(index);
      action.apply(pos, peer, e);
      return true;
    });
  }

  static Change<Effects> lock(JsonObject current, Caller caller, boolean lock) {
    return asHost(current, caller, (pos, e) -> {
      if (pos.lobby().getBoolean("locked") == lock) {
        e.reply(Omega.packet(lock ? "ALREADY_LOCKED" : "ALREADY_UNLOCKED", null));
        return false;
      }
      pos.lobby().put("locked", lock);
      e.reply(Omega.packet(lock ? "ACK_LOCK" : "ACK_UNLOCK", null));
      return true;
    });
  }

  static Change<Effects> size(JsonObject current, Caller caller, int maxPeers) {
    return asHost(current, caller, (pos, e) -> {
      int peers = pos.lobby().getJsonArray("peers").size();
      if (maxPeers != 0 && maxPeers < peers) {
        e.reply(Omega.packet("WARNING", "The lobby has " + peers + " peers: the size cannot be set below that"));
        return false;
      }
      pos.lobby().put("max_peers", maxPeers);
      e.reply(Omega.packet("ACK_SIZE", maxPeers));
      return true;
    });
  }

  static Change<Effects> kick(JsonObject current, Caller caller, String peerId) {
    return onPeer(current, caller, peerId, (pos, kicked, e) -> {
      e.move(target(kicked), null, Omega.packet("LOBBY_CLOSE", pos.name()));
      for (Object m : pos.lobby().getJsonArray("peers")) {
        e.push(target((JsonObject) m), Omega.packet("PEER_GONE", peerId));
      }
      e.event(Omega.packet("PEER_GONE", peerId));
      e.reply(Omega.packet("ACK_KICK", peerId));
    });
  }

  static Change<Effects> transfer(JsonObject current, Caller caller, String peerId) {
    return onPeer(current, caller, peerId, (pos, successor, e) -> {
      JsonObject lobby = pos.lobby();
      lobby.getJsonArray("peers").add(lobby.getJsonObject("host"));
      lobby.put("host", successor);
      JsonObject reclaim = reclaim(successor, pos.name());
      for (Object m : members(lobby)) {
        JsonObject member = (JsonObject) m;
        if (!caller.connection().equals(member.getString("connection"))) {
          e.push(target(member), Omega.packet("HOST_RECLAIM", reclaim));
        }
      }
      e.event(Omega.packet("HOST_RECLAIM", reclaim));
      e.reply(Omega.packet("ACK_TRANSFER", peerId));
    });
  }
}
