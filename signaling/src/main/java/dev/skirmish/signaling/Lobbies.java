package dev.skirmish.signaling;

import dev.skirmish.common.Omega;
import dev.skirmish.signaling.Effects.Target;
import dev.skirmish.common.DocumentStore.Change;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The lobby rules of CL Omega, as pure functions from a game's lobby document to the next document and
 * the {@link Effects} to perform once it is stored. No I/O here: a function may run again on a fresher
 * document when another node changed the game first.
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

  /** A validated CONFIG_HOST request; {@code passwordHash} null means a public lobby. */
  record HostConfig(String name, boolean reclaim, boolean peersClaim, int maxPeers, String passwordHash,
                    String pubkey, boolean locked) {
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

  private static JsonObject lobbies(JsonObject doc) {
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

  private static boolean isPublic(JsonObject lobby) {
    return lobby.getString("password") == null;
  }

  private static JsonArray members(JsonObject lobby) {
    JsonArray all = new JsonArray();
    if (lobby.getJsonObject("host") != null) {
      all.add(lobby.getJsonObject("host"));
    }
    lobby.getJsonArray("peers").forEach(all::add);
    return all;
  }

  private static Change<Effects> unchanged(Effects e) {
    return new Change<>(null, e);
  }

  // ---- CONFIG_HOST ----------------------------------------------------------------------------------

  static Change<Effects> host(JsonObject current, Caller caller, HostConfig cfg) {
    JsonObject doc = current.copy();
    Effects e = new Effects();
    Position pos = find(doc, caller.connection());
    if (pos != null && pos.host()) {
      return unchanged(e.reply(Omega.packet("ALREADY_HOST", null)));
    }
    if (lobbies(doc).containsKey(cfg.name())) {
      return unchanged(e.reply(Omega.packet("LOBBY_EXISTS", null)));
    }
    if (pos != null) {
      // A peer that asks to host leaves its lobby first: switching role needs no reconnect.
      leave(doc, caller.ugi(), pos, caller.id(), e);
    }
    JsonObject member = caller.member(cfg.pubkey());
    lobbies(doc).put(cfg.name(), new JsonObject()
      .put("name", cfg.name())
      .put("host", member)
      .put("peers", new JsonArray())
      .put("max_peers", cfg.maxPeers())
      .put("reclaim", cfg.reclaim())
      .put("peers_claim", cfg.peersClaim())
      .put("password", cfg.passwordHash())
      .put("locked", cfg.locked()));
    e.callerMoves(caller.target(), cfg.name());
    if (cfg.passwordHash() == null) {
      JsonObject announce = new JsonObject().put("id", caller.id()).put("user", caller.user()).put("lobby_id", cfg.name());
      if (cfg.pubkey() != null) {
        announce.put("pubkey", cfg.pubkey());
      }
      e.broadcast(caller.ugi(), Omega.packet("NEW_HOST", announce), caller.connection());
    }
    e.reply(Omega.packet("ACK_HOST", null));
    return new Change<>(doc, e);
  }

  // ---- CONFIG_PEER ----------------------------------------------------------------------------------

  /** The outcome of checking a join password before the change: which hash was checked and whether it matched. */
  record PasswordCheck(String hash, boolean given, boolean matches) {
    static final PasswordCheck NONE = new PasswordCheck(null, false, false);
  }

  static Change<Effects> join(JsonObject current, Caller caller, String name, String pubkey, PasswordCheck check) {
    JsonObject doc = current.copy();
    Effects e = new Effects();
    Position pos = find(doc, caller.connection());
    if (pos != null && !pos.host()) {
      return unchanged(e.reply(Omega.packet("ALREADY_PEER", null)));
    }
    JsonObject lobby = lobbies(doc).getJsonObject(name);
    if (lobby == null) {
      return unchanged(e.reply(Omega.packet("LOBBY_NOTFOUND", null)));
    }
    if (pos != null && pos.name().equals(name)) {
      return unchanged(e.reply(Omega.packet("ALREADY_HOST", null)));
    }
    int max = lobby.getInteger("max_peers");
    if (max != 0 && lobby.getJsonArray("peers").size() >= max) {
      return unchanged(e.reply(Omega.packet("LOBBY_FULL", null)));
    }
    if (lobby.getBoolean("locked") || lobby.getJsonObject("host") == null) {
      return unchanged(e.reply(Omega.packet("LOBBY_LOCKED", null)));
    }
    String hash = lobby.getString("password");
    if (hash != null) {
      if (!check.given()) {
        // PASSWORD_REQUIRED for clients that prompt; PASSWORD_FAIL so that clients waiting for a verdict get one.
        return unchanged(e.reply(Omega.packet("PASSWORD_REQUIRED", null)).reply(Omega.packet("PASSWORD_FAIL", null)));
      }
      if (!hash.equals(check.hash()) || !check.matches()) {
        return unchanged(e.reply(Omega.packet("PASSWORD_FAIL", null)));
      }
      e.reply(Omega.packet("PASSWORD_ACK", null));
    }
    if (pos != null) {
      leave(doc, caller.ugi(), pos, caller.id(), e);
      lobby = lobbies(doc).getJsonObject(name);
    }
    JsonObject me = caller.member(pubkey);
    JsonObject host = lobby.getJsonObject("host");
    JsonArray existing = lobby.getJsonArray("peers").copy();
    lobby.getJsonArray("peers").add(me);
    e.callerMoves(caller.target(), name);
    e.event(Omega.packet("ANTICIPATE", describe(host, me)));
    e.push(target(host), Omega.packet("NEW_PEER", describe(me, host)));
    e.reply(Omega.packet("ACK_PEER", null));
    for (Object o : existing) {
      JsonObject peer = (JsonObject) o;
      e.push(target(peer), Omega.packet("ANTICIPATE", describe(me, peer)));
      e.event(Omega.packet("DISCOVER", describe(peer, me)));
    }
    return new Change<>(doc, e);
  }

  // ---- leaving --------------------------------------------------------------------------------------

  /**
   * Removes the member at {@code pos} from its lobby (mutating {@code doc}) and adds what the others must
   * learn. A departing host triggers the lobby's reclaim rule.
   */
  static void leave(JsonObject doc, String ugi, Position pos, String memberId, Effects e) {
    JsonObject lobby = pos.lobby();
    String name = pos.name();
    JsonArray peers = lobby.getJsonArray("peers");
    if (!pos.host()) {
      for (int i = 0; i < peers.size(); i++) {
        if (memberId.equals(peers.getJsonObject(i).getString("id"))) {
          peers.remove(i);
          break;
        }
      }
      if (lobby.getJsonObject("host") == null && peers.isEmpty()) {
        closeLobby(doc, ugi, lobby, e);
        return;
      }
      for (Object m : members(lobby)) {
        e.push(target((JsonObject) m), Omega.packet("PEER_GONE", memberId));
      }
      return;
    }
    lobby.putNull("host");
    if (!lobby.getBoolean("reclaim") || peers.isEmpty()) {
      closeLobby(doc, ugi, lobby, e);
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

  private static void closeLobby(JsonObject doc, String ugi, JsonObject lobby, Effects e) {
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

  /** LEAVE_LOBBY: leave the current lobby and stay connected. */
  static Change<Effects> leaveRequest(JsonObject current, Caller caller) {
    JsonObject doc = current.copy();
    Effects e = new Effects();
    Position pos = find(doc, caller.connection());
    if (pos == null) {
      return unchanged(e.reply(Omega.packet("WARNING", "Not in a lobby")));
    }
    leave(doc, caller.ugi(), pos, caller.id(), e);
    e.callerMoves(caller.target(), null);
    e.reply(Omega.packet("ACK_LEAVE", null));
    return new Change<>(doc, e);
  }

  /** The socket closed: leave whatever lobby it was in. */
  static Change<Effects> closed(JsonObject current, String ugi, String id, String connection) {
    JsonObject doc = current.copy();
    Effects e = new Effects();
    Position pos = find(doc, connection);
    if (pos == null) {
      return unchanged(e);
    }
    leave(doc, ugi, pos, id, e);
    return new Change<>(doc, e);
  }

  // ---- host controls --------------------------------------------------------------------------------

  private static Position hostPosition(JsonObject doc, Caller caller, Effects e) {
    Position pos = find(doc, caller.connection());
    if (pos == null || !pos.host()) {
      e.reply(Omega.packet("NOT_HOST", null));
      return null;
    }
    return pos;
  }

  /** What the host does to its lobby once it is known to be the host; true when the document changed. */
  private interface HostAction {
    boolean apply(Position pos, Effects e);
  }

  /** Runs {@code action} for the lobby the caller hosts, or answers NOT_HOST. */
  private static Change<Effects> asHost(JsonObject current, Caller caller, HostAction action) {
    JsonObject doc = current.copy();
    Effects e = new Effects();
    Position pos = hostPosition(doc, caller, e);
    if (pos == null) {
      return unchanged(e);
    }
    return action.apply(pos, e) ? new Change<>(doc, e) : unchanged(e);
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

  private static int peerIndex(JsonObject lobby, String id) {
    JsonArray peers = lobby.getJsonArray("peers");
    for (int i = 0; i < peers.size(); i++) {
      if (id.equals(peers.getJsonObject(i).getString("id"))) {
        return i;
      }
    }
    return -1;
  }

  /** What the host does to one of its peers, once the host and the peer are checked and the peer removed. */
  private interface PeerAction {
    void apply(Position pos, JsonObject peer, Effects e);
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

  /** {@code HOST_RECLAIM} payload naming the new host of a lobby. */
  private static JsonObject reclaim(JsonObject newHost, String lobby) {
    return new JsonObject().put("id", newHost.getString("id")).put("user", newHost.getString("user"))
      .put("lobby_id", lobby);
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

  // ---- discovery ------------------------------------------------------------------------------------

  private static boolean refuseWhileInLobby(JsonObject doc, Caller caller, Effects e) {
    Position pos = find(doc, caller.connection());
    if (pos != null) {
      e.reply(Omega.packet(pos.host() ? "ALREADY_HOST" : "ALREADY_PEER", null));
      return true;
    }
    return false;
  }

  static Effects list(JsonObject doc, Caller caller) {
    Effects e = new Effects();
    if (refuseWhileInLobby(doc, caller, e)) {
      return e;
    }
    JsonArray names = new JsonArray();
    for (String name : lobbies(doc).fieldNames()) {
      JsonObject lobby = lobbies(doc).getJsonObject(name);
      if (isPublic(lobby) && lobby.getJsonObject("host") != null) {
        names.add(name);
      }
    }
    return e.reply(Omega.packet("LOBBY_LIST", names));
  }

  static Effects info(JsonObject doc, Caller caller, String name) {
    Effects e = new Effects();
    if (refuseWhileInLobby(doc, caller, e)) {
      return e;
    }
    JsonObject lobby = lobbies(doc).getJsonObject(name);
    if (lobby == null || !isPublic(lobby) || lobby.getJsonObject("host") == null) {
      return e.reply(Omega.packet("LOBBY_NOTFOUND", null));
    }
    JsonObject host = lobby.getJsonObject("host");
    return e.reply(Omega.packet("LOBBY_INFO", new JsonObject()
      .put("lobby_host_id", host.getString("id"))
      .put("lobby_host_username", host.getString("user"))
      .put("max_peers", lobby.getInteger("max_peers"))
      .put("current_peers", lobby.getJsonArray("peers").size())
      .put("locked", lobby.getBoolean("locked"))));
  }
}
