package dev.skirmish.signaling;

import dev.skirmish.signaling.Lobbies.Caller;
import dev.skirmish.signaling.LobbyMembership.HostConfig;
import dev.skirmish.signaling.LobbyMembership.PasswordCheck;
import dev.skirmish.common.DocumentStore.Change;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class LobbiesTest {

  private static final String UGI = "01HNPHRWS0N0AYMM5K4HN31V4W";

  private static Caller caller(String name) {
    return new Caller(UGI, "ID-" + name, name, "node-" + name, "conn-" + name);
  }

  private static final Caller HOST = caller("host");
  private static final Caller P1 = caller("p1");
  private static final Caller P2 = caller("p2");
  private static final Caller P3 = caller("p3");

  private JsonObject doc = new JsonObject().put("lobbies", new JsonObject());

  private Effects apply(Change<Effects> change) {
    if (change.next() != null) {
      doc = change.next();
    }
    return change.result();
  }

  private Effects host(Caller c, String name, boolean reclaim, boolean peersClaim, int max, String hash, String key) {
    return apply(LobbyMembership.host(doc, c, new HostConfig(name, reclaim, peersClaim, max, hash, key, false)));
  }

  private Effects join(Caller c, String name, String key) {
    return apply(LobbyMembership.join(doc, c, name, key, PasswordCheck.NONE));
  }

  private static List<String> opcodes(JsonArray packets) {
    return packets.stream().map(p -> ((JsonObject) p).getString("opcode")).collect(Collectors.toList());
  }

  private static List<String> pushes(Effects e, Caller to) {
    return e.pushes.stream().filter(p -> p.to().connection().equals(to.connection()))
      .map(p -> p.packet().getString("opcode") + (p.packet().getValue("payload") instanceof String s ? " " + s : ""))
      .collect(Collectors.toList());
  }

  @Test
  void publicLobbyIsAnnouncedToLobbylessSocketsExceptTheHost() {
    Effects e = host(HOST, "room", false, false, 0, null, null);
    assertThat(opcodes(e.replies)).containsExactly("ACK_HOST");
    assertThat(e.callerLobby).isEqualTo("room");
    assertThat(e.broadcasts).hasSize(1);
    assertThat(e.broadcasts.get(0).packet().getJsonObject("payload"))
      .isEqualTo(new JsonObject().put("id", "ID-host").put("user", "host").put("lobby_id", "room"));
    assertThat(e.broadcasts.get(0).exceptConnection()).isEqualTo("conn-host");
    assertThat(host(HOST, "other", false, false, 0, null, null).replies.getJsonObject(0).getString("opcode"))
      .isEqualTo("ALREADY_HOST");
    assertThat(opcodes(host(P1, "room", false, false, 0, null, null).replies)).containsExactly("LOBBY_EXISTS");
  }

  @Test
  void passwordLobbiesAreNeitherAnnouncedNorListed() {
    Effects e = host(HOST, "secret", false, false, 0, "HASH", null);
    assertThat(e.broadcasts).isEmpty();
    assertThat(LobbyDiscovery.list(doc, P1).replies.getJsonObject(0).getJsonArray("payload")).isEmpty();
    assertThat(opcodes(LobbyDiscovery.info(doc, P1, "secret").replies)).containsExactly("LOBBY_NOTFOUND");
  }

  @Test
  void joinSequenceBuildsTheMesh() {
    host(HOST, "room", false, false, 0, null, null);
    join(P1, "room", null);
    Effects e = join(P2, "room", null);
    // to the newcomer: ANTICIPATE(host), ACK_PEER, then one DISCOVER per existing peer
    assertThat(opcodes(e.replies)).containsExactly("ANTICIPATE", "ACK_PEER", "DISCOVER");
    assertThat(e.replies.getJsonObject(0).getJsonObject("payload").getString("id")).isEqualTo("ID-host");
    assertThat(e.replies.getJsonObject(0).getBoolean("direct")).isFalse();
    assertThat(e.replies.getJsonObject(2).getJsonObject("payload").getString("id")).isEqualTo("ID-p1");
    assertThat(pushes(e, HOST)).containsExactly("NEW_PEER");
    assertThat(pushes(e, P1)).containsExactly("ANTICIPATE");
    assertThat(e.callerLobby).isEqualTo("room");
    assertThat(opcodes(join(P2, "room", null).replies)).containsExactly("ALREADY_PEER");
    assertThat(opcodes(join(P3, "nowhere", null).replies)).containsExactly("LOBBY_NOTFOUND");
  }

  @Test
  void publicKeysTravelOnlyBetweenKeyHolders() {
    host(HOST, "room", false, false, 0, null, "KEY-H");
    Effects withKey = join(P1, "room", "KEY-1");
    assertThat(withKey.replies.getJsonObject(0).getJsonObject("payload").getString("pubkey")).isEqualTo("KEY-H");
    assertThat(withKey.pushes.get(0).packet().getJsonObject("payload").getString("pubkey")).isEqualTo("KEY-1");
    Effects without = join(P2, "room", null);
    assertThat(without.replies.getJsonObject(0).getJsonObject("payload").containsKey("pubkey")).isFalse();
    without.pushes.forEach(p -> assertThat(p.packet().getJsonObject("payload").containsKey("pubkey")).isFalse());
  }

  @Test
  void fullLockedAndPasswordChecks() {
    host(HOST, "small", false, false, 1, null, null);
    join(P1, "small", null);
    assertThat(opcodes(join(P2, "small", null).replies)).containsExactly("LOBBY_FULL");

    host(P3, "locked", false, false, 0, null, null);
    assertThat(opcodes(apply(LobbyControls.lock(doc, P3, true)).replies)).containsExactly("ACK_LOCK");
    assertThat(opcodes(apply(LobbyControls.lock(doc, P3, true)).replies)).containsExactly("ALREADY_LOCKED");
    assertThat(opcodes(join(P2, "locked", null).replies)).containsExactly("LOBBY_LOCKED");
    assertThat(opcodes(apply(LobbyControls.lock(doc, P3, false)).replies)).containsExactly("ACK_UNLOCK");
    assertThat(opcodes(apply(LobbyControls.lock(doc, P1, true)).replies)).containsExactly("NOT_HOST");

    Caller h2 = caller("h2");
    host(h2, "pw", false, false, 0, "HASH", null);
    Caller j = caller("j");
    assertThat(opcodes(apply(LobbyMembership.join(doc, j, "pw", null, new PasswordCheck("HASH", false, false))).replies))
      .containsExactly("PASSWORD_REQUIRED", "PASSWORD_FAIL");
    assertThat(opcodes(apply(LobbyMembership.join(doc, j, "pw", null, new PasswordCheck("HASH", true, false))).replies))
      .containsExactly("PASSWORD_FAIL");
    assertThat(opcodes(apply(LobbyMembership.join(doc, j, "pw", null, new PasswordCheck("OLD", true, true))).replies))
      .containsExactly("PASSWORD_FAIL");
    assertThat(opcodes(apply(LobbyMembership.join(doc, j, "pw", null, new PasswordCheck("HASH", true, true))).replies))
      .containsExactly("PASSWORD_ACK", "ANTICIPATE", "ACK_PEER");
  }

  @Test
  void peerLeavingIsToldToEveryMember() {
    host(HOST, "room", false, false, 0, null, null);
    join(P1, "room", null);
    join(P2, "room", null);
    Effects e = apply(LobbyMembership.closed(doc, UGI, P1.id(), P1.connection()));
    assertThat(pushes(e, HOST)).containsExactly("PEER_GONE ID-p1");
    assertThat(pushes(e, P2)).containsExactly("PEER_GONE ID-p1");
    assertThat(Lobbies.find(doc, P1.connection())).isNull();
  }

  @Test
  void hostLeavingWithoutReclaimClosesTheLobby() {
    host(HOST, "room", false, false, 0, null, null);
    join(P1, "room", null);
    Effects e = apply(LobbyMembership.closed(doc, UGI, HOST.id(), HOST.connection()));
    assertThat(pushes(e, P1)).containsExactly("LOBBY_CLOSE room");
    assertThat(e.memberships).extracting(m -> m.who().connection()).containsExactly("conn-p1");
    assertThat(e.broadcasts).extracting(b -> b.packet().getString("opcode")).containsExactly("LOBBY_CLOSE");
    // the member gets its LOBBY_CLOSE directly, not a second time as a lobby-less socket
    assertThat(e.broadcasts.get(0).leaving()).containsExactly("conn-p1");
    assertThat(doc.getJsonObject("lobbies").isEmpty()).isTrue();
  }

  @Test
  void hostLeavingWithServerReclaimPromotesTheEarliestPeer() {
    host(HOST, "room", true, false, 0, null, null);
    join(P1, "room", null);
    join(P2, "room", null);
    Effects e = apply(LobbyMembership.closed(doc, UGI, HOST.id(), HOST.connection()));
    assertThat(pushes(e, P1)).containsExactly("PEER_GONE ID-host", "HOST_RECLAIM");
    assertThat(pushes(e, P2)).containsExactly("PEER_GONE ID-host", "HOST_RECLAIM");
    JsonObject reclaim = e.pushes.get(1).packet().getJsonObject("payload");
    assertThat(reclaim).isEqualTo(new JsonObject().put("id", "ID-p1").put("user", "p1").put("lobby_id", "room"));
    assertThat(Lobbies.find(doc, P1.connection()).host()).isTrue();
  }

  @Test
  void hostLeavingWithPeerClaimLetsTheFirstClaimWin() {
    host(HOST, "room", true, true, 0, null, null);
    join(P1, "room", null);
    join(P2, "room", null);
    Effects gone = apply(LobbyMembership.closed(doc, UGI, HOST.id(), HOST.connection()));
    assertThat(pushes(gone, P1)).containsExactly("HOST_GONE ID-host");
    assertThat(pushes(gone, P2)).containsExactly("HOST_GONE ID-host");
    assertThat(opcodes(join(P3, "room", null).replies)).containsExactly("LOBBY_LOCKED");
    Effects won = apply(HostReclaim.claim(doc, P2));
    assertThat(opcodes(won.replies)).containsExactly("HOST_RECLAIM");
    assertThat(pushes(won, P1)).containsExactly("HOST_RECLAIM");
    assertThat(opcodes(apply(HostReclaim.claim(doc, P1)).replies)).containsExactly("WARNING");
    assertThat(opcodes(apply(HostReclaim.claim(doc, P3)).replies)).containsExactly("NOT_PEER");
  }

  @Test
  void hostControlsKickTransferAndSize() {
    host(HOST, "room", false, false, 0, null, null);
    join(P1, "room", null);
    join(P2, "room", null);
    assertThat(opcodes(apply(LobbyControls.size(doc, HOST, 1)).replies)).containsExactly("WARNING");
    assertThat(opcodes(apply(LobbyControls.size(doc, HOST, 2)).replies)).containsExactly("ACK_SIZE");
    assertThat(opcodes(apply(LobbyControls.size(doc, P1, 5)).replies)).containsExactly("NOT_HOST");

    Effects kick = apply(LobbyControls.kick(doc, HOST, "ID-p2"));
    assertThat(opcodes(kick.replies)).containsExactly("PEER_GONE", "ACK_KICK");
    assertThat(pushes(kick, P2)).containsExactly("LOBBY_CLOSE room");
    assertThat(pushes(kick, P1)).containsExactly("PEER_GONE ID-p2");
    assertThat(opcodes(apply(LobbyControls.kick(doc, HOST, "ID-p2")).replies)).containsExactly("PEER_INVALID");

    Effects transfer = apply(LobbyControls.transfer(doc, HOST, "ID-p1"));
    assertThat(opcodes(transfer.replies)).containsExactly("HOST_RECLAIM", "ACK_TRANSFER");
    assertThat(pushes(transfer, P1)).containsExactly("HOST_RECLAIM");
    assertThat(Lobbies.find(doc, P1.connection()).host()).isTrue();
    assertThat(Lobbies.find(doc, HOST.connection()).host()).isFalse();
  }

  @Test
  void aPeerCanLeaveOrSwitchToHostingWithoutReconnecting() {
    host(HOST, "room", false, false, 0, null, null);
    join(P1, "room", null);
    Effects left = apply(LobbyMembership.leave(doc, P1));
    assertThat(opcodes(left.replies)).containsExactly("ACK_LEAVE");
    assertThat(left.callerLobbyChanged).isTrue();
    assertThat(left.callerLobby).isNull();
    assertThat(pushes(left, HOST)).containsExactly("PEER_GONE ID-p1");
    join(P1, "room", null);
    Effects switched = host(P1, "mine", false, false, 0, null, null);
    assertThat(opcodes(switched.replies)).containsExactly("ACK_HOST");
    assertThat(pushes(switched, HOST)).containsExactly("PEER_GONE ID-p1");
    assertThat(Lobbies.find(doc, P1.connection()).name()).isEqualTo("mine");
  }

  @Test
  void discoveryIsOnlyForLobbylessSockets() {
    host(HOST, "room", false, false, 4, null, null);
    join(P1, "room", null);
    assertThat(LobbyDiscovery.list(doc, P2).replies.getJsonObject(0).getJsonArray("payload").getList()).containsExactly("room");
    assertThat(LobbyDiscovery.info(doc, P2, "room").replies.getJsonObject(0).getJsonObject("payload"))
      .isEqualTo(new JsonObject().put("lobby_host_id", "ID-host").put("lobby_host_username", "host")
        .put("max_peers", 4).put("current_peers", 1).put("locked", false));
    assertThat(opcodes(LobbyDiscovery.list(doc, P1).replies)).containsExactly("ALREADY_PEER");
    assertThat(opcodes(LobbyDiscovery.info(doc, HOST, "room").replies)).containsExactly("ALREADY_HOST");
  }
}
