package dev.skirmish.signaling;

import dev.skirmish.common.DocumentStore.Change;
import dev.skirmish.common.Omega;
import dev.skirmish.signaling.Lobbies.Caller;
import dev.skirmish.signaling.Lobbies.Position;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

import static dev.skirmish.signaling.Lobbies.find;
import static dev.skirmish.signaling.Lobbies.isPublic;
import static dev.skirmish.signaling.Lobbies.lobbies;
import static dev.skirmish.signaling.Lobbies.members;
import static dev.skirmish.signaling.Lobbies.peerIndex;
import static dev.skirmish.signaling.Lobbies.reclaim;
import static dev.skirmish.signaling.Lobbies.target;
import static dev.skirmish.signaling.Lobbies.unchanged;

/**
 * What a departure does to its lobby: a peer is gone, a departing host closes the lobby or hands it on by
 * the lobby's reclaim rule ({@code allow_host_reclaim}, {@code allow_peers_to_claim_host}), and CLAIM_HOST
 * settles a hostless lobby.
 */
final class HostReclaim {

  private HostReclaim() {
  }

  /**
   * Removes the member at {@code pos} from its lobby (mutating {@code doc}) and adds what the others must
   * learn. A departing host triggers the lobby's reclaim rule.
   */
  static void depart(JsonObject doc, String ugi, Position pos, String memberId, Effects e) {
    JsonObject lobby = pos.lobby();
    String name = pos.name();
    JsonArray peers = lobby.getJsonArray("peers");
    if (!pos.host()) {
      int index = peerIndex(lobby, memberId);
      if (index >= 0) {
        peers.remove(index);
      }
      if (lobby.getJsonObject("host") == null && peers.isEmpty()) {
        close(doc, ugi, lobby, e);
        return;
      }
      for (Object m : members(lobby)) {
        e.push(target((JsonObject) m), Omega.packet("PEER_GONE", memberId));
      }
      return;
    }
    lobby.putNull("host");
    if (!lobby.getBoolean("reclaim") || peers.isEmpty()) {
      close(doc, ugi, lobby, e);
      return;
    }
    if (!lobby.getBoolean("peers_claim")) {
      JsonObject successor = peers.getJsonObject(0);
      peers.remove(0);
      lobby.put("host", successor);
      JsonObject reclaim = reclaim(successor, name);
      for (Object m : members(lobby)) {
        e.push(target((JsonObject) m), Omega.packet("PEER_GONE", memberId));
        e.push(target((JsonObject) m), Omega.packet("HOST_RECLAIM", reclaim));
      }
      return;
    }
    for (Object m : members(lobby)) {
      e.push(target((JsonObject) m), Omega.packet("HOST_GONE", memberId));
    }
  }

  /**
   * An operator closes lobby {@code name} of game {@code ugi}: it goes as if its host had left without reclaim.
   * The result is null (and nothing changes) when the game has no such lobby.
   */
  static Change<Effects> closeByOperator(JsonObject current, String ugi, String name) {
    JsonObject doc = current.copy();
    JsonObject lobby = lobbies(doc).getJsonObject(name);
    if (lobby == null) {
      return new Change<>(null, null);
    }
    Effects e = new Effects();
    close(doc, ugi, lobby, e);
    return new Change<>(doc, e);
  }

  private static void close(JsonObject doc, String ugi, JsonObject lobby, Effects e) {
    String name = lobby.getString("name");
    lobbies(doc).remove(name);
    List<String> members = new ArrayList<>();
    for (Object m : members(lobby)) {
      e.move(target((JsonObject) m), null, Omega.packet("LOBBY_CLOSE", name));
      members.add(((JsonObject) m).getString("connection"));
    }
    if (isPublic(lobby)) {
      // the members got their LOBBY_CLOSE with the move: the broadcast is for the others
      e.broadcast(ugi, Omega.packet("LOBBY_CLOSE", name), null, members);
    }
  }

  /** CLAIM_HOST: the first peer of a hostless lobby to ask becomes its host. */
  static Change<Effects> claim(JsonObject current, Caller caller) {
    JsonObject doc = current.copy();
    Effects e = new Effects();
    Position pos = find(doc, caller.connection());
    if (pos == null) {
      return unchanged(e.reply(Omega.packet("NOT_PEER", null)));
    }
    if (pos.host()) {
      return unchanged(e.reply(Omega.packet("ALREADY_HOST", null)));
    }
    JsonObject lobby = pos.lobby();
    if (lobby.getJsonObject("host") != null) {
      return unchanged(e.reply(Omega.packet("WARNING", "The lobby already has a host")));
    }
    int index = peerIndex(lobby, caller.id());
    JsonObject me = lobby.getJsonArray("peers").getJsonObject(index);
    lobby.getJsonArray("peers").remove(index);
    lobby.put("host", me);
    JsonObject reclaim = reclaim(me, pos.name());
    for (Object m : lobby.getJsonArray("peers")) {
      e.push(target((JsonObject) m), Omega.packet("HOST_RECLAIM", reclaim));
    }
    e.reply(Omega.packet("HOST_RECLAIM", reclaim));
    return new Change<>(doc, e);
  }
}
