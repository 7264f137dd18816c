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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.OmegaLobbyKit.hostConfig;
import static dev.skirmish.deploy.OmegaLobbyKit.packet;
import static dev.skirmish.deploy.OmegaLobbyKit.validation;

/**
 * The configured limits of what a CL Omega client sends: a value one over its limit is refused (VIOLATION
 * and close for lobby fields, WARNING for relays) and reaches nobody; a value at its limit passes.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class OmegaFieldLimitsTest {

  private static final int NAME = 12;
  private static final int PASSWORD = 8;
  private static final int PUBKEY = 16;
  private static final int PEERS = 5;
  private static final int SDP = 200;
  private static final int ICE = 100;

  @RegisterExtension
  static final TestNode NODE = new TestNode("OMEGA_LOBBY_NAME_MAX", String.valueOf(NAME),
    "OMEGA_PASSWORD_MAX", String.valueOf(PASSWORD), "OMEGA_PUBKEY_MAX", String.valueOf(PUBKEY),
    "OMEGA_MAX_PEERS", String.valueOf(PEERS), "OMEGA_SDP_MAX_BYTES", String.valueOf(SDP),
    "OMEGA_ICE_MAX_BYTES", String.valueOf(ICE));

  /** A lobby name of exactly {@code length} characters, unique to this test run. */
  private static String name(int length) {
    String unique = OmegaLobbyKit.lobbyName("n").replace("-", "");
    unique = unique.length() > length ? unique.substring(unique.length() - length) : unique;
    return "x".repeat(length - unique.length()) + unique;
  }

  private static JsonObject request(String opcode, Object payload) {
    return packet(opcode, payload, "too-large");
  }

  /** Every future, and the first failure among them. */
  private static Future<Void> allOf(List<Future<Void>> all) {
    return Future.join(all).transform(ar -> {
      for (Future<Void> f : all) {
        if (f.failed()) {
          return Future.<Void>failedFuture(f.cause());
        }
      }
      return Future.<Void>succeededFuture();
    });
  }

  @Test
  @DisplayName("CONFIG_HOST over a limit (name, password, pubkey, max_peers) is a VIOLATION; nothing is stored or announced")
  void configHostOverLimits(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String room = name(NAME);
    String longRoom = room + "y";
    // characters, not UTF-16 units: twelve emoji are a name of twelve
    String emojiRoom = "\uD83D\uDE00".repeat(NAME);
    kit.newGame().compose(ugi -> kit.players(ugi, "fl1", "fl2", "fl3", "fl4", "fl5", "flw", "flh").compose(ps -> {
      Player watcher = ps.get(5);
      Player sentinel = ps.get(6);
      List<Future<Void>> all = new ArrayList<>();
      all.add(kit.violation(ps.get(0).client, "long name", request("CONFIG_HOST", hostConfig(longRoom)),
        validation("lobby_id", "max")));
      all.add(kit.violation(ps.get(1).client, "long password",
        request("CONFIG_HOST", hostConfig(room).put("password", "p".repeat(PASSWORD + 1))), validation("password", "max")));
      all.add(kit.violation(ps.get(2).client, "long pubkey",
        request("CONFIG_HOST", hostConfig(room).put("pubkey", "k".repeat(PUBKEY + 1))), validation("pubkey", "max")));
      all.add(kit.violation(ps.get(3).client, "too many peers",
        request("CONFIG_HOST", hostConfig(room).put("max_peers", PEERS + 1)), validation("max_peers", "max")));
      all.add(kit.violation(ps.get(4).client, "every field",
        request("CONFIG_HOST", hostConfig(longRoom).put("max_peers", PEERS + 1).put("password", "p".repeat(PASSWORD + 1))
          .put("pubkey", "k".repeat(PUBKEY + 1))),
        new JsonObject().put("Validation error", new JsonArray().add(new JsonObject().put("lobby_id", "max"))
          .add(new JsonObject().put("max_peers", "max")).add(new JsonObject().put("password", "max"))
          .add(new JsonObject().put("pubkey", "max")))));
      return allOf(all)
        // nobody heard of those lobbies, and the names are free
        .compose(v -> kit.quiet(watcher))
        .compose(v -> kit.askFor(watcher, "LOBBY_LIST", null, "LOBBY_LIST", new JsonArray()))
        .compose(v -> kit.hostAnnounced(sentinel, hostConfig(room).put("max_peers", PEERS).put("pubkey", "k".repeat(PUBKEY)),
          watcher))
        .compose(v -> kit.ask(sentinel, "LEAVE_LOBBY", null, "ACK_LEAVE"))
        .compose(v -> kit.next(watcher, packet("LOBBY_CLOSE", room)))
        .compose(v -> kit.hostAnnounced(sentinel, hostConfig(emojiRoom), watcher))
        .compose(v -> kit.ask(sentinel, "LEAVE_LOBBY", null, "ACK_LEAVE"))
        .compose(v -> kit.next(watcher, packet("LOBBY_CLOSE", emojiRoom)))
        .compose(v -> kit.host(sentinel, hostConfig(longRoom.substring(1)).put("password", "p".repeat(PASSWORD))));
    })).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("CONFIG_PEER, LOBBY_INFO and SIZE over a limit are a VIOLATION; the host hears of no join")
  void joinInfoAndSizeOverLimits(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String room = name(NAME);
    kit.newGame().compose(ugi -> kit.players(ugi, "fj1", "fj2", "fj3", "fj4", "fjh", "fjp").compose(ps -> {
      Player host = ps.get(4);
      Player peer = ps.get(5);
      return kit.host(host, hostConfig(room).put("password", "p".repeat(PASSWORD)))
        .compose(v -> {
          List<Future<Void>> all = new ArrayList<>();
          all.add(kit.violation(ps.get(0).client, "long name",
            request("CONFIG_PEER", new JsonObject().put("lobby_id", room + "y")), validation("lobby_id", "max")));
          all.add(kit.violation(ps.get(1).client, "long password", request("CONFIG_PEER",
            new JsonObject().put("lobby_id", room).put("password", "p".repeat(PASSWORD + 1))), validation("password", "max")));
          all.add(kit.violation(ps.get(2).client, "long pubkey", request("CONFIG_PEER", new JsonObject()
            .put("lobby_id", room).put("password", "p".repeat(PASSWORD)).put("pubkey", "k".repeat(PUBKEY + 1))),
            validation("pubkey", "max")));
          all.add(kit.violation(ps.get(3).client, "long LOBBY_INFO", request("LOBBY_INFO", room + "y"),
            validation("payload", "max")));
          return allOf(all);
        })
        .compose(v -> kit.quiet(host))
        .compose(v -> kit.join(peer, new JsonObject().put("lobby_id", room).put("password", "p".repeat(PASSWORD))
          .put("pubkey", "k".repeat(PUBKEY)), true, host, List.of()))
        .compose(v -> kit.askFor(host, "SIZE", PEERS, "ACK_SIZE", PEERS))
        .compose(v -> kit.violation(host.client, host.user, request("SIZE", PEERS + 1), validation("payload", "max")));
    })).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("MAKE_OFFER, MAKE_ANSWER and ICE payloads over their byte limits get a WARNING and are not relayed")
  void relayPayloadsOverLimits(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String room = name(NAME);
    // JSON text sizes: a string of n ASCII characters is n + 2 bytes; "é" is two bytes, so 100 of them are over
    String sdpAtLimit = "s".repeat(SDP - 2);
    String sdpOver = "é".repeat(SDP / 2);
    JsonObject iceAtLimit = new JsonObject().put("c", "i".repeat(ICE - 8));
    JsonObject iceOver = new JsonObject().put("c", "i".repeat(ICE - 7));
    JsonObject tooLarge = validation("payload", "max");
    kit.newGame().compose(ugi -> kit.players(ugi, "frh", "frp").compose(ps -> {
      Player h = ps.get(0);
      Player p = ps.get(1);
      return kit.hostAnnounced(h, hostConfig(room), p)
        .compose(v -> kit.join(p, room, h, List.of()))
        .compose(v -> refused(kit, h, p, "MAKE_OFFER", sdpOver, tooLarge))
        .compose(v -> refused(kit, p, h, "MAKE_ANSWER", new JsonArray().add(sdpAtLimit), tooLarge))
        .compose(v -> refused(kit, p, h, "ICE", iceOver, tooLarge))
        .compose(v -> Future.all(kit.quiet(h), kit.quiet(p)))
        .compose(v -> kit.relay(h, p, "MAKE_OFFER", sdpAtLimit))
        .compose(v -> kit.relay(p, h, "MAKE_ANSWER", new JsonObject().put("sdp", "a".repeat(SDP - 10))))
        .compose(v -> kit.relay(p, h, "ICE", iceAtLimit))
        .compose(v -> Future.all(kit.quiet(h), kit.quiet(p)));
    })).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  /** A relay answered with a WARNING carrying {@code error}; the socket stays open. */
  private static Future<Void> refused(OmegaLobbyKit kit, Player from, Player to, String opcode, Object payload,
                                      JsonObject error) {
    String l = OmegaLobbyKit.listener();
    from.client.send(new JsonObject().put("opcode", opcode).put("payload", payload).put("recipient", to.id)
      .put("listener", l));
    return kit.next(from, packet("WARNING", error, l)).compose(v -> kit.quiet(from));
  }
}
