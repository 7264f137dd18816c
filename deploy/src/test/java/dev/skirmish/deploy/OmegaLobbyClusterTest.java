package dev.skirmish.deploy;

import dev.skirmish.deploy.OmegaLobbyKit.Player;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.OmegaLobbyKit.hostConfig;
import static dev.skirmish.deploy.OmegaLobbyKit.lobbyName;
import static dev.skirmish.deploy.OmegaLobbyKit.packet;

/**
 * A CL Omega lobby spread over a three-node cluster: two gateway-only nodes (A and B) and a node that
 * runs the services but no gateway (C), so every lobby operation crosses the cluster and every relay
 * between A and B is a direct gateway-to-gateway hop.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class OmegaLobbyClusterTest {

  private static ClusterTestNodes cluster;
  private static Node services;
  private static Node a;
  private static Node b;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = ClusterTestNodes.create("omega-lobby");
    services = cluster.start("ROLES", "signaling,games,matchmaker,party").await(2, TimeUnit.MINUTES);
    a = cluster.start("ROLES", "gateway").await(2, TimeUnit.MINUTES);
    b = cluster.start("ROLES", "gateway").await(2, TimeUnit.MINUTES);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (Node n : List.of(b, a, services)) {
      n.close().await(1, TimeUnit.MINUTES);
    }
  }

  private static JsonObject newHost(Player host, String lobby) {
    return packet("NEW_HOST", new JsonObject().put("id", host.id).put("user", host.user).put("lobby_id", lobby));
  }

  @Test
  @DisplayName("host on A, peers on B and A, lobby on C: announcements, the mesh fan-out, relays and departures cross nodes")
  void lobbyAcrossNodes(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, a);
    String room = lobbyName("cluster");
    kit.newGame().compose(ugi -> Future.all(List.of(
        kit.player(ugi, "clh", a), kit.player(ugi, "clp", b), kit.player(ugi, "clq", a), kit.player(ugi, "clw", b)))
      .compose(all -> {
        Player host = all.resultAt(0);
        Player p1 = all.resultAt(1);
        Player p2 = all.resultAt(2);
        Player watcher = all.resultAt(3);
        return kit.host(host, hostConfig(room))
          // the announcement reaches lobby-less sockets on both gateways
          .compose(v -> Future.all(kit.next(p1, newHost(host, room)), kit.next(p2, newHost(host, room)),
            kit.next(watcher, newHost(host, room))))
          .compose(v -> kit.join(p1, room, host, List.of()))
          // offer, answer and candidates between A and B
          .compose(v -> kit.relay(host, p1, "MAKE_OFFER", new JsonObject().put("type", 0).put("contents",
            new JsonObject().put("type", "offer").put("sdp", "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"))))
          .compose(v -> kit.relay(p1, host, "MAKE_ANSWER", "v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\n"))
          .compose(v -> kit.relay(p1, host, "ICE", new JsonObject().put("candidate", "candidate:1 1 udp 1 10.0.0.1 9 typ host")))
          .compose(v -> kit.relay(host, p1, "ICE", new JsonObject().put("candidate", "candidate:2 1 udp 1 10.0.0.2 9 typ host")))
          // a second peer on A discovers the first on B and offers to it
          .compose(v -> kit.join(p2, room, host, List.of(p1)))
          .compose(v -> kit.relay(p2, p1, "MAKE_OFFER", "v=0\r\n"))
          .compose(v -> kit.relay(p1, p2, "MAKE_ANSWER", "v=0\r\n"))
          // a lobby-less socket on B cannot be reached from the lobby, nor reach into it
          .compose(v -> kit.relayRefused(host, watcher.id, "ICE"))
          .compose(v -> kit.relayRefused(watcher, p2.id, "ICE"))
          // p1's socket on B closes: the host and p2 on A both learn it, and relays to it are refused
          .compose(v -> p1.client.close())
          .compose(v -> Future.all(kit.next(host, packet("PEER_GONE", p1.id)), kit.next(p2, packet("PEER_GONE", p1.id))))
          .compose(v -> kit.relayRefused(host, p1.id, "ICE"))
          .compose(v -> kit.relay(host, p2, "ICE", "still here"))
          .compose(v -> Future.all(kit.quiet(host), kit.quiet(p2), kit.quiet(watcher)));
      }))
      .compose(v -> kit.closeAll())
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("relays from A to B while a peer on B leaves: none reaches it after its ACK_LEAVE, none to the peer that stays is lost")
  void relaysAcrossNodesWhileAPeerLeaves(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, a);
    String room = lobbyName("flowc");
    kit.newGame().compose(ugi -> Future.all(List.of(
        kit.player(ugi, "cfh", a), kit.player(ugi, "cfs", b), kit.player(ugi, "cfl", b)))
      .compose(all -> {
        Player host = all.resultAt(0);
        Player stays = all.resultAt(1);
        Player leaves = all.resultAt(2);
        return kit.host(host, hostConfig(room))
          .compose(v -> Future.all(kit.next(stays, newHost(host, room)), kit.next(leaves, newHost(host, room))))
          .compose(v -> kit.join(stays, room, host, List.of()))
          .compose(v -> kit.join(leaves, room, host, List.of(stays)))
          .compose(v -> kit.relay(host, stays, "ICE", new JsonObject().put("warm", 1)))
          .compose(v -> kit.relay(host, leaves, "ICE", new JsonObject().put("warm", 2)))
          .compose(v -> kit.relaysWhileOneLeaves(host, stays, leaves, 200));
      })).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }
}
