package dev.skirmish.deploy;

import dev.skirmish.common.Ids;
import dev.skirmish.common.testing.OmegaClient;
import dev.skirmish.common.testing.TestAccounts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steps shared by the CL Omega lobby tests: a fresh game per test, fresh initialised players, strict
 * "the next message is exactly this" expectations, and a KEEPALIVE sentinel that proves nothing else is
 * pending on a socket. Assertions run in {@link VertxTestContext#verify}; a failed one also fails the
 * returned future, so the chain stops there.
 */
final class OmegaLobbyKit {

  static final short POLICY_VIOLATION = 1008;
  private static final AtomicInteger SEQ = new AtomicInteger();

  /** An initialised socket: account id, user name, and the pubkey it gave its lobby (null = none). */
  static final class Player {
    final OmegaClient client;
    final String id;
    final String user;
    String pubkey;

    Player(OmegaClient client, String id, String user) {
      this.client = client;
      this.id = id;
      this.user = user;
    }

    /** {@code {id, user}}, as origins, ANTICIPATE and NEW_PEER name this player. */
    JsonObject who() {
      return new JsonObject().put("id", id).put("user", user);
    }

    /** How {@code viewer} sees this player: the pubkey only goes between two key holders. */
    JsonObject seenBy(Player viewer) {
      JsonObject w = who();
      if (pubkey != null && viewer.pubkey != null) {
        w.put("pubkey", pubkey);
      }
      return w;
    }

    Player send(String opcode, Object payload, String listener) {
      client.send(opcode, payload, listener);
      return this;
    }

    @Override
    public String toString() {
      return user;
    }
  }

  private final VertxTestContext ctx;
  private final Vertx vertx;
  private final Node node;
  private final TestAccounts accounts;
  private final List<OmegaClient> opened = new ArrayList<>();

  OmegaLobbyKit(Vertx vertx, VertxTestContext ctx, Node node) {
    this.vertx = vertx;
    this.ctx = ctx;
    this.node = node;
    this.accounts = new TestAccounts(vertx, node.httpPort());
  }

  TestAccounts accounts() {
    return accounts;
  }

  /** A unique listener tag. */
  static String listener() {
    return "l" + SEQ.incrementAndGet();
  }

  /** A unique lobby name. */
  static String lobbyName(String prefix) {
    return prefix + "-" + SEQ.incrementAndGet() + "-" + Ids.ulid().substring(20);
  }

  static JsonObject packet(String opcode, Object payload, String listener) {
    JsonObject p = new JsonObject().put("opcode", opcode);
    if (payload != null) {
      p.put("payload", payload);
    }
    if (listener != null) {
      p.put("listener", listener);
    }
    return p;
  }

  static JsonObject packet(String opcode, Object payload) {
    return packet(opcode, payload, null);
  }

  static JsonObject validation(String field, String tag) {
    return new JsonObject().put("Validation error", new JsonArray().add(new JsonObject().put(field, tag)));
  }

  /** A public lobby, closed when its host leaves, unlimited, unlocked. */
  static JsonObject hostConfig(String lobby) {
    return new JsonObject()
      .put("lobby_id", lobby)
      .put("allow_host_reclaim", false)
      .put("allow_peers_to_claim_host", false)
      .put("max_peers", 0)
      .put("password", "");
  }

  // ---------------------------------------------------------------------------------------------- fixtures

  /** A new developer and game of its own (so that no other test's broadcasts reach its sockets); its UGI. */
  Future<String> newGame() {
    String ugi = Ids.ulid();
    return OmegaSupport.insertGame(node.database().pool(), Ids.ulid(), ugi, "Lobby Game " + ugi.substring(16))
      .map(v -> ugi);
  }

  /** A socket of {@code ugi} that has not sent INIT. */
  Future<OmegaClient> socket(String ugi) {
    return socket(ugi, node);
  }

  /** A socket of {@code ugi} on the gateway of {@code on} (another node of the same cluster). */
  Future<OmegaClient> socket(String ugi, Node on) {
    return socket(ugi, on.httpPort());
  }

  /** A socket of {@code ugi} on the gateway listening on {@code port} (a node in another JVM, say). */
  Future<OmegaClient> socket(String ugi, int port) {
    return OmegaClient.connect(vertx, port, ugi).map(c -> {
      synchronized (opened) {
        opened.add(c);
      }
      return c;
    });
  }

  /** A fresh account, logged in and initialised on a socket of {@code ugi}. */
  Future<Player> player(String ugi, String prefix) {
    return player(ugi, prefix, node);
  }

  /** A fresh account, initialised on a socket of {@code ugi} on the gateway of {@code on}. */
  Future<Player> player(String ugi, String prefix, Node on) {
    return player(ugi, prefix, on.httpPort());
  }

  /** A fresh account, initialised on a socket of {@code ugi} on the gateway listening on {@code port}. */
  Future<Player> player(String ugi, String prefix, int port) {
    return accounts.register(prefix)
      .compose(account -> accounts.omegaToken(account, null))
      .compose(token -> socket(ugi, port).compose(c -> c.init(token).compose(ok -> {
        JsonObject me = ok.getJsonObject("payload");
        return check(() -> assertThat(c.inbox().unclaimed()).as("messages before INIT_OK").isEmpty())
          .map(v -> new Player(c, me.getString("id"), me.getString("user")));
      })));
  }

  /** Fresh players, in the order of the prefixes. */
  Future<List<Player>> players(String ugi, String... prefixes) {
    List<Future<Player>> all = new ArrayList<>();
    for (String prefix : prefixes) {
      all.add(player(ugi, prefix));
    }
    return Future.all(all).map(cf -> {
      List<Player> list = new ArrayList<>();
      for (int i = 0; i < prefixes.length; i++) {
        list.add(cf.resultAt(i));
      }
      return list;
    });
  }

  /** Closes every socket this kit opened that is still open. */
  Future<Void> closeAll() {
    List<Future<Void>> closing = new ArrayList<>();
    synchronized (opened) {
      for (OmegaClient c : opened) {
        if (!c.inbox().closed().isComplete()) {
          closing.add(c.close().otherwise((Void) null));
        }
      }
    }
    return Future.join(closing).mapEmpty();
  }

  // ---------------------------------------------------------------------------------------------- checks

  /** Runs {@code block} in {@link VertxTestContext#verify}; fails the returned future when it failed. */
  Future<Void> check(VertxTestContext.ExecutionBlock block) {
    ctx.verify(block);
    return ctx.failed() ? Future.failedFuture(ctx.causeOfFailure()) : Future.succeededFuture();
  }

  /** The very next message to {@code p} is exactly {@code expected}. */
  Future<JsonObject> next(Player p, JsonObject expected) {
    return next(p.client, p.user, expected);
  }

  Future<JsonObject> next(OmegaClient c, String who, JsonObject expected) {
    return c.next().compose(m -> check(() -> assertThat(m).as("next message to %s", who).isEqualTo(expected))
      .map(v -> m));
  }

  /** The next messages to {@code p} are exactly these, in this order. */
  Future<Void> nextAll(Player p, JsonObject... expected) {
    Future<?> chain = Future.succeededFuture();
    for (JsonObject e : expected) {
      chain = chain.compose(v -> next(p, e));
    }
    return chain.mapEmpty();
  }

  /** The next message to {@code p} equal to {@code expected}, wherever it is among the unclaimed ones. */
  Future<JsonObject> take(Player p, JsonObject expected) {
    return p.client.inbox().next(expected::equals, expected.encode() + " for " + p.user);
  }

  /**
   * Nothing is pending for {@code p}: the answer to a KEEPALIVE sent now is its very next message. Proves
   * the absence of any message the server produced before it handled this KEEPALIVE.
   */
  Future<Void> quiet(Player p) {
    return quiet(p.client, p.user);
  }

  Future<Void> quiet(OmegaClient c, String who) {
    String l = "quiet-" + SEQ.incrementAndGet();
    c.send("KEEPALIVE", null, l);
    return next(c, who, packet("KEEPALIVE", null, l)).mapEmpty();
  }

  /** Sends {@code request} and expects exactly {@code replies} (each with the request's listener) in order. */
  Future<Void> ask(Player p, String opcode, Object payload, String... replies) {
    String l = listener();
    p.send(opcode, payload, l);
    Future<?> chain = Future.succeededFuture();
    for (String r : replies) {
      chain = chain.compose(v -> next(p, packet(r, null, l)));
    }
    return chain.mapEmpty();
  }

  /** Sends a request and expects a reply with this opcode and the request's listener, whatever its payload. */
  Future<JsonObject> askOpcode(Player p, String opcode, Object payload, String reply) {
    String l = listener();
    p.send(opcode, payload, l);
    return p.client.next().compose(m -> check(() -> {
      assertThat(m.getString("opcode")).as("answer of %s to %s: %s", opcode, p.user, m).isEqualTo(reply);
      assertThat(m.getString("listener")).as("answer of %s to %s: %s", opcode, p.user, m).isEqualTo(l);
    }).map(v -> m));
  }

  /** Sends a request whose direct reply carries a payload, and expects that reply. */
  Future<Void> askFor(Player p, String opcode, Object payload, String reply, Object replyPayload) {
    String l = listener();
    p.send(opcode, payload, l);
    return next(p, packet(reply, replyPayload, l)).mapEmpty();
  }

  /** The socket answered {@code request} with a VIOLATION carrying {@code payload} (no listener), then closed 1008. */
  Future<Void> violation(OmegaClient c, String who, JsonObject request, Object payload) {
    c.send(request);
    return next(c, who, packet("VIOLATION", payload))
      .compose(v -> c.expectClosed())
      .compose(v -> check(() -> assertThat(c.closeStatus()).as("close status of %s", who).isEqualTo(POLICY_VIOLATION)));
  }

  // ---------------------------------------------------------------------------------------------- lobby steps

  /** CONFIG_HOST answered by ACK_HOST (the host's very next message: it hears no NEW_HOST of its own). */
  Future<Void> host(Player h, JsonObject config) {
    String l = listener();
    h.pubkey = config.getString("pubkey");
    h.send("CONFIG_HOST", config, l);
    return next(h, packet("ACK_HOST", null, l)).mapEmpty();
  }

  /** CONFIG_HOST of a public lobby, and its NEW_HOST as the next message of each lobby-less {@code audience} socket. */
  Future<Void> hostAnnounced(Player h, JsonObject config, Player... audience) {
    JsonObject announce = h.who().put("lobby_id", config.getString("lobby_id"));
    if (config.getString("pubkey") != null) {
      announce.put("pubkey", config.getString("pubkey"));
    }
    return host(h, config).compose(v -> {
      List<Future<JsonObject>> heard = new ArrayList<>();
      for (Player p : audience) {
        heard.add(next(p, packet("NEW_HOST", announce)));
      }
      return Future.all(heard).mapEmpty();
    });
  }

  /**
   * A public lobby of a fresh game, every step checked: the first of fresh players named by {@code prefixes} hosts
   * it (the others hear its NEW_HOST), then the others join one after another. The players, host first.
   */
  Future<List<Player>> openLobby(String lobby, String... prefixes) {
    return newGame().compose(ugi -> players(ugi, prefixes)).compose(ps -> {
      Player h = ps.get(0);
      List<Player> peers = ps.subList(1, ps.size());
      Future<Void> chain = hostAnnounced(h, hostConfig(lobby), peers.toArray(new Player[0]));
      for (int i = 0; i < peers.size(); i++) {
        Player p = peers.get(i);
        List<Player> before = peers.subList(0, i);
        chain = chain.compose(v -> join(p, lobby, h, before));
      }
      return chain.map(v -> ps);
    });
  }

  /** CONFIG_PEER into a public lobby, with the whole fan-out checked (see {@link #join(Player, JsonObject, boolean, Player, List)}). */
  Future<Void> join(Player p, String lobby, String pubkey, Player host, List<Player> peers) {
    JsonObject payload = new JsonObject().put("lobby_id", lobby);
    if (pubkey != null) {
      payload.put("pubkey", pubkey);
    }
    return join(p, payload, false, host, peers);
  }

  Future<Void> join(Player p, String lobby, Player host, List<Player> peers) {
    return join(p, lobby, null, host, peers);
  }

  /**
   * CONFIG_PEER and its fan-out: the newcomer gets [PASSWORD_ACK,] ANTICIPATE{host}, ACK_PEER, then
   * DISCOVER{peer} per existing peer in join order; the host gets NEW_PEER{newcomer}; each existing peer
   * gets ANTICIPATE{newcomer}. Pubkeys appear only between two key holders.
   */
  Future<Void> join(Player p, JsonObject payload, boolean passwordAck, Player host, List<Player> peers) {
    String l = listener();
    p.pubkey = payload.getString("pubkey");
    p.send("CONFIG_PEER", payload, l);
    Future<?> mine = passwordAck ? next(p, packet("PASSWORD_ACK", null, l)) : Future.succeededFuture();
    mine = mine.compose(v -> next(p, packet("ANTICIPATE", host.seenBy(p))))
      .compose(v -> next(p, packet("ACK_PEER", null, l)));
    for (Player peer : peers) {
      mine = mine.compose(v -> next(p, packet("DISCOVER", peer.seenBy(p))));
    }
    List<Future<?>> all = new ArrayList<>();
    all.add(mine);
    all.add(next(host, packet("NEW_PEER", p.seenBy(host))));
    for (Player peer : peers) {
      all.add(next(peer, packet("ANTICIPATE", p.seenBy(peer))));
    }
    return Future.all(all).mapEmpty();
  }

  /** A relay accepted: the sender gets RELAY_OK, the recipient the packet verbatim with the sender as origin. */
  Future<Void> relay(Player from, Player to, String opcode, Object payload) {
    String l = listener();
    from.client.send(new JsonObject().put("opcode", opcode).put("payload", payload).put("recipient", to.id)
      .put("listener", l));
    JsonObject delivered = new JsonObject().put("opcode", opcode).put("payload", payload).put("origin", from.who());
    return Future.all(next(from, packet("RELAY_OK", null, l)), next(to, delivered)).mapEmpty();
  }

  /**
   * Relays under a change of lobby membership: the host relays {@code n} ICE packets to each of two peers while
   * one of them sends LEAVE_LOBBY half-way through. Every relay is answered RELAY_OK or PEER_INVALID; the peer that
   * stays gets all {@code n} (none refused); the peer that leaves gets none after its ACK_LEAVE, and no more than
   * the host was told RELAY_OK for.
   */
  Future<Void> relaysWhileOneLeaves(Player host, Player stays, Player leaves, int n) {
    String leave = listener();
    for (int i = 0; i < n; i++) {
      if (i == n / 2) {
        leaves.send("LEAVE_LOBBY", null, leave);
      }
      JsonObject payload = new JsonObject().put("seq", i);
      host.client.send(new JsonObject().put("opcode", "ICE").put("recipient", stays.id).put("payload", payload)
        .put("listener", "stay-" + i));
      host.client.send(new JsonObject().put("opcode", "ICE").put("recipient", leaves.id).put("payload", payload)
        .put("listener", "gone-" + i));
    }
    List<JsonObject> replies = new ArrayList<>();
    Future<Void> hostReplies = times(2 * n, () -> host.client.inbox().next(m -> m.getString("listener", "").matches(
      "(stay|gone)-\\d+") && List.of("RELAY_OK", "PEER_INVALID").contains(m.getString("opcode")), "relay replies")
      .map(m -> {
        replies.add(m);
        return null;
      }));
    Future<Void> stayed = times(n, () -> stays.client.inbox().next(m -> "ICE".equals(m.getString("opcode")),
      "ICE for " + stays.user).compose(m -> check(() -> assertThat(m.getJsonObject("origin")).isEqualTo(host.who()))));
    List<JsonObject> beforeAck = new ArrayList<>();
    Future<Void> acked = until(leaves.client, m -> leave.equals(m.getString("listener")), beforeAck);
    List<JsonObject> afterAck = new ArrayList<>();
    return Future.all(hostReplies, stayed, acked)
      .compose(v -> {
        String marker = "after-" + SEQ.incrementAndGet();
        leaves.client.send("KEEPALIVE", null, marker);
        return until(leaves.client, m -> marker.equals(m.getString("listener")), afterAck);
      })
      .compose(v -> check(() -> {
        long staysOk = replies.stream().filter(m -> m.getString("listener").startsWith("stay-")
          && "RELAY_OK".equals(m.getString("opcode"))).count();
        long goneOk = replies.stream().filter(m -> m.getString("listener").startsWith("gone-")
          && "RELAY_OK".equals(m.getString("opcode"))).count();
        long goneIce = beforeAck.stream().filter(m -> "ICE".equals(m.getString("opcode"))).count();
        assertThat(staysOk).as("relays to the peer that stayed accepted").isEqualTo(n);
        assertThat(beforeAck.get(beforeAck.size() - 1).getString("opcode")).isEqualTo("ACK_LEAVE");
        assertThat(goneIce).as("ICE delivered to the leaving peer").isLessThanOrEqualTo(goneOk);
        assertThat(afterAck).as("what the leaving peer got after ACK_LEAVE")
          .noneMatch(m -> "ICE".equals(m.getString("opcode")));
      }));
  }

  /** {@code step} {@code n} times, one after another. */
  static Future<Void> times(int n, java.util.function.Supplier<Future<?>> step) {
    Future<?> chain = Future.succeededFuture();
    for (int i = 0; i < n; i++) {
      chain = chain.compose(v -> step.get());
    }
    return chain.mapEmpty();
  }

  /** Reads {@code c}'s next messages in order into {@code into} up to and including the first that matches. */
  private static Future<Void> until(OmegaClient c, java.util.function.Predicate<JsonObject> last, List<JsonObject> into) {
    return c.next().compose(m -> {
      into.add(m);
      return last.test(m) ? Future.succeededFuture() : until(c, last, into);
    });
  }

  /** A relay to {@code recipient} refused with PEER_INVALID (listener echoed). */
  Future<Void> relayRefused(Player from, Object recipient, String opcode) {
    String l = listener();
    from.client.send(new JsonObject().put("opcode", opcode).put("payload", new JsonObject().put("x", 1))
      .put("recipient", recipient).put("listener", l));
    return next(from, packet("PEER_INVALID", null, l)).mapEmpty();
  }
}
