package dev.skirmish.signaling;

import dev.skirmish.common.DocumentStore.Change;
import dev.skirmish.signaling.Effects.Target;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The lobby document of one game and the reading helpers every lobby rule shares. The rules themselves are
 * pure functions from this document to the next one and the {@link Effects} to perform once it is stored:
 * {@link LobbyMembership} (hosting, joining, leaving), {@link HostReclaim} (what a departure does to its
 * lobby, claims), {@link LobbyControls} (the host's commands) and {@link LobbyDiscovery} (listing). No I/O
 * here: a rule may run again on a fresher document when another node changed the game first.
 *
 * <p>Document: {@code {"lobbies": {name: lobby}}}; lobby: {@code {name, host: member|null, peers: [member],
 * max_peers, reclaim, peers_claim, password: hash|null, locked}}; member: {@code {id, user, pubkey?, node,
 * connection}}.
 */
final class Lobbies {

  private Lobbies() {
  }

  /** The socket that sent a request. */
  record Caller(String ugi, String id, String user, String node, String connection) {
    Target target() {
      return new Target(id, node, connection);
    }

    JsonObject member(String pubkey) {
      JsonObject m = new JsonObject().put("id", id).put("user", user);
      if (pubkey != null) {
        m.put("pubkey", pubkey);
      }
      return m.put("node", node).put("connection", connection);
    }
  }

  /** Where a connection is: the lobby, and whether it hosts it. */
  record Position(String name, JsonObject lobby, boolean host) {
  }

  static Target target(JsonObject member) {
    return new Target(member.getString("id"), member.getString("node"), member.getString("connection"));
  }

  /** {@code {id, user, pubkey?}} of {@code member} as shown to {@code viewer}: keys go only between two key holders. */
  static JsonObject describe(JsonObject member, JsonObject viewer) {
    JsonObject d = new JsonObject().put("id", member.getString("id")).put("user", member.getString("user"));
    if (member.getString("pubkey") != null && viewer.getString("pubkey") != null) {
      d.put("pubkey", member.getString("pubkey"));
    }
    return d;
  }

  static JsonObject lobbies(JsonObject doc) {
    return doc.getJsonObject("lobbies");
  }

  static Position find(JsonObject doc, String connection) {
    for (String name : lobbies(doc).fieldNames()) {
      JsonObject lobby = lobbies(doc).getJsonObject(name);
      JsonObject host = lobby.getJsonObject("host");
      if (host != null && connection.equals(host.getString("connection"))) {
        return new Position(name, lobby, true);
      }
      for (Object p : lobby.getJsonArray("peers")) {
        if (connection.equals(((JsonObject) p).getString("connection"))) {
          return new Position(name, lobby, false);
        }
      }
    }
    return null;
  }

  static boolean isPublic(JsonObject lobby) {
    return lobby.getString("password") == null;
  }

  /** The host (if any) and then the peers in join order. */
  static JsonArray members(JsonObject lobby) {
    JsonArray all = new JsonArray();
    if (lobby.getJsonObject("host") != null) {
      all.add(lobby.getJsonObject("host"));
    }
    lobby.getJsonArray("peers").forEach(all::add);
    return all;
  }

  /** The index of the peer with account {@code id}, or -1. */
  static int peerIndex(JsonObject lobby, String id) {
    JsonArray peers = lobby.getJsonArray("peers");
    for (int i = 0; i < peers.size(); i++) {
      if (id.equals(peers.getJsonObject(i).getString("id"))) {
        return i;
      }
    }
    return -1;
  }

  /** {@code HOST_RECLAIM} payload naming the new host of a lobby. */
  static JsonObject reclaim(JsonObject newHost, String lobby) {
    return new JsonObject().put("id", newHost.getString("id")).put("user", newHost.getString("user"))
      .put("lobby_id", lobby);
  }

  static Change<Effects> unchanged(Effects e) {
    return new Change<>(null, e);
  }
}
