package dev.skirmish.signaling;

import dev.skirmish.common.DocumentStore.Change;
import dev.skirmish.common.Omega;
import dev.skirmish.signaling.Lobbies.Caller;
import dev.skirmish.signaling.Lobbies.Position;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import static dev.skirmish.signaling.Lobbies.describe;
import static dev.skirmish.signaling.Lobbies.find;
import static dev.skirmish.signaling.Lobbies.lobbies;
import static dev.skirmish.signaling.Lobbies.target;
import static dev.skirmish.signaling.Lobbies.unchanged;

/**
 * Who is in which lobby: CONFIG_HOST, CONFIG_PEER and its join rules (full, locked, password), LEAVE_LOBBY
 * and a closed socket. A member that hosts or joins elsewhere leaves its lobby first, so a socket is in at
 * most one lobby.
 */
final class LobbyMembership {

  private LobbyMembership() {
  }

  /** A validated CONFIG_HOST request; {@code passwordHash} null means a public lobby. */
  record HostConfig(String name, boolean reclaim, boolean peersClaim, int maxPeers, String passwordHash,
                    String pubkey, boolean locked) {
  }

  /** The outcome of checking a join password before the change: which hash was checked and whether it matched. */
  record PasswordCheck(String hash, boolean given, boolean matches) {
    static final PasswordCheck NONE = new PasswordCheck(null, false, false);
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
      HostReclaim.depart(doc, caller.ugi(), pos, caller.id(), e);
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
      HostReclaim.depart(doc, caller.ugi(), pos, caller.id(), e);
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

  /** LEAVE_LOBBY: leave the current lobby and stay connected. */
  static Change<Effects> leave(JsonObject current, Caller caller) {
    JsonObject doc = current.copy();
    Effects e = new Effects();
    Position pos = find(doc, caller.connection());
    if (pos == null) {
      return unchanged(e.reply(Omega.packet("WARNING", "Not in a lobby")));
    }
    HostReclaim.depart(doc, caller.ugi(), pos, caller.id(), e);
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
    HostReclaim.depart(doc, ugi, pos, id, e);
    return new Change<>(doc, e);
  }
}
