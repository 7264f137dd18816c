package dev.skirmish.signaling;

import dev.skirmish.common.ServiceMetrics;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code skirmish.omega.lobbies} and {@code skirmish.omega.peers} gauges: the CL Omega lobbies in the game
 * documents this node holds, and their members (the host and every peer).
 */
final class LobbyGauges {

  private final AtomicLong lobbies;
  private final AtomicLong peers;

  LobbyGauges(ServiceMetrics metrics) {
    lobbies = metrics.gauge("skirmish.omega.lobbies", "CL Omega lobbies held by this node");
    peers = metrics.gauge("skirmish.omega.peers", "Members (host and peers) of the CL Omega lobbies held by this node");
  }

  /** Counts {@code games} (the per-game documents this node holds) again. */
  void update(List<JsonObject> games) {
    long lobbyCount = 0;
    long memberCount = 0;
    for (JsonObject game : games) {
      JsonObject all = Lobbies.lobbies(game);
      if (all == null) {
        continue;
      }
      for (String name : all.fieldNames()) {
        lobbyCount++;
        memberCount += Lobbies.members(all.getJsonObject(name)).size();
      }
    }
    lobbies.set(lobbyCount);
    peers.set(memberCount);
  }
}
