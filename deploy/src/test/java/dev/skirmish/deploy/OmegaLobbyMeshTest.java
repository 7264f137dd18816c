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

/**
 * CL Omega mesh signaling over real sockets: a host and three peers negotiate every pair the way the
 * cl5 client does (the host offers to each NEW_PEER, a newcomer offers to each DISCOVER, the receiver
 * answers, both trickle ICE), and relays outside the sender's lobby are refused.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class OmegaLobbyMeshTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode();

  private static String sdp(String kind, Player from, Player to) {
    return "v=0\r\no=- 46117314" + Math.abs((from.id + to.id).hashCode()) + " 2 IN IP4 127.0.0.1\r\n"
      + "s=-\r\nt=0 0\r\na=group:BUNDLE 0\r\na=msid-semantic: WMS\r\n"
      + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n"
      + "a=ice-ufrag:" + from.user + "\r\na=ice-pwd:" + kind + "<&>\"\\ \u00e9\u6f22\r\n"
      + "a=setup:" + ("offer".equals(kind) ? "actpass" : "active") + "\r\na=mid:0\r\na=sctp-port:5000\r\n";
  }

  /** The cl5 payload: {type: 0 (data), contents: description}. */
  private static JsonObject description(String kind, Player from, Player to) {
    return new JsonObject().put("type", 0)
      .put("contents", new JsonObject().put("type", kind).put("sdp", sdp(kind, from, to)));
  }

  private static JsonObject candidate(Player from, int n) {
    return new JsonObject().put("type", 0).put("contents", new JsonObject()
      .put("candidate", "candidate:" + (842163049 + n) + " 1 udp 1677729535 10.0." + n + ".7 " + (50000 + n)
        + " typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag " + from.user + " network-cost 999")
      .put("sdpMid", "0")
      .put("sdpMLineIndex", 0)
      .putNull("usernameFragment"));
  }

  /** What the client sends when both sides exchanged pubkeys: [ciphertext, iv] in base64. */
  private static JsonArray encrypted(String what, Player from, Player to) {
    return new JsonArray().add(java.util.Base64.getEncoder().encodeToString((what + from.id + to.id).getBytes()))
      .add("AAECAwQFBgcICQoL");
  }

  private enum Style { OBJECTS, RAW_SDP, ENCRYPTED }

  /**
   * One RTCPeerConnection's worth of signaling between {@code offerer} and {@code answerer}: offer,
   * answer, then two candidates each way (the answerer's first), every packet checked at both ends.
   */
  private static Future<Void> negotiate(OmegaLobbyKit kit, Player offerer, Player answerer, Style style) {
    Object offer;
    Object answer;
    Object[] offererIce;
    Object[] answererIce;
    switch (style) {
      case RAW_SDP -> {
        offer = sdp("offer", offerer, answerer);
        answer = sdp("answer", answerer, offerer);
        offererIce = new Object[] {candidate(offerer, 1).getJsonObject("contents").getString("candidate"),
          candidate(offerer, 2).getJsonObject("contents").getString("candidate")};
        answererIce = new Object[] {candidate(answerer, 3).getJsonObject("contents").getString("candidate"),
          candidate(answerer, 4).getJsonObject("contents").getString("candidate")};
      }
      case ENCRYPTED -> {
        offer = new JsonObject().put("type", 0).put("contents", encrypted("offer", offerer, answerer));
        answer = new JsonObject().put("type", 0).put("contents", encrypted("answer", answerer, offerer));
        offererIce = new Object[] {new JsonObject().put("type", 0).put("contents", encrypted("ice1", offerer, answerer)),
          new JsonObject().put("type", 0).put("contents", encrypted("ice2", offerer, answerer))};
        answererIce = new Object[] {new JsonObject().put("type", 0).put("contents", encrypted("ice3", answerer, offerer)),
          new JsonObject().put("type", 0).put("contents", encrypted("ice4", answerer, offerer))};
      }
      default -> {
        offer = description("offer", offerer, answerer);
        answer = description("answer", answerer, offerer);
        offererIce = new Object[] {candidate(offerer, 1), candidate(offerer, 2)};
        answererIce = new Object[] {candidate(answerer, 3), candidate(answerer, 4)};
      }
    }
    return kit.relay(offerer, answerer, "MAKE_OFFER", offer)
      .compose(v -> kit.relay(answerer, offerer, "MAKE_ANSWER", answer))
      .compose(v -> kit.relay(answerer, offerer, "ICE", answererIce[0]))
      .compose(v -> kit.relay(offerer, answerer, "ICE", offererIce[0]))
      .compose(v -> kit.relay(offerer, answerer, "ICE", offererIce[1]))
      .compose(v -> kit.relay(answerer, offerer, "ICE", answererIce[1]));
  }

  @Test
  @DisplayName("a host and three peers form a full mesh: every pair negotiates, origins and payloads arrive verbatim")
  void fullMesh(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String lobby = lobbyName("mesh");
    kit.newGame().compose(ugi -> kit.players(ugi, "meshh", "mesha", "meshb", "meshc")).compose(ps -> {
      Player h = ps.get(0);
      Player a = ps.get(1);
      Player b = ps.get(2);
      Player c = ps.get(3);
      // h, a and c hold pubkeys; b does not: keys flow only between h, a and c
      return kit.hostAnnounced(h, hostConfig(lobby).put("pubkey", "PUBKEY-H"), a, b, c)
        .compose(v -> kit.join(a, lobby, "PUBKEY-A", h, List.of()))
        .compose(v -> negotiate(kit, h, a, Style.ENCRYPTED))
        .compose(v -> kit.join(b, lobby, null, h, List.of(a)))
        .compose(v -> negotiate(kit, h, b, Style.OBJECTS))
        .compose(v -> negotiate(kit, b, a, Style.RAW_SDP))
        .compose(v -> kit.join(c, lobby, "PUBKEY-C", h, List.of(a, b)))
        .compose(v -> negotiate(kit, h, c, Style.ENCRYPTED))
        .compose(v -> negotiate(kit, c, a, Style.ENCRYPTED))
        .compose(v -> negotiate(kit, c, b, Style.RAW_SDP))
        // voice connections (type 1) are signaled the same way, here between two peers
        .compose(v -> kit.relay(a, b, "MAKE_OFFER", new JsonObject().put("type", 1)
          .put("contents", new JsonObject().put("type", "offer").put("sdp", sdp("offer", a, b)))))
        // nothing else reached anybody
        .compose(v -> Future.all(kit.quiet(h), kit.quiet(a), kit.quiet(b), kit.quiet(c)));
    }).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("relayed payloads of any JSON type are forwarded untouched, and the sender's own keys are not")
  void payloadTypes(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String lobby = lobbyName("types");
    kit.newGame().compose(ugi -> kit.players(ugi, "typh", "typp")).compose(ps -> {
      Player h = ps.get(0);
      Player p = ps.get(1);
      return kit.hostAnnounced(h, hostConfig(lobby), p)
        .compose(v -> kit.join(p, lobby, h, List.of()))
        .compose(v -> kit.relay(h, p, "ICE", 12345))
        .compose(v -> kit.relay(h, p, "ICE", true))
        .compose(v -> kit.relay(h, p, "ICE", new JsonArray().add(1).add("two").add(new JsonObject().put("three", 3))))
        .compose(v -> kit.relay(p, h, "MAKE_ANSWER", ""))
        .compose(v -> kit.relay(p, h, "MAKE_ANSWER", new JsonObject()))
        .compose(v -> {
          // a client-supplied origin object is replaced by the server's; extra keys are not forwarded
          String l = OmegaLobbyKit.listener();
          p.client.send(new JsonObject().put("opcode", "ICE").put("payload", "cand").put("recipient", h.id)
            .put("origin", new JsonObject().put("id", Ids.ulid()).put("user", "mallory")).put("extra", 1).put("listener", l));
          return Future.all(kit.next(p, packet("RELAY_OK", null, l)),
            kit.next(h, new JsonObject().put("opcode", "ICE").put("payload", "cand").put("origin", p.who())));
        })
        .compose(v -> {
          // a relay without payload arrives without payload
          String l = OmegaLobbyKit.listener();
          h.client.send(new JsonObject().put("opcode", "MAKE_OFFER").put("recipient", p.id.toLowerCase()).put("listener", l));
          return Future.all(kit.next(h, packet("RELAY_OK", null, l)),
            kit.next(p, new JsonObject().put("opcode", "MAKE_OFFER").put("origin", h.who())));
        })
        .compose(v -> Future.all(kit.quiet(h), kit.quiet(p)));
    }).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("while relays flow, a peer that leaves hears none after its ACK_LEAVE and the peer that stays loses none")
  void relaysWhileAPeerLeaves(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String lobby = lobbyName("flow");
    kit.openLobby(lobby, "flh", "fls", "fll").compose(ps -> {
      Player h = ps.get(0);
      Player stays = ps.get(1);
      Player leaves = ps.get(2);
      // the host's gateway has cached both recipients before the stream starts
      return kit.relay(h, stays, "ICE", new JsonObject().put("warm", 1))
        .compose(v -> kit.relay(h, leaves, "ICE", new JsonObject().put("warm", 2)))
        .compose(v -> kit.relaysWhileOneLeaves(h, stays, leaves, 200));
    }).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("relays to another lobby, to or from a lobby-less socket, to another game, to oneself or to nobody are PEER_INVALID")
  void relaysOutsideTheLobbyAreRefused(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String lobbyA = lobbyName("ra");
    String lobbyB = lobbyName("rb");
    Future.all(kit.newGame(), kit.newGame()).compose(games -> {
      String ugi = games.resultAt(0);
      String otherUgi = games.resultAt(1);
      return Future.all(kit.players(ugi, "rha", "rpa", "rhb", "rpb", "rl1", "rl2"), kit.players(otherUgi, "rhx"))
        .compose(all -> {
          List<Player> ps = all.resultAt(0);
          Player ha = ps.get(0);
          Player pa = ps.get(1);
          Player hb = ps.get(2);
          Player pb = ps.get(3);
          Player l1 = ps.get(4);
          Player l2 = ps.get(5);
          List<Player> others = all.resultAt(1);
          Player hx = others.get(0);
          return kit.host(ha, hostConfig(lobbyA))
            .compose(v -> Future.all(kit.next(hb, packet("NEW_HOST", ha.who().put("lobby_id", lobbyA))),
              kit.next(pa, packet("NEW_HOST", ha.who().put("lobby_id", lobbyA))),
              kit.next(pb, packet("NEW_HOST", ha.who().put("lobby_id", lobbyA))),
              kit.next(l1, packet("NEW_HOST", ha.who().put("lobby_id", lobbyA))),
              kit.next(l2, packet("NEW_HOST", ha.who().put("lobby_id", lobbyA)))))
            .compose(v -> kit.join(pa, lobbyA, ha, List.of()))
            .compose(v -> kit.host(hb, hostConfig(lobbyB)))
            .compose(v -> Future.all(kit.next(pb, packet("NEW_HOST", hb.who().put("lobby_id", lobbyB))),
              kit.next(l1, packet("NEW_HOST", hb.who().put("lobby_id", lobbyB))),
              kit.next(l2, packet("NEW_HOST", hb.who().put("lobby_id", lobbyB)))))
            .compose(v -> kit.join(pb, lobbyB, hb, List.of()))
            // the other game has a lobby of the same name
            .compose(v -> kit.host(hx, hostConfig(lobbyA)))
            .compose(v -> kit.relayRefused(pa, hb.id, "MAKE_OFFER"))
            .compose(v -> kit.relayRefused(pa, pb.id, "MAKE_ANSWER"))
            .compose(v -> kit.relayRefused(ha, hb.id, "ICE"))
            .compose(v -> kit.relayRefused(ha, l1.id, "MAKE_OFFER"))
            .compose(v -> kit.relayRefused(l1, ha.id, "MAKE_OFFER"))
            .compose(v -> kit.relayRefused(l1, l2.id, "ICE"))
            .compose(v -> kit.relayRefused(pa, hx.id, "MAKE_OFFER"))
            .compose(v -> kit.relayRefused(pa, pa.id, "ICE"))
            .compose(v -> kit.relayRefused(pa, Ids.ulid(), "ICE"))
            // none of them was delivered, and the lobby still works
            .compose(v -> Future.all(List.of(kit.quiet(hb), kit.quiet(pb), kit.quiet(l1), kit.quiet(l2), kit.quiet(hx),
              kit.quiet(ha))))
            .compose(v -> kit.relay(pa, ha, "MAKE_OFFER", "v=0\r\n"))
            .compose(v -> kit.relay(pb, hb, "MAKE_OFFER", "v=0\r\n"));
        });
    }).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a recipient that is not a ULID is WARNING {\"Validation error\":[{\"recipient\":\"ulid\"}]}; the socket stays open")
  void badRecipient(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String lobby = lobbyName("bad");
    JsonObject warning = validation("recipient", "ulid");
    kit.newGame().compose(ugi -> kit.players(ugi, "badh", "badp").compose(ps -> {
      Player h = ps.get(0);
      Player p = ps.get(1);
      return kit.hostAnnounced(h, hostConfig(lobby), p)
        .compose(v -> kit.join(p, lobby, h, List.of()))
        .compose(v -> {
          p.client.send(new JsonObject().put("opcode", "MAKE_OFFER").put("payload", "x").put("recipient", "peer-1")
            .put("listener", "w1"));
          return kit.next(p, packet("WARNING", warning, "w1"));
        })
        .compose(v -> {
          p.client.send(new JsonObject().put("opcode", "ICE").put("payload", "x"));
          return kit.next(p, packet("WARNING", warning));
        })
        .compose(v -> {
          p.client.send(new JsonObject().put("opcode", "MAKE_ANSWER").put("payload", "x").put("recipient", "")
            .put("listener", "w3"));
          return kit.next(p, packet("WARNING", warning, "w3"));
        })
        .compose(v -> kit.quiet(h))
        // still usable
        .compose(v -> kit.relay(p, h, "ICE", "candidate"))
        // a recipient that is not even a string breaks the envelope: VIOLATION and close
        .compose(v -> kit.violation(p.client, p.user, new JsonObject().put("opcode", "ICE").put("payload", "x")
          .put("recipient", 42).put("listener", "w4"), "[Signaling] Error reading packet: recipient must be a string"))
        // and the host learns that its peer is gone
        .compose(v -> kit.next(h, packet("PEER_GONE", p.id)))
        // a socket that has not sent INIT cannot relay
        .compose(v -> kit.socket(ugi))
        .compose(raw -> {
          raw.send(new JsonObject().put("opcode", "MAKE_OFFER").put("payload", "x").put("recipient", h.id)
            .put("listener", "pre"));
          return kit.next(raw, "uninitialised", packet("CONFIG_REQUIRED", null, "pre"));
        })
        .compose(v -> kit.quiet(h));
    })).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }
}
