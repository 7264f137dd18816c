package dev.skirmish.deploy;

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
import static org.assertj.core.api.Assertions.assertThat;

/** CONFIG_PEER: password lobbies, full and locked lobbies, missing lobbies, ALREADY_PEER, payload validation. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class OmegaLobbyJoinTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode();

  private static JsonObject peer(String lobby) {
    return new JsonObject().put("lobby_id", lobby);
  }

  @Test
  @DisplayName("password lobby: no password is PASSWORD_REQUIRED then PASSWORD_FAIL, a wrong one PASSWORD_FAIL, the right one PASSWORD_ACK and the join")
  void passwordLobby(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String room = lobbyName("pw");
    String password = "correct horse \u00e9\u6f22 battery";
    kit.newGame().compose(ugi -> kit.players(ugi, "pwh", "pwa", "pwb", "pwl").compose(ps -> {
      Player h = ps.get(0);
      Player a = ps.get(1);
      Player b = ps.get(2);
      Player l = ps.get(3);
      return kit.host(h, hostConfig(room).put("password", password).put("pubkey", "HKEY"))
        .compose(v -> kit.ask(a, "CONFIG_PEER", peer(room), "PASSWORD_REQUIRED", "PASSWORD_FAIL"))
        .compose(v -> kit.ask(a, "CONFIG_PEER", peer(room).put("password", ""), "PASSWORD_REQUIRED", "PASSWORD_FAIL"))
        .compose(v -> kit.ask(a, "CONFIG_PEER", peer(room).put("password", "wrong"), "PASSWORD_FAIL"))
        .compose(v -> kit.ask(a, "CONFIG_PEER", peer(room).put("password", password + " "), "PASSWORD_FAIL"))
        .compose(v -> kit.ask(a, "CONFIG_PEER", peer(room).put("password", password.toUpperCase()), "PASSWORD_FAIL"))
        // none of those joined: the host heard nothing
        .compose(v -> kit.quiet(h))
        .compose(v -> kit.join(a, peer(room).put("password", password).put("pubkey", "AKEY"), true, h, List.of()))
        .compose(v -> kit.join(b, peer(room).put("password", password), true, h, List.of(a)))
        .compose(v -> kit.relay(b, a, "MAKE_OFFER", "v=0\r\n"))
        // hidden from lobby-less sockets: not listed, no info, and its close is not announced to them
        .compose(v -> kit.askFor(l, "LOBBY_LIST", null, "LOBBY_LIST", new JsonArray()))
        .compose(v -> kit.ask(l, "LOBBY_INFO", room, "LOBBY_NOTFOUND"))
        .compose(v -> h.client.close())
        .compose(v -> Future.all(kit.next(a, packet("LOBBY_CLOSE", room)), kit.next(b, packet("LOBBY_CLOSE", room))))
        .compose(v -> Future.all(kit.quiet(l), kit.quiet(a), kit.quiet(b)));
    })).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a full lobby answers LOBBY_FULL (the host does not count); a place freed is taken again")
  void fullLobby(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String room = lobbyName("full");
    kit.newGame().compose(ugi -> kit.players(ugi, "fuh", "fua", "fub", "fuc").compose(ps -> {
      Player h = ps.get(0);
      Player a = ps.get(1);
      Player b = ps.get(2);
      Player c = ps.get(3);
      return kit.host(h, hostConfig(room).put("max_peers", 2))
        .compose(v -> Future.all(kit.next(a, packet("NEW_HOST", h.who().put("lobby_id", room))),
          kit.next(b, packet("NEW_HOST", h.who().put("lobby_id", room))),
          kit.next(c, packet("NEW_HOST", h.who().put("lobby_id", room)))))
        .compose(v -> kit.join(a, room, h, List.of()))
        .compose(v -> kit.join(b, room, h, List.of(a)))
        .compose(v -> kit.ask(c, "CONFIG_PEER", peer(room), "LOBBY_FULL"))
        .compose(v -> kit.askFor(c, "LOBBY_INFO", room, "LOBBY_INFO", new JsonObject().put("lobby_host_id", h.id)
          .put("lobby_host_username", h.user).put("max_peers", 2).put("current_peers", 2).put("locked", false)))
        .compose(v -> Future.all(kit.quiet(h), kit.quiet(a), kit.quiet(b)))
        .compose(v -> kit.ask(a, "LEAVE_LOBBY", null, "ACK_LEAVE"))
        .compose(v -> Future.all(kit.next(h, packet("PEER_GONE", a.id)), kit.next(b, packet("PEER_GONE", a.id))))
        .compose(v -> kit.join(c, room, h, List.of(b)))
        .compose(v -> kit.ask(a, "CONFIG_PEER", peer(room), "LOBBY_FULL"));
    })).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("two peers racing for the last place: exactly one joins, the other gets LOBBY_FULL")
  void raceForTheLastPlace(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String room = lobbyName("race");
    kit.newGame().compose(ugi -> kit.players(ugi, "rch", "rca", "rcb").compose(ps -> {
      Player h = ps.get(0);
      Player a = ps.get(1);
      Player b = ps.get(2);
      return kit.hostAnnounced(h, hostConfig(room).put("max_peers", 1), a, b).compose(v -> {
        a.send("CONFIG_PEER", peer(room), "a");
        b.send("CONFIG_PEER", peer(room), "b");
        return Future.all(a.client.next(), b.client.next());
      }).compose(first -> {
        JsonObject fa = first.resultAt(0);
        JsonObject fb = first.resultAt(1);
        boolean aWon = "ANTICIPATE".equals(fa.getString("opcode"));
        Player winner = aWon ? a : b;
        Player loser = aWon ? b : a;
        JsonObject won = aWon ? fa : fb;
        JsonObject lost = aWon ? fb : fa;
        return kit.check(() -> {
            assertThat(won).as("winner's first message").isEqualTo(packet("ANTICIPATE", h.who()));
            assertThat(lost).as("loser's first message")
              .isEqualTo(packet("LOBBY_FULL", null, aWon ? "b" : "a"));
          })
          .compose(v -> kit.next(winner, packet("ACK_PEER", null, aWon ? "a" : "b")))
          .compose(v -> kit.next(h, packet("NEW_PEER", winner.who())))
          .compose(v -> Future.all(kit.quiet(h), kit.quiet(winner), kit.quiet(loser)))
          .compose(v -> kit.relay(h, winner, "MAKE_OFFER", "v=0\r\n"))
          .compose(v -> kit.relayRefused(h, loser.id, "MAKE_OFFER"));
      });
    })).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a locked lobby answers LOBBY_LOCKED; LOCK/UNLOCK answer ACK_* or ALREADY_*, and only the host may use them")
  void lockedLobby(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String room = lobbyName("locked");
    kit.newGame().compose(ugi -> kit.players(ugi, "loh", "loa", "lob").compose(ps -> {
      Player h = ps.get(0);
      Player a = ps.get(1);
      Player b = ps.get(2);
      return kit.host(h, hostConfig(room).put("locked", true))
        .compose(v -> Future.all(kit.next(a, packet("NEW_HOST", h.who().put("lobby_id", room))),
          kit.next(b, packet("NEW_HOST", h.who().put("lobby_id", room)))))
        .compose(v -> kit.ask(a, "CONFIG_PEER", peer(room), "LOBBY_LOCKED"))
        .compose(v -> kit.ask(h, "LOCK", null, "ALREADY_LOCKED"))
        .compose(v -> kit.ask(h, "UNLOCK", null, "ACK_UNLOCK"))
        .compose(v -> kit.ask(h, "UNLOCK", null, "ALREADY_UNLOCKED"))
        .compose(v -> kit.join(a, room, h, List.of()))
        .compose(v -> kit.ask(a, "LOCK", null, "NOT_HOST"))
        .compose(v -> kit.ask(b, "LOCK", null, "NOT_HOST"))
        .compose(v -> kit.ask(b, "UNLOCK", null, "NOT_HOST"))
        .compose(v -> kit.ask(h, "LOCK", null, "ACK_LOCK"))
        .compose(v -> kit.askFor(b, "LOBBY_INFO", room, "LOBBY_INFO", new JsonObject().put("lobby_host_id", h.id)
          .put("lobby_host_username", h.user).put("max_peers", 0).put("current_peers", 1).put("locked", true)))
        .compose(v -> kit.ask(b, "CONFIG_PEER", peer(room), "LOBBY_LOCKED"))
        // a locked lobby keeps working for its members
        .compose(v -> kit.relay(a, h, "ICE", new JsonObject().put("candidate", "c")))
        .compose(v -> kit.ask(h, "UNLOCK", null, "ACK_UNLOCK"))
        .compose(v -> kit.join(b, room, h, List.of(a)));
    })).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("CONFIG_PEER to a missing lobby is LOBBY_NOTFOUND (lobbies are per game); a peer joining again is ALREADY_PEER")
  void notFoundAndAlreadyPeer(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String room = lobbyName("nf");
    String second = lobbyName("nf2");
    Future.all(kit.newGame(), kit.newGame()).compose(games -> {
      String ugi = games.resultAt(0);
      String otherUgi = games.resultAt(1);
      return Future.all(kit.player(otherUgi, "nfx"), kit.players(ugi, "nfh", "nfa", "nfk")).compose(all -> {
        Player x = all.resultAt(0);
        List<Player> ps = all.resultAt(1);
        Player h = ps.get(0);
        Player a = ps.get(1);
        Player k = ps.get(2);
        return kit.host(x, hostConfig(room))
          .compose(v -> kit.ask(a, "CONFIG_PEER", peer(room), "LOBBY_NOTFOUND"))
          .compose(v -> kit.ask(a, "CONFIG_PEER", peer(room.toUpperCase()), "LOBBY_NOTFOUND"))
          .compose(v -> kit.host(h, hostConfig(room)))
          .compose(v -> Future.all(kit.next(a, packet("NEW_HOST", h.who().put("lobby_id", room))),
            kit.next(k, packet("NEW_HOST", h.who().put("lobby_id", room)))))
          .compose(v -> kit.join(a, room, h, List.of()))
          .compose(v -> kit.ask(a, "CONFIG_PEER", peer(room), "ALREADY_PEER"))
          .compose(v -> kit.host(k, hostConfig(second)))
          .compose(v -> kit.ask(a, "CONFIG_PEER", peer(second), "ALREADY_PEER"))
          .compose(v -> kit.ask(a, "CONFIG_PEER", peer("nowhere"), "ALREADY_PEER"))
          .compose(v -> Future.all(kit.quiet(h), kit.quiet(k), kit.quiet(x)));
      });
    }).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("CONFIG_PEER without a lobby name, with wrong JSON types or a password over 128 characters is a VIOLATION and closes")
  void configPeerViolations(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String room = lobbyName("cpv");
    kit.newGame().compose(ugi -> kit.players(ugi, "cpvh", "cpv1", "cpv2", "cpv3", "cpv4", "cpv5", "cpv6", "cpv7")
      .compose(ps -> {
        Player h = ps.get(0);
        JsonObject base = new JsonObject().put("opcode", "CONFIG_PEER").put("listener", "cp");
        return kit.host(h, hostConfig(room).put("password", "pw"))
          .compose(v -> Future.all(List.of(
            kit.violation(ps.get(1).client, "no name", base.copy().put("payload", new JsonObject()),
              validation("lobby_id", "required")),
            kit.violation(ps.get(2).client, "empty name", base.copy().put("payload", peer("")),
              validation("lobby_id", "required")),
            kit.violation(ps.get(3).client, "long password", base.copy().put("payload",
              peer(room).put("password", "x".repeat(129))), validation("password", "max")),
            kit.violation(ps.get(4).client, "numeric name", base.copy().put("payload", peer(room).put("lobby_id", 5)),
              "[Signaling] Error reading packet: lobby_id must be a string"),
            kit.violation(ps.get(5).client, "numeric password", base.copy().put("payload", peer(room).put("password", 5)),
              "[Signaling] Error reading packet: password must be a string"),
            kit.violation(ps.get(6).client, "string payload", base.copy().put("payload", room),
              "[Signaling] Error reading packet: CONFIG_PEER payload must be an object"),
            kit.violation(ps.get(7).client, "null name", base.copy().put("payload", peer(room).putNull("lobby_id")),
              validation("lobby_id", "required")))))
          // none of them reached the lobby
          .compose(v -> kit.quiet(h));
      })).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }
}
