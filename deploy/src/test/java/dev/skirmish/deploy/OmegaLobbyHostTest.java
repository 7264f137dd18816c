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
import static dev.skirmish.deploy.OmegaLobbyKit.lobbyName;
import static dev.skirmish.deploy.OmegaLobbyKit.packet;
import static dev.skirmish.deploy.OmegaLobbyKit.validation;
import static org.assertj.core.api.Assertions.assertThat;

/** CONFIG_HOST (validation, ALREADY_HOST, LOBBY_EXISTS), NEW_HOST fan-out, LOBBY_LIST and LOBBY_INFO. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class OmegaLobbyHostTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode();

  private static JsonObject configHost(Object payload) {
    JsonObject p = new JsonObject().put("opcode", "CONFIG_HOST").put("listener", "bad");
    return payload == null ? p : p.put("payload", payload);
  }

  /** A decoding error: VIOLATION "[Signaling] Error reading packet: ..." naming the field, no listener, then close. */
  private static Future<Void> typeViolation(OmegaLobbyKit kit, Player p, JsonObject request, String field) {
    p.client.send(request);
    return p.client.next().compose(m -> kit.check(() -> {
      assertThat(m.fieldNames()).as("%s: %s", field, m).containsExactlyInAnyOrder("opcode", "payload");
      assertThat(m.getString("opcode")).as("%s: %s", field, m).isEqualTo("VIOLATION");
      assertThat(m.getValue("payload")).as("%s: %s", field, m).isInstanceOf(String.class);
      assertThat(m.getString("payload")).startsWith("[Signaling] Error reading packet: ").contains(field);
    })).compose(v -> p.client.expectClosed()).compose(v -> kit.check(() ->
      assertThat(p.client.closeStatus()).as(field).isEqualTo(OmegaLobbyKit.POLICY_VIOLATION)));
  }

  @Test
  @DisplayName("CONFIG_HOST with wrong JSON types or invalid values is a VIOLATION and the socket is closed")
  void configHostViolations(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String room = lobbyName("v");
    String tooLong = "p".repeat(129);
    JsonArray bothErrors = new JsonArray().add(new JsonObject().put("max_peers", "max"))
      .add(new JsonObject().put("password", "max"));
    kit.newGame().compose(ugi -> kit.players(ugi, "v01", "v02", "v03", "v04", "v05", "v06", "v07", "v08", "v09",
      "v10", "v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18", "sentinel").compose(ps -> {
        List<Future<Void>> all = new ArrayList<>();
        all.add(typeViolation(kit, ps.get(0), configHost("a lobby"), "CONFIG_HOST"));
        all.add(typeViolation(kit, ps.get(1), configHost(null), "CONFIG_HOST"));
        all.add(typeViolation(kit, ps.get(2), configHost(hostConfig(room).put("lobby_id", 7)), "lobby_id"));
        all.add(typeViolation(kit, ps.get(3), configHost(hostConfig(room).put("allow_host_reclaim", "yes")),
          "allow_host_reclaim"));
        all.add(typeViolation(kit, ps.get(4), configHost(hostConfig(room).put("allow_peers_to_claim_host", 1)),
          "allow_peers_to_claim_host"));
        all.add(typeViolation(kit, ps.get(5), configHost(hostConfig(room).put("max_peers", "5")), "max_peers"));
        all.add(typeViolation(kit, ps.get(6), configHost(hostConfig(room).put("max_peers", 2.5)), "max_peers"));
        all.add(typeViolation(kit, ps.get(7), configHost(hostConfig(room).put("password", 1234)), "password"));
        all.add(typeViolation(kit, ps.get(8), configHost(hostConfig(room).put("pubkey", new JsonObject())), "pubkey"));
        all.add(typeViolation(kit, ps.get(9), configHost(hostConfig(room).put("locked", "true")), "locked"));
        all.add(kit.violation(ps.get(10).client, "empty name", configHost(hostConfig("")),
          validation("lobby_id", "required")));
        all.add(kit.violation(ps.get(11).client, "no name", configHost(hostConfig(room).put("lobby_id", null)),
          validation("lobby_id", "required")));
        JsonObject unnamed = hostConfig(room);
        unnamed.remove("lobby_id");
        all.add(kit.violation(ps.get(12).client, "missing name", configHost(unnamed), validation("lobby_id", "required")));
        all.add(kit.violation(ps.get(13).client, "101 peers", configHost(hostConfig(room).put("max_peers", 101)),
          validation("max_peers", "max")));
        all.add(kit.violation(ps.get(14).client, "-1 peers", configHost(hostConfig(room).put("max_peers", -1)),
          validation("max_peers", "min")));
        all.add(kit.violation(ps.get(15).client, "long password", configHost(hostConfig(room).put("password", tooLong)),
          validation("password", "max")));
        all.add(kit.violation(ps.get(16).client, "two errors",
          configHost(hostConfig(room).put("max_peers", 101).put("password", tooLong)),
          new JsonObject().put("Validation error", bothErrors)));
        all.add(kit.violation(ps.get(17).client, "huge max_peers",
          configHost(hostConfig(room).put("max_peers", 10_000_000_000L)), validation("max_peers", "max")));
        return Future.join(all).transform(ar -> {
          // the first failure says what went wrong
          for (Future<Void> f : all) {
            if (f.failed()) {
              return Future.<Void>failedFuture(f.cause());
            }
          }
          return Future.<Void>succeededFuture();
        }).compose(v -> {
          // none of those created the lobby: the name is still free
          Player sentinel = ps.get(18);
          return kit.host(sentinel, hostConfig(room));
        });
      })).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("CONFIG_HOST fields that are null or missing take their defaults: public, unlimited, unlocked, closed with its host")
  void configHostNullsAreDefaults(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String room = lobbyName("nulls");
    kit.newGame().compose(ugi -> kit.players(ugi, "nulh", "nulp", "nuls").compose(ps -> {
      Player h = ps.get(0);
      Player p = ps.get(1);
      Player s = ps.get(2);
      JsonObject config = new JsonObject().put("lobby_id", room).putNull("allow_host_reclaim")
        .putNull("allow_peers_to_claim_host").putNull("max_peers").putNull("password").putNull("pubkey").putNull("locked");
      return kit.host(h, config)
        // public: announced, without a pubkey
        .compose(v -> Future.all(kit.next(p, packet("NEW_HOST", h.who().put("lobby_id", room))),
          kit.next(s, packet("NEW_HOST", h.who().put("lobby_id", room)))))
        .compose(v -> kit.askFor(s, "LOBBY_INFO", room, "LOBBY_INFO", new JsonObject().put("lobby_host_id", h.id)
          .put("lobby_host_username", h.user).put("max_peers", 0).put("current_peers", 0).put("locked", false)))
        // unlocked and without password: a CONFIG_PEER with nulls joins
        .compose(v -> kit.join(p, new JsonObject().put("lobby_id", room).putNull("password").putNull("pubkey"), false,
          h, List.of()))
        // no reclaim: the lobby closes with its host
        .compose(v -> h.client.close())
        .compose(v -> Future.all(kit.next(p, packet("LOBBY_CLOSE", room)), kit.next(s, packet("LOBBY_CLOSE", room))));
    })).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a host cannot host twice (ALREADY_HOST) nor join its own lobby; a taken name is LOBBY_EXISTS within a game only")
  void alreadyHostAndLobbyExists(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String room = lobbyName("taken");
    Future.all(kit.newGame(), kit.newGame()).compose(games -> {
      String ugi = games.resultAt(0);
      String otherUgi = games.resultAt(1);
      return Future.all(kit.player(ugi, "takh"), kit.player(otherUgi, "takx")).compose(all -> {
        Player h = all.resultAt(0);
        Player x = all.resultAt(1);
        return kit.host(h, hostConfig(room))
          .compose(v -> kit.ask(h, "CONFIG_HOST", hostConfig(lobbyName("second")), "ALREADY_HOST"))
          .compose(v -> kit.ask(h, "CONFIG_HOST", hostConfig(room), "ALREADY_HOST"))
          .compose(v -> kit.ask(h, "CONFIG_PEER", new JsonObject().put("lobby_id", room), "ALREADY_HOST"))
          // the same name in another game is another lobby
          .compose(v -> kit.host(x, hostConfig(room)))
          .compose(v -> kit.player(ugi, "takp"))
          .compose(p -> kit.ask(p, "CONFIG_HOST", hostConfig(room), "LOBBY_EXISTS")
            .compose(v -> kit.ask(p, "CONFIG_HOST", hostConfig(room).put("password", "other"), "LOBBY_EXISTS"))
            // still lobby-less and free to host another name
            .compose(v -> kit.host(p, hostConfig(room + "-2"))))
          .compose(v -> Future.all(kit.quiet(h), kit.quiet(x)));
      });
    }).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("two sockets creating the same lobby at once: one ACK_HOST, the other LOBBY_EXISTS and the winner's NEW_HOST")
  void raceForAName(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String room = lobbyName("race");
    kit.newGame().compose(ugi -> kit.players(ugi, "rna", "rnb").compose(ps -> {
      Player a = ps.get(0);
      Player b = ps.get(1);
      a.send("CONFIG_HOST", hostConfig(room), "a");
      b.send("CONFIG_HOST", hostConfig(room), "b");
      // each gets exactly one answer to its request
      return Future.all(
          a.client.inbox().next(m -> "a".equals(m.getString("listener")), "a's answer"),
          b.client.inbox().next(m -> "b".equals(m.getString("listener")), "b's answer"))
        .compose(answers -> {
          JsonObject ra = answers.resultAt(0);
          JsonObject rb = answers.resultAt(1);
          boolean aWon = "ACK_HOST".equals(ra.getString("opcode"));
          Player winner = aWon ? a : b;
          Player loser = aWon ? b : a;
          return kit.check(() -> {
              assertThat(aWon ? ra : rb).isEqualTo(packet("ACK_HOST", null, aWon ? "a" : "b"));
              assertThat(aWon ? rb : ra).isEqualTo(packet("LOBBY_EXISTS", null, aWon ? "b" : "a"));
            })
            // the loser stayed lobby-less, so it heard of the winner's lobby
            .compose(v -> kit.take(loser, packet("NEW_HOST", winner.who().put("lobby_id", room))))
            .compose(v -> Future.all(kit.quiet(a), kit.quiet(b)))
            .compose(v -> kit.join(loser, room, winner, List.of()));
        });
    })).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("NEW_HOST reaches every lobby-less socket of the game, initialised or not, and nobody else")
  void newHostFanOut(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String other = lobbyName("other");
    String room = lobbyName("room");
    String secret = lobbyName("secret");
    String next = lobbyName("next");
    String sentinel = lobbyName("sentinel");
    Future.all(kit.newGame(), kit.newGame()).compose(games -> {
      String ugi = games.resultAt(0);
      String otherUgi = games.resultAt(1);
      return Future.all(kit.players(ugi, "nho", "nhm", "nhh", "nhl", "nhs", "nhn"), kit.players(otherUgi, "nhx", "nhy"))
        .compose(all -> {
          List<Player> ps = all.resultAt(0);
          List<Player> xs = all.resultAt(1);
          Player ho = ps.get(0);
          Player m = ps.get(1);
          Player h = ps.get(2);
          Player l = ps.get(3);
          Player s = ps.get(4);
          Player n = ps.get(5);
          Player x = xs.get(0);
          Player y = xs.get(1);
          return kit.socket(ugi).compose(raw -> kit.host(ho, hostConfig(other))
            .compose(v -> Future.all(List.of(
              kit.next(m, packet("NEW_HOST", ho.who().put("lobby_id", other))),
              kit.next(h, packet("NEW_HOST", ho.who().put("lobby_id", other))),
              kit.next(l, packet("NEW_HOST", ho.who().put("lobby_id", other))),
              kit.next(s, packet("NEW_HOST", ho.who().put("lobby_id", other))),
              kit.next(n, packet("NEW_HOST", ho.who().put("lobby_id", other))),
              kit.next(raw, "uninitialised", packet("NEW_HOST", ho.who().put("lobby_id", other))))))
            .compose(v -> kit.join(m, other, ho, List.of()))
            // a public lobby with the host's pubkey: announced with it to l, s, n and the uninitialised socket
            .compose(v -> kit.host(h, hostConfig(room).put("pubkey", "HOSTKEY")))
            .compose(v -> Future.all(List.of(
              kit.next(l, packet("NEW_HOST", h.who().put("lobby_id", room).put("pubkey", "HOSTKEY"))),
              kit.next(s, packet("NEW_HOST", h.who().put("lobby_id", room).put("pubkey", "HOSTKEY"))),
              kit.next(n, packet("NEW_HOST", h.who().put("lobby_id", room).put("pubkey", "HOSTKEY"))),
              kit.next(raw, "uninitialised", packet("NEW_HOST", h.who().put("lobby_id", room).put("pubkey", "HOSTKEY"))))))
            // not to the host itself, nor to members of other lobbies
            .compose(v -> Future.all(kit.quiet(h), kit.quiet(ho), kit.quiet(m)))
            // a password lobby is not announced: l's next message is the following public lobby's NEW_HOST
            .compose(v -> kit.host(s, hostConfig(secret).put("password", "hush")))
            .compose(v -> kit.host(n, hostConfig(next)))
            .compose(v -> Future.all(kit.next(l, packet("NEW_HOST", n.who().put("lobby_id", next))),
              kit.next(raw, "uninitialised", packet("NEW_HOST", n.who().put("lobby_id", next)))))
            // another game heard none of it: its next message is its own game's NEW_HOST
            .compose(v -> kit.host(y, hostConfig(sentinel)))
            .compose(v -> kit.next(x, packet("NEW_HOST", y.who().put("lobby_id", sentinel))))
            .compose(v -> Future.all(kit.quiet(x), kit.quiet(y), kit.quiet(l), kit.quiet(raw, "uninitialised"))));
        });
    }).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  /** LOBBY_LIST answers exactly these names, in any order. */
  private static Future<Void> listed(OmegaLobbyKit kit, Player p, String... names) {
    String l = OmegaLobbyKit.listener();
    p.send("LOBBY_LIST", null, l);
    return p.client.next().compose(m -> kit.check(() -> {
      assertThat(m.fieldNames()).as("%s", m).containsExactlyInAnyOrder("opcode", "payload", "listener");
      assertThat(m.getString("opcode")).isEqualTo("LOBBY_LIST");
      assertThat(m.getString("listener")).isEqualTo(l);
      assertThat(m.getJsonArray("payload").getList()).containsExactlyInAnyOrder((Object[]) names);
    }));
  }

  @Test
  @DisplayName("LOBBY_LIST names the public lobbies that have a host; LOBBY_INFO describes one; both only outside a lobby")
  void lobbyListAndInfo(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String alpha = lobbyName("alpha");
    String beta = lobbyName("beta");
    String gamma = lobbyName("gamma");
    String delta = lobbyName("delta");
    JsonObject hostless = hostConfig(delta).put("allow_host_reclaim", true).put("allow_peers_to_claim_host", true);
    kit.newGame().compose(ugi -> kit.player(ugi, "lsts").compose(s -> kit.askFor(s, "LOBBY_LIST", null, "LOBBY_LIST", new JsonArray())
      .compose(v -> s.client.close())
      // lobbies are set up one player at a time, so that nobody has announcements pending
      .compose(v -> kit.player(ugi, "lsta")).compose(a -> kit.host(a, hostConfig(alpha).put("max_peers", 4))
        .compose(v -> kit.player(ugi, "lstp")).compose(p -> kit.join(p, alpha, a, List.of())
          .compose(v -> kit.player(ugi, "lstb")).compose(b -> kit.host(b, hostConfig(beta).put("password", "pw")))
          .compose(v -> kit.player(ugi, "lstc")).compose(c -> kit.host(c, hostConfig(gamma).put("locked", true)
            .put("max_peers", 7)).map(c))
          .compose(c -> kit.player(ugi, "lstd").compose(d -> kit.host(d, hostless)
            .compose(v -> kit.player(ugi, "lste")).compose(e -> kit.join(e, delta, d, List.of())
              // the host of delta leaves: delta waits for a peer to claim it
              .compose(v -> d.client.close())
              .compose(v -> kit.next(e, packet("HOST_GONE", d.id)))
              .compose(v -> kit.player(ugi, "lstq")).compose(q -> listed(kit, q, alpha, gamma)
                .compose(v -> kit.askFor(q, "LOBBY_INFO", alpha, "LOBBY_INFO", new JsonObject()
                  .put("lobby_host_id", a.id).put("lobby_host_username", a.user).put("max_peers", 4)
                  .put("current_peers", 1).put("locked", false)))
                .compose(v -> kit.askFor(q, "LOBBY_INFO", gamma, "LOBBY_INFO", new JsonObject()
                  .put("lobby_host_id", c.id).put("lobby_host_username", c.user).put("max_peers", 7)
                  .put("current_peers", 0).put("locked", true)))
                .compose(v -> kit.ask(q, "LOBBY_INFO", beta, "LOBBY_NOTFOUND"))
                .compose(v -> kit.ask(q, "LOBBY_INFO", delta, "LOBBY_NOTFOUND"))
                .compose(v -> kit.ask(q, "LOBBY_INFO", "no such lobby", "LOBBY_NOTFOUND"))
                // members cannot browse
                .compose(v -> kit.ask(a, "LOBBY_LIST", null, "ALREADY_HOST"))
                .compose(v -> kit.ask(a, "LOBBY_INFO", alpha, "ALREADY_HOST"))
                .compose(v -> kit.ask(p, "LOBBY_LIST", null, "ALREADY_PEER"))
                .compose(v -> kit.ask(e, "LOBBY_INFO", alpha, "ALREADY_PEER"))
                // a payload that is not a lobby name breaks the connection
                .compose(v -> kit.violation(q.client, q.user, new JsonObject().put("opcode", "LOBBY_INFO")
                  .put("payload", new JsonObject().put("lobby_id", alpha)).put("listener", "i"),
                  "[Signaling] Error reading packet: LOBBY_INFO payload must be a lobby name"))))))
          .compose(v -> kit.player(ugi, "lstr"))
          .compose(r -> kit.violation(r.client, r.user, new JsonObject().put("opcode", "LOBBY_INFO"),
            "[Signaling] Error reading packet: LOBBY_INFO payload must be a lobby name"))
          // a socket without INIT cannot browse
          .compose(v -> kit.socket(ugi))
          .compose(raw -> {
            raw.send("LOBBY_LIST", null, "pre");
            return kit.next(raw, "uninitialised", packet("CONFIG_REQUIRED", null, "pre"));
          }))))).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("when the host's socket closes, the lobby is gone and its name free for another host")
  void closedHostFreesTheName(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String room = lobbyName("free");
    kit.newGame().compose(ugi -> kit.players(ugi, "frh", "frl").compose(ps -> {
      Player h = ps.get(0);
      Player l = ps.get(1);
      return kit.host(h, hostConfig(room))
        .compose(v -> kit.next(l, packet("NEW_HOST", h.who().put("lobby_id", room))))
        .compose(v -> h.client.close())
        .compose(v -> kit.next(l, packet("LOBBY_CLOSE", room)))
        .compose(v -> kit.host(l, hostConfig(room)))
        .compose(v -> kit.player(ugi, "frq"))
        .compose(q -> kit.askFor(q, "LOBBY_INFO", room, "LOBBY_INFO", new JsonObject().put("lobby_host_id", l.id)
          .put("lobby_host_username", l.user).put("max_peers", 0).put("current_peers", 0).put("locked", false)));
    })).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }
}
