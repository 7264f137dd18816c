package dev.skirmish.signaling;

import dev.skirmish.common.Omega;
import dev.skirmish.signaling.Lobbies.Caller;
import dev.skirmish.signaling.Lobbies.Position;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import static dev.skirmish.signaling.Lobbies.find;
import static dev.skirmish.signaling.Lobbies.isPublic;
import static dev.skirmish.signaling.Lobbies.lobbies;

/** LOBBY_LIST and LOBBY_INFO: what a lobby-less socket may learn of a game's public lobbies. Read-only. */
final class LobbyDiscovery {

  private LobbyDiscovery() {
  }

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
