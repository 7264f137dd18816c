package dev.skirmish.signaling;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * What one signaling operation does once its lobby change is stored: membership changes, then pushes to
 * other sockets and broadcasts, then the reply to the caller.
 */
final class Effects {

  /** A socket: account id, user name, public key (may be null), and where its connection lives. */
  record Target(String id, String node, String connection) {
  }

  /** A packet to another socket; {@code lobby} is set when the packet also moves it into or out of a lobby. */
  record Push(Target to, JsonObject packet, boolean changesLobby, String lobby) {
  }

  /** A lobby membership change of a socket. */
  record Membership(Target who, String lobby) {
  }

  /**
   * A packet for every lobby-less socket of a game, except one connection and the {@code leaving} ones:
   * sockets this same operation moves out of a lobby, which get the packet directly.
   */
  record Broadcast(String ugi, JsonObject packet, String exceptConnection, List<String> leaving) {
  }

  final JsonArray replies = new JsonArray();
  final List<Push> pushes = new ArrayList<>();
  final List<Membership> memberships = new ArrayList<>();
  final List<Broadcast> broadcasts = new ArrayList<>();
  boolean close;
  boolean callerLobbyChanged;
  String callerLobby;

  /** A direct reply (carries the request's listener). */
  Effects reply(JsonObject packet) {
    replies.add(packet);
    return this;
  }

  /** A reply that is an event, not an answer (no listener). */
  Effects event(JsonObject packet) {
    replies.add(packet.copy().put("direct", false));
    return this;
  }

  Effects push(Target to, JsonObject packet) {
    pushes.add(new Push(to, packet, false, null));
    return this;
  }

  /** Moves another socket into {@code lobby} (null = out of any lobby) and sends it {@code packet}. */
  Effects move(Target to, String lobby, JsonObject packet) {
    memberships.add(new Membership(to, lobby));
    pushes.add(new Push(to, packet, true, lobby));
    return this;
  }

  /** Moves the caller into {@code lobby} (null = out of any lobby). */
  Effects callerMoves(Target caller, String lobby) {
    memberships.add(new Membership(caller, lobby));
    callerLobbyChanged = true;
    callerLobby = lobby;
    return this;
  }

  Effects broadcast(String ugi, JsonObject packet, String exceptConnection) {
    return broadcast(ugi, packet, exceptConnection, List.of());
  }

  Effects broadcast(String ugi, JsonObject packet, String exceptConnection, List<String> leaving) {
    broadcasts.add(new Broadcast(ugi, packet, exceptConnection, List.copyOf(leaving)));
    return this;
  }

  /** The reply body for the gateway. */
  JsonObject body() {
    JsonObject body = new JsonObject().put("replies", replies);
    if (callerLobbyChanged) {
      body.put("lobby", callerLobby);
    }
    if (close) {
      body.put("close", true);
    }
    return body;
  }
}
