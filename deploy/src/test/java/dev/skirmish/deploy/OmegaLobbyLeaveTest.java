package dev.skirmish.deploy;

import dev.skirmish.common.Delivery;
import dev.skirmish.deploy.OmegaLobbyKit.Player;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
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
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leaving a lobby: peers that close or send LEAVE_LOBBY, hosts that leave under each reclaim rule
 * (close, server picks the earliest peer, peers claim), and switching role without reconnecting.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class OmegaLobbyLeaveTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode();

  private static JsonObject newHost(Player h, String lobby) {
    return packet("NEW_HOST", h.who().put("lobby_id", lobby));
  }

  private static JsonObject reclaim(Player h, String lobby) {
    return packet("HOST_RECLAIM", h.who().put("lobby_id", lobby));
  }

  /** The node's directory entry of an account's CL Omega session (null when none). */
  private static Future<String> directoryEntry(String accountId) {
    return NODE.node().vertx().sharedData().<String, String>getAsyncMap(Delivery.OMEGA_SESSIONS)
      .compose((AsyncMap<String, String> m) -> m.get(accountId));
  }

  @Test
  @DisplayName("a peer that closes its socket or sends LEAVE_LOBBY is PEER_GONE to the host and to every other peer")
  void everyMemberLearnsThatAPeerLeft(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String room = lobbyName("gone");
    String later = lobbyName("later");
    kit.newGame().compose(ugi -> kit.players(ugi, "goh", "goa", "gob", "goc", "gon").compose(ps -> {
      Player h = ps.get(0);
      Player a = ps.get(1);
      Player b = ps.get(2);
      Player c = ps.get(3);
      Player n = ps.get(4);
      return kit.host(h, hostConfig(room))
        .compose(v -> Future.all(List.of(kit.next(a, newHost(h, room)), kit.next(b, newHost(h, room)),
          kit.next(c, newHost(h, room)), kit.next(n, newHost(h, room)))))
        .compose(v -> kit.join(a, room, h, List.of()))
        .compose(v -> kit.join(b, room, h, List.of(a)))
        .compose(v -> kit.join(c, room, h, List.of(a, b)))
        // relays between members (the sending gateways now cache where b and a are)
        .compose(v -> kit.relay(h, b, "ICE", "warm"))
        .compose(v -> kit.relay(h, a, "ICE", "warm"))
        .compose(v -> kit.relay(a, h, "ICE", "warm"))
        // b's socket closes
        .compose(v -> b.client.close())
        .compose(v -> Future.all(kit.next(h, packet("PEER_GONE", b.id)), kit.next(a, packet("PEER_GONE", b.id)),
          kit.next(c, packet("PEER_GONE", b.id))))
        // ... and its session is gone from the directory, not left behind naming a dead connection
        .compose(v -> directoryEntry(b.id))
        .compose(entry -> kit.check(() -> assertThat(entry).as("directory entry of a closed socket").isNull()))
        .compose(v -> kit.relayRefused(h, b.id, "ICE"))
        // a leaves without closing: ACK_LEAVE to it, PEER_GONE to the others, nothing more to it
        .compose(v -> kit.ask(a, "LEAVE_LOBBY", null, "ACK_LEAVE"))
        .compose(v -> Future.all(kit.next(h, packet("PEER_GONE", a.id)), kit.next(c, packet("PEER_GONE", a.id))))
        .compose(v -> Future.all(kit.quiet(a), kit.quiet(h), kit.quiet(c)))
        // a is lobby-less now: relays with the lobby are refused both ways, it may browse and hears new lobbies
        .compose(v -> kit.relayRefused(a, h.id, "MAKE_OFFER"))
        .compose(v -> kit.relayRefused(h, a.id, "ICE"))
        .compose(v -> kit.relay(h, c, "ICE", "still connected"))
        .compose(v -> kit.askOpcode(a, "LEAVE_LOBBY", null, "WARNING"))
        .compose(v -> kit.host(n, hostConfig(later)))
        .compose(v -> kit.next(a, newHost(n, later)))
        // and it may come back; the others get it announced as usual
        .compose(v -> kit.join(a, room, h, List.of(c)))
        .compose(v -> kit.relay(a, c, "MAKE_OFFER", "v=0\r\n"))
        .compose(v -> Future.all(kit.quiet(h), kit.quiet(a), kit.quiet(c), kit.quiet(n)));
    })).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a host that leaves a lobby without reclaim closes it: LOBBY_CLOSE once to each member and to lobby-less sockets")
  void hostLeavesLobbyCloses(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String room = lobbyName("close");
    String other = lobbyName("other");
    String second = lobbyName("second");
    kit.newGame().compose(ugi -> kit.players(ugi, "clh", "cla", "clb", "cll", "clo", "clm").compose(ps -> {
      Player h = ps.get(0);
      Player a = ps.get(1);
      Player b = ps.get(2);
      Player l = ps.get(3);
      Player o = ps.get(4);
      Player m = ps.get(5);
      return kit.host(o, hostConfig(other))
        .compose(v -> Future.all(List.of(kit.next(h, newHost(o, other)), kit.next(a, newHost(o, other)),
          kit.next(b, newHost(o, other)), kit.next(l, newHost(o, other)), kit.next(m, newHost(o, other)))))
        .compose(v -> kit.join(m, other, o, List.of()))
        .compose(v -> kit.host(h, hostConfig(room)))
        .compose(v -> Future.all(kit.next(a, newHost(h, room)), kit.next(b, newHost(h, room)),
          kit.next(l, newHost(h, room))))
        .compose(v -> kit.join(a, room, h, List.of()))
        .compose(v -> kit.join(b, room, h, List.of(a)))
        .compose(v -> h.client.close())
        .compose(v -> Future.all(kit.next(a, packet("LOBBY_CLOSE", room)), kit.next(b, packet("LOBBY_CLOSE", room)),
          kit.next(l, packet("LOBBY_CLOSE", room))))
        // exactly once each, and nothing to the members of another lobby
        .compose(v -> Future.all(List.of(kit.quiet(a), kit.quiet(b), kit.quiet(l), kit.quiet(o), kit.quiet(m))))
        // the lobby is gone; its members are lobby-less and free
        .compose(v -> kit.ask(l, "LOBBY_INFO", room, "LOBBY_NOTFOUND"))
        .compose(v -> kit.ask(l, "CONFIG_PEER", new JsonObject().put("lobby_id", room), "LOBBY_NOTFOUND"))
        .compose(v -> kit.relayRefused(a, b.id, "ICE"))
        .compose(v -> kit.host(a, hostConfig(room)))
        .compose(v -> Future.all(kit.next(b, newHost(a, room)), kit.next(l, newHost(a, room))))
        .compose(v -> kit.join(b, room, a, List.of()))
        // a host leaving by LEAVE_LOBBY closes the lobby the same way and stays connected
        .compose(v -> kit.ask(a, "LEAVE_LOBBY", null, "ACK_LEAVE"))
        .compose(v -> Future.all(kit.next(b, packet("LOBBY_CLOSE", room)), kit.next(l, packet("LOBBY_CLOSE", room))))
        .compose(v -> Future.all(kit.quiet(a), kit.quiet(b), kit.quiet(l)))
        .compose(v -> kit.host(b, hostConfig(second)))
        .compose(v -> Future.all(kit.next(a, newHost(b, second)), kit.next(l, newHost(b, second))));
    })).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("allow_host_reclaim without peer claims: the earliest peer becomes host (PEER_GONE + HOST_RECLAIM to all), until nobody is left")
  void serverReclaim(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String room = lobbyName("reclaim");
    JsonObject config = hostConfig(room).put("allow_host_reclaim", true);
    kit.newGame().compose(ugi -> kit.players(ugi, "reh", "rea", "reb", "rec").compose(ps -> {
      Player h = ps.get(0);
      Player a = ps.get(1);
      Player b = ps.get(2);
      Player c = ps.get(3);
      return kit.host(h, config)
        .compose(v -> Future.all(kit.next(a, newHost(h, room)), kit.next(b, newHost(h, room)),
          kit.next(c, newHost(h, room))))
        .compose(v -> kit.join(a, room, h, List.of()))
        .compose(v -> kit.join(b, room, h, List.of(a)))
        .compose(v -> kit.join(c, room, h, List.of(a, b)))
        .compose(v -> h.client.close())
        .compose(v -> Future.all(kit.nextAll(a, packet("PEER_GONE", h.id), reclaim(a, room)),
          kit.nextAll(b, packet("PEER_GONE", h.id), reclaim(a, room)),
          kit.nextAll(c, packet("PEER_GONE", h.id), reclaim(a, room))))
        .compose(v -> Future.all(kit.quiet(a), kit.quiet(b), kit.quiet(c)))
        // a hosts now: host controls work, newcomers are announced to it and discover b and c
        .compose(v -> kit.ask(a, "LOCK", null, "ACK_LOCK"))
        .compose(v -> kit.ask(a, "UNLOCK", null, "ACK_UNLOCK"))
        .compose(v -> kit.ask(b, "LOCK", null, "NOT_HOST"))
        .compose(v -> kit.player(ugi, "ren"))
        .compose(n -> kit.askFor(n, "LOBBY_INFO", room, "LOBBY_INFO", new JsonObject().put("lobby_host_id", a.id)
            .put("lobby_host_username", a.user).put("max_peers", 0).put("current_peers", 2).put("locked", false))
          .compose(v -> kit.join(n, room, a, List.of(b, c)))
          .compose(v -> kit.relay(a, n, "MAKE_OFFER", "v=0\r\n"))
          // the new host leaves too: b, the earliest remaining peer, takes over
          .compose(v -> kit.ask(a, "LEAVE_LOBBY", null, "ACK_LEAVE"))
          .compose(v -> Future.all(kit.nextAll(b, packet("PEER_GONE", a.id), reclaim(b, room)),
            kit.nextAll(c, packet("PEER_GONE", a.id), reclaim(b, room)),
            kit.nextAll(n, packet("PEER_GONE", a.id), reclaim(b, room))))
          .compose(v -> kit.quiet(a))
          .compose(v -> c.client.close())
          .compose(v -> Future.all(kit.next(b, packet("PEER_GONE", c.id)), kit.next(n, packet("PEER_GONE", c.id))))
          .compose(v -> n.client.close())
          .compose(v -> kit.next(b, packet("PEER_GONE", n.id)))
          // the last member, host without peers, leaves: the lobby closes
          .compose(v -> b.client.close())
          .compose(v -> kit.next(a, packet("LOBBY_CLOSE", room))));
    })).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("allow_peers_to_claim_host: HOST_GONE to all, the lobby is locked and unlisted, the first CLAIM_HOST wins")
  void peersClaim(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String room = lobbyName("claim");
    JsonObject config = hostConfig(room).put("allow_host_reclaim", true).put("allow_peers_to_claim_host", true);
    kit.newGame().compose(ugi -> kit.players(ugi, "cth", "cta", "ctb", "cto").compose(ps -> {
      Player h = ps.get(0);
      Player a = ps.get(1);
      Player b = ps.get(2);
      Player o = ps.get(3);
      return kit.host(h, config)
        .compose(v -> Future.all(kit.next(a, newHost(h, room)), kit.next(b, newHost(h, room)),
          kit.next(o, newHost(h, room))))
        .compose(v -> kit.join(a, room, h, List.of()))
        .compose(v -> kit.join(b, room, h, List.of(a)))
        .compose(v -> kit.askOpcode(a, "CLAIM_HOST", null, "WARNING"))
        .compose(v -> h.client.close())
        .compose(v -> Future.all(kit.next(a, packet("HOST_GONE", h.id)), kit.next(b, packet("HOST_GONE", h.id))))
        // outsiders hear nothing, see nothing and cannot join or claim
        .compose(v -> kit.quiet(o))
        .compose(v -> kit.askFor(o, "LOBBY_LIST", null, "LOBBY_LIST", new JsonArray()))
        .compose(v -> kit.ask(o, "LOBBY_INFO", room, "LOBBY_NOTFOUND"))
        .compose(v -> kit.ask(o, "CONFIG_PEER", new JsonObject().put("lobby_id", room), "LOBBY_LOCKED"))
        .compose(v -> kit.ask(o, "CLAIM_HOST", null, "NOT_PEER"))
        // the peers still reach each other while hostless
        .compose(v -> kit.relay(a, b, "ICE", "candidate"))
        // b claims first
        .compose(v -> {
          String l = OmegaLobbyKit.listener();
          b.send("CLAIM_HOST", null, l);
          return Future.all(kit.next(b, packet("HOST_RECLAIM", b.who().put("lobby_id", room), l)),
            kit.next(a, reclaim(b, room)));
        })
        .compose(v -> kit.ask(b, "CLAIM_HOST", null, "ALREADY_HOST"))
        .compose(v -> kit.ask(o, "CLAIM_HOST", null, "NOT_PEER"))
        .compose(v -> Future.all(kit.quiet(a), kit.quiet(b), kit.quiet(o)))
        // b hosts: the lobby is open again
        .compose(v -> kit.askFor(o, "LOBBY_INFO", room, "LOBBY_INFO", new JsonObject().put("lobby_host_id", b.id)
          .put("lobby_host_username", b.user).put("max_peers", 0).put("current_peers", 1).put("locked", false)))
        .compose(v -> kit.join(o, room, b, List.of(a)))
        .compose(v -> kit.ask(b, "LOCK", null, "ACK_LOCK"));
    })).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("two peers claiming at once: one gets HOST_RECLAIM as its answer, the other a WARNING and the winner's HOST_RECLAIM")
  void claimRace(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String room = lobbyName("claimrace");
    JsonObject config = hostConfig(room).put("allow_host_reclaim", true).put("allow_peers_to_claim_host", true);
    kit.newGame().compose(ugi -> kit.players(ugi, "crh", "cra", "crb").compose(ps -> {
      Player h = ps.get(0);
      Player a = ps.get(1);
      Player b = ps.get(2);
      return kit.hostAnnounced(h, config, a, b)
        .compose(v -> kit.join(a, room, h, List.of()))
        .compose(v -> kit.join(b, room, h, List.of(a)))
        .compose(v -> h.client.close())
        .compose(v -> Future.all(kit.next(a, packet("HOST_GONE", h.id)), kit.next(b, packet("HOST_GONE", h.id))))
        .compose(v -> {
          a.send("CLAIM_HOST", null, "a");
          b.send("CLAIM_HOST", null, "b");
          return Future.all(
            a.client.inbox().next(m -> "a".equals(m.getString("listener")), "a's answer"),
            b.client.inbox().next(m -> "b".equals(m.getString("listener")), "b's answer"));
        })
        .compose(answers -> {
          JsonObject ra = answers.resultAt(0);
          JsonObject rb = answers.resultAt(1);
          boolean aWon = "HOST_RECLAIM".equals(ra.getString("opcode"));
          Player winner = aWon ? a : b;
          Player loser = aWon ? b : a;
          return kit.check(() -> {
              assertThat(aWon ? ra : rb).isEqualTo(packet("HOST_RECLAIM", winner.who().put("lobby_id", room),
                aWon ? "a" : "b"));
              assertThat((aWon ? rb : ra).getString("opcode")).isEqualTo("WARNING");
            })
            .compose(v -> kit.take(loser, reclaim(winner, room)))
            .compose(v -> Future.all(kit.quiet(a), kit.quiet(b)))
            .compose(v -> kit.ask(winner, "LOCK", null, "ACK_LOCK"))
            .compose(v -> kit.ask(loser, "LOCK", null, "NOT_HOST"));
        });
    })).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a later CLAIM_HOST is a WARNING; a hostless lobby whose last peer leaves closes")
  void laterClaimAndEmptyHostlessLobby(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String room = lobbyName("late");
    JsonObject config = hostConfig(room).put("allow_host_reclaim", true).put("allow_peers_to_claim_host", true);
    kit.newGame().compose(ugi -> kit.players(ugi, "lah", "laa", "lab", "lal").compose(ps -> {
      Player h = ps.get(0);
      Player a = ps.get(1);
      Player b = ps.get(2);
      Player l = ps.get(3);
      return kit.host(h, config)
        .compose(v -> Future.all(kit.next(a, newHost(h, room)), kit.next(b, newHost(h, room)),
          kit.next(l, newHost(h, room))))
        .compose(v -> kit.join(a, room, h, List.of()))
        .compose(v -> kit.join(b, room, h, List.of(a)))
        .compose(v -> kit.ask(h, "LEAVE_LOBBY", null, "ACK_LEAVE"))
        .compose(v -> Future.all(kit.next(a, packet("HOST_GONE", h.id)), kit.next(b, packet("HOST_GONE", h.id))))
        .compose(v -> {
          String la = OmegaLobbyKit.listener();
          a.send("CLAIM_HOST", null, la);
          return Future.all(kit.next(a, packet("HOST_RECLAIM", a.who().put("lobby_id", room), la)),
            kit.next(b, reclaim(a, room)));
        })
        .compose(v -> kit.askOpcode(b, "CLAIM_HOST", null, "WARNING"))
        // the new host leaves: HOST_GONE again, then the last peer leaves and the lobby closes
        .compose(v -> a.client.close())
        .compose(v -> kit.next(b, packet("HOST_GONE", a.id)))
        .compose(v -> kit.quiet(l))
        .compose(v -> kit.ask(b, "LEAVE_LOBBY", null, "ACK_LEAVE"))
        // announced to the lobby-less sockets, h among them since it left
        .compose(v -> Future.all(kit.next(l, packet("LOBBY_CLOSE", room)), kit.next(h, packet("LOBBY_CLOSE", room))))
        .compose(v -> Future.all(kit.quiet(b), kit.quiet(h)))
        .compose(v -> kit.ask(l, "CONFIG_PEER", new JsonObject().put("lobby_id", room), "LOBBY_NOTFOUND"));
    })).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("switching role without reconnecting: a peer hosts (leaving its lobby), a host joins (closing its lobby)")
  void switchRole(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String first = lobbyName("first");
    String second = lobbyName("second");
    kit.newGame().compose(ugi -> kit.players(ugi, "swh", "swa", "swb", "swl").compose(ps -> {
      Player h = ps.get(0);
      Player a = ps.get(1);
      Player b = ps.get(2);
      Player l = ps.get(3);
      return kit.host(h, hostConfig(first))
        .compose(v -> Future.all(kit.next(a, newHost(h, first)), kit.next(b, newHost(h, first)),
          kit.next(l, newHost(h, first))))
        .compose(v -> kit.join(a, first, h, List.of()))
        .compose(v -> kit.join(b, first, h, List.of(a)))
        // a peer hosts: it leaves its lobby (PEER_GONE there) and is announced to lobby-less sockets only
        .compose(v -> kit.host(a, hostConfig(second).put("pubkey", "AKEY")))
        .compose(v -> Future.all(kit.next(h, packet("PEER_GONE", a.id)), kit.next(b, packet("PEER_GONE", a.id)),
          kit.next(l, packet("NEW_HOST", a.who().put("lobby_id", second).put("pubkey", "AKEY")))))
        .compose(v -> Future.all(kit.quiet(h), kit.quiet(b), kit.quiet(a)))
        .compose(v -> kit.relayRefused(h, a.id, "ICE"))
        .compose(v -> kit.join(l, second, a, List.of()))
        // the host of the first lobby joins the second: its own lobby closes, b becomes lobby-less
        .compose(v -> kit.join(h, second, a, List.of(l)))
        .compose(v -> kit.next(b, packet("LOBBY_CLOSE", first)))
        .compose(v -> Future.all(kit.quiet(b), kit.quiet(h)))
        .compose(v -> kit.relay(h, l, "MAKE_OFFER", "v=0\r\n"))
        .compose(v -> kit.relay(a, h, "MAKE_OFFER", "v=0\r\n"))
        .compose(v -> kit.relay(l, a, "ICE", "candidate"))
        .compose(v -> kit.relayRefused(h, b.id, "MAKE_OFFER"))
        .compose(v -> kit.ask(h, "LOCK", null, "NOT_HOST"))
        .compose(v -> kit.askFor(b, "LOBBY_LIST", null, "LOBBY_LIST", new JsonArray().add(second)));
    })).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }
}
