package dev.skirmish.deploy;

import dev.skirmish.common.Ids;
import dev.skirmish.deploy.OmegaLobbyKit.Player;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.OmegaLobbyKit.hostConfig;
import static dev.skirmish.deploy.OmegaLobbyKit.lobbyName;
import static dev.skirmish.deploy.OmegaLobbyKit.packet;
import static dev.skirmish.deploy.OmegaLobbyKit.validation;

/** Host controls: TRANSFER_HOST, KICK and SIZE, and who may use them. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class OmegaLobbyControlsTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode();

  private static JsonObject newHost(Player h, String lobby) {
    return packet("NEW_HOST", h.who().put("lobby_id", lobby));
  }

  private static JsonObject reclaim(Player h, String lobby) {
    return packet("HOST_RECLAIM", h.who().put("lobby_id", lobby));
  }

  /** A host with peers, all created before the lobby so that nobody else hears of it. */
  private static Future<List<Player>> lobby(OmegaLobbyKit kit, String ugi, String room, JsonObject config,
                                           String... prefixes) {
    return kit.players(ugi, prefixes).compose(ps -> {
      Player h = ps.get(0);
      Future<Void> chain = kit.host(h, config);
      for (int i = 1; i < ps.size(); i++) {
        Player p = ps.get(i);
        List<Player> before = ps.subList(1, i);
        chain = chain.compose(v -> kit.next(p, newHost(h, room)).mapEmpty());
        chain = chain.compose(v -> kit.join(p, room, h, List.copyOf(before)));
      }
      return chain.map(v -> ps);
    });
  }

  @Test
  @DisplayName("TRANSFER_HOST: ACK_TRANSFER to the host, HOST_RECLAIM to everyone; the old host is a peer from then on")
  void transferHost(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String room = lobbyName("transfer");
    kit.newGame().compose(ugi -> lobby(kit, ugi, room, hostConfig(room), "trh", "tra", "trb").compose(ps -> {
      Player h = ps.get(0);
      Player a = ps.get(1);
      Player b = ps.get(2);
      return kit.ask(a, "TRANSFER_HOST", b.id, "NOT_HOST")
        .compose(v -> kit.ask(h, "TRANSFER_HOST", Ids.ulid(), "PEER_INVALID"))
        .compose(v -> kit.ask(h, "TRANSFER_HOST", h.id, "PEER_INVALID"))
        .compose(v -> kit.askFor(h, "TRANSFER_HOST", "b", "WARNING", validation("payload", "ulid")))
        .compose(v -> kit.askFor(h, "TRANSFER_HOST", null, "WARNING", validation("payload", "ulid")))
        .compose(v -> Future.all(kit.quiet(a), kit.quiet(b)))
        .compose(v -> {
          String l = OmegaLobbyKit.listener();
          h.send("TRANSFER_HOST", b.id.toLowerCase(), l);
          return Future.all(kit.nextAll(h, reclaim(b, room), packet("ACK_TRANSFER", b.id, l)),
            kit.next(a, reclaim(b, room)), kit.next(b, reclaim(b, room)));
        })
        .compose(v -> Future.all(kit.quiet(h), kit.quiet(a), kit.quiet(b)))
        // b hosts, h is a peer
        .compose(v -> kit.ask(h, "LOCK", null, "NOT_HOST"))
        .compose(v -> kit.ask(h, "TRANSFER_HOST", a.id, "NOT_HOST"))
        .compose(v -> kit.ask(h, "CONFIG_PEER", new JsonObject().put("lobby_id", room), "ALREADY_PEER"))
        .compose(v -> kit.ask(b, "LOCK", null, "ACK_LOCK"))
        .compose(v -> kit.ask(b, "UNLOCK", null, "ACK_UNLOCK"))
        .compose(v -> kit.player(ugi, "trn"))
        .compose(n -> kit.askFor(n, "LOBBY_INFO", room, "LOBBY_INFO", new JsonObject().put("lobby_host_id", b.id)
            .put("lobby_host_username", b.user).put("max_peers", 0).put("current_peers", 2).put("locked", false))
          // the newcomer discovers the other peers, the old host among them
          .compose(v -> kit.join(n, room, b, List.of(a, h)))
          .compose(v -> kit.relay(n, h, "MAKE_OFFER", "v=0\r\n"))
          // the old host leaving is a peer leaving
          .compose(v -> h.client.close())
          .compose(v -> Future.all(kit.next(b, packet("PEER_GONE", h.id)), kit.next(a, packet("PEER_GONE", h.id)),
            kit.next(n, packet("PEER_GONE", h.id))))
          // the new host leaving closes the lobby (no reclaim)
          .compose(v -> b.client.close())
          .compose(v -> Future.all(kit.next(a, packet("LOBBY_CLOSE", room)), kit.next(n, packet("LOBBY_CLOSE", room)))));
    })).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("KICK: PEER_GONE and ACK_KICK to the host, LOBBY_CLOSE to the kicked peer (still connected), PEER_GONE to the others")
  void kick(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String room = lobbyName("kick");
    kit.newGame().compose(ugi -> lobby(kit, ugi, room, hostConfig(room), "kih", "kia", "kib", "kic").compose(ps -> {
      Player h = ps.get(0);
      Player a = ps.get(1);
      Player b = ps.get(2);
      Player c = ps.get(3);
      return kit.ask(a, "KICK", b.id, "NOT_HOST")
        .compose(v -> kit.ask(h, "KICK", Ids.ulid(), "PEER_INVALID"))
        .compose(v -> kit.ask(h, "KICK", h.id, "PEER_INVALID"))
        .compose(v -> kit.askFor(h, "KICK", 7, "WARNING", validation("payload", "ulid")))
        .compose(v -> Future.all(kit.quiet(a), kit.quiet(b), kit.quiet(c)))
        .compose(v -> {
          String l = OmegaLobbyKit.listener();
          h.send("KICK", b.id, l);
          return Future.all(kit.nextAll(h, packet("PEER_GONE", b.id), packet("ACK_KICK", b.id, l)),
            kit.next(b, packet("LOBBY_CLOSE", room)),
            kit.next(a, packet("PEER_GONE", b.id)), kit.next(c, packet("PEER_GONE", b.id)));
        })
        .compose(v -> Future.all(kit.quiet(h), kit.quiet(a), kit.quiet(b), kit.quiet(c)))
        // the kicked peer is lobby-less: it may browse, cannot relay into the lobby, and is not reached from it
        .compose(v -> kit.askFor(b, "LOBBY_LIST", null, "LOBBY_LIST", new JsonArray().add(room)))
        .compose(v -> kit.relayRefused(b, h.id, "ICE"))
        .compose(v -> kit.relayRefused(a, b.id, "ICE"))
        .compose(v -> kit.ask(h, "KICK", b.id, "PEER_INVALID"))
        .compose(v -> kit.relay(a, c, "ICE", "candidate"))
        // a kick is not a ban
        .compose(v -> kit.join(b, room, h, List.of(a, c)));
    })).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("SIZE: ACK_SIZE with the new size, WARNING below the current peer count, NOT_HOST for others; it limits joins")
  void size(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String room = lobbyName("size");
    kit.newGame().compose(ugi -> lobby(kit, ugi, room, hostConfig(room).put("max_peers", 5), "sih", "sia", "sib")
      .compose(ps -> kit.player(ugi, "sic").compose(c -> {
        Player h = ps.get(0);
        Player a = ps.get(1);
        Player b = ps.get(2);
        return kit.askOpcode(h, "SIZE", 1, "WARNING")
          .compose(v -> kit.askFor(h, "SIZE", 2, "ACK_SIZE", 2))
          .compose(v -> kit.askFor(c, "LOBBY_INFO", room, "LOBBY_INFO", new JsonObject().put("lobby_host_id", h.id)
            .put("lobby_host_username", h.user).put("max_peers", 2).put("current_peers", 2).put("locked", false)))
          .compose(v -> kit.ask(c, "CONFIG_PEER", new JsonObject().put("lobby_id", room), "LOBBY_FULL"))
          .compose(v -> kit.ask(a, "SIZE", 10, "NOT_HOST"))
          .compose(v -> kit.ask(c, "SIZE", 10, "NOT_HOST"))
          .compose(v -> kit.askFor(h, "SIZE", 0, "ACK_SIZE", 0))
          .compose(v -> kit.join(c, room, h, List.of(a, b)))
          .compose(v -> kit.askFor(h, "SIZE", 3, "ACK_SIZE", 3))
          .compose(v -> kit.askFor(h, "SIZE", 100, "ACK_SIZE", 100))
          .compose(v -> Future.all(kit.quiet(a), kit.quiet(b), kit.quiet(c)))
          // a SIZE that is not an integer from 0 to 100 breaks the host's connection, and so closes the lobby
          .compose(v -> kit.violation(h.client, h.user, new JsonObject().put("opcode", "SIZE").put("payload", "4")
            .put("listener", "s"), "[Signaling] Error reading packet: SIZE payload must be an integer from 0 to 100"))
          .compose(v -> Future.all(kit.next(a, packet("LOBBY_CLOSE", room)), kit.next(b, packet("LOBBY_CLOSE", room)),
            kit.next(c, packet("LOBBY_CLOSE", room))));
      }))).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("SIZE outside 0..100, fractional or missing is a VIOLATION and closes the socket")
  void sizeViolations(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    kit.newGame().compose(ugi -> kit.players(ugi, "sv1", "sv2", "sv3", "sv4").compose(ps -> {
      String notInteger = "[Signaling] Error reading packet: SIZE payload must be an integer from 0 to 100";
      return Future.all(List.of(
        kit.violation(ps.get(0).client, "101", new JsonObject().put("opcode", "SIZE").put("payload", 101),
          validation("payload", "max")),
        kit.violation(ps.get(1).client, "-1", new JsonObject().put("opcode", "SIZE").put("payload", -1),
          validation("payload", "min")),
        kit.violation(ps.get(2).client, "2.5", new JsonObject().put("opcode", "SIZE").put("payload", 2.5), notInteger),
        kit.violation(ps.get(3).client, "none", new JsonObject().put("opcode", "SIZE"), notInteger)));
    })).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }
}
