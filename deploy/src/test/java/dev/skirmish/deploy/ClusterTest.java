package dev.skirmish.deploy;

import com.hazelcast.core.HazelcastInstance;
import dev.skirmish.common.Addresses;
import dev.skirmish.common.Delivery;
import dev.skirmish.common.Ids;
import dev.skirmish.common.SessionDirectory;
import dev.skirmish.common.SessionDirectory.Entry;
import dev.skirmish.common.testing.FafClient;
import dev.skirmish.common.testing.OmegaClient;
import dev.skirmish.common.testing.TestAccounts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two clustered nodes, A and B, in one JVM (Hazelcast over loopback, one shared PostgreSQL): sessions,
 * kicks and broadcasts must work whichever node a client is connected to. Tests that need a node to die
 * start a third member of their own, so A and B stay up for every test.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ClusterTest {

  private static final String DEMO_UGI = "01HNPHRWS0N0AYMM5K4HN31V4W";

  private static ClusterTestNodes cluster;
  private static Node a;
  private static Node b;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = ClusterTestNodes.create("cluster-test");
    a = cluster.start().await(2, TimeUnit.MINUTES);
    b = cluster.start().await(2, TimeUnit.MINUTES);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (b != null) {
      b.close().await(1, TimeUnit.MINUTES);
    }
    if (a != null) {
      a.close().await(1, TimeUnit.MINUTES);
    }
  }

  private record Credentials(TestAccounts.Account account, String token) {
  }

  private record Player(FafClient client, int id, String login) {

    String key() {
      return String.valueOf(id);
    }
  }

  private static Future<Credentials> fafAccount(TestAccounts rest, String prefix) {
    return rest.register(prefix).compose(account -> rest.fafToken(account).map(token -> new Credentials(account, token)));
  }

  /** Logs in on {@code node} and waits for the end of the login sequence (game_info); the client joins {@code open}. */
  private static Future<Player> login(Vertx vertx, Node node, Credentials who, List<FafClient> open) {
    Future<FafClient> connected = FafClient.webSocket(vertx, node.httpPort()).onSuccess(open::add);
    Future<JsonObject> welcome = connected.compose(client -> client.login(who.token()));
    return welcome.compose(w -> connected.result().expect("game_info"))
      .map(gameInfo -> new Player(connected.result(), welcome.result().getInteger("id"), who.account().username()));
  }

  private static Future<OmegaClient> omegaSocket(Vertx vertx, Node node, List<OmegaClient> open) {
    return OmegaClient.connect(vertx, node.httpPort(), DEMO_UGI).onSuccess(open::add);
  }

  private static Future<Void> closeAll(List<FafClient> clients, List<OmegaClient> sockets) {
    List<Future<Void>> closing = new ArrayList<>();
    clients.forEach(c -> closing.add(c.close().otherwiseEmpty()));
    sockets.forEach(c -> closing.add(c.close().otherwiseEmpty()));
    return Future.join(closing).mapEmpty();
  }

  /** A player_info message that lists {@code login}, online or offline as asked. */
  private static Predicate<JsonObject> playerInfo(String login, boolean online) {
    return m -> "player_info".equals(m.getString("command")) && m.getJsonArray("players").stream()
      .map(JsonObject.class::cast)
      .anyMatch(p -> login.equals(p.getString("login")) && online != "offline".equals(p.getString("state")));
  }

  private static Future<JsonObject> nextPlayerInfo(Player viewer, String login, boolean online) {
    return viewer.client().inbox().next(playerInfo(login, online),
      "player_info with " + login + (online ? " online" : " offline"));
  }

  private static boolean listsOnline(JsonObject playerInfo, String login) {
    return playerInfo(login, true).test(playerInfo);
  }

  private static SessionDirectory fafDirectory(Node node) {
    return new SessionDirectory(node.vertx(), Delivery.FAF_SESSIONS);
  }

  private static SessionDirectory omegaDirectory(Node node) {
    return new SessionDirectory(node.vertx(), Delivery.OMEGA_SESSIONS);
  }

  /** A cluster-wide directory of its own, so that test entries never show up in player lists. */
  private static SessionDirectory raceDirectory(Node node) {
    return new SessionDirectory(node.vertx(), "test.race");
  }

  /**
   * Asks {@code node} (through its own consumer) until it reports {@code connection} closed: a bounded
   * re-check of a fact the server establishes asynchronously after the client saw its socket close.
   */
  private static Future<Void> untilClosedOnNode(Vertx vertx, Node node, String connection, int attemptsLeft) {
    return Delivery.isAlive(node.vertx(), node.id(), connection, 5000).compose(alive -> {
      if (!alive) {
        return Future.succeededFuture();
      }
      if (attemptsLeft == 0) {
        return Future.failedFuture("connection " + connection + " is still open on node " + node.id());
      }
      return vertx.timer(20, TimeUnit.MILLISECONDS)
        .compose(t -> untilClosedOnNode(vertx, node, connection, attemptsLeft - 1));
    });
  }

  /** Waits (bounded re-check) until the CL Omega directory no longer holds a session for {@code key}. */
  private static Future<Void> untilOmegaSessionFree(Vertx vertx, String key, int attemptsLeft) {
    return omegaDirectory(a).get(key).compose(entry -> {
      if (entry == null) {
        return Future.succeededFuture();
      }
      if (attemptsLeft == 0) {
        return Future.failedFuture("session of " + key + " was never released: " + entry);
      }
      return vertx.timer(20, TimeUnit.MILLISECONDS).compose(t -> untilOmegaSessionFree(vertx, key, attemptsLeft - 1));
    });
  }

  private static final Set<String> INIT_OUTCOMES = Set.of("INIT_OK", "SESSION_EXISTS", "TOKEN_INVALID",
    "TOKEN_EXPIRED", "TOKEN_ORIGIN_MISMATCH", "VIOLATION");

  /** Sends INIT and returns the one reply packet that answers it. */
  private static Future<JsonObject> init(OmegaClient client, String token) {
    client.send("INIT", token, null);
    return client.inbox().next(m -> INIT_OUTCOMES.contains(m.getString("opcode")), "an answer to INIT");
  }

  /** INIT again while the answer is SESSION_EXISTS, a bounded number of times; completes with the last answer. */
  private static Future<JsonObject> initUntilAccepted(Vertx vertx, OmegaClient client, String token, int attemptsLeft) {
    return init(client, token).compose(answer -> {
      if (!"SESSION_EXISTS".equals(answer.getString("opcode")) || attemptsLeft == 0) {
        return Future.succeededFuture(answer);
      }
      return vertx.timer(20, TimeUnit.MILLISECONDS)
        .compose(t -> initUntilAccepted(vertx, client, token, attemptsLeft - 1));
    });
  }

  private static String opcode(JsonObject packet) {
    return packet.getString("opcode");
  }

  @Test
  @DisplayName("FAF: a second login on node B kicks the first on node A; B's session survives A's cleanup")
  void secondLoginOnOtherNodeKicksTheFirst(Vertx vertx, VertxTestContext ctx) {
    TestAccounts rest = new TestAccounts(vertx, a.httpPort());
    List<FafClient> clients = new ArrayList<>();
    Future<Credentials> observerAccount = fafAccount(rest, "obs");
    Future<Credentials> twiceAccount = fafAccount(rest, "twice");
    Future<Credentials> lateAccount = fafAccount(rest, "late");
    Future<Void> accounts = Future.all(observerAccount, twiceAccount, lateAccount).mapEmpty();

    Future<Player> observer = accounts.compose(v -> login(vertx, a, observerAccount.result(), clients));
    Future<Player> onA = observer.compose(o -> login(vertx, a, twiceAccount.result(), clients));
    Future<JsonObject> seenOnA = onA.compose(p -> nextPlayerInfo(observer.result(), p.login(), true));
    Future<Entry> entryOnA = seenOnA.compose(m -> fafDirectory(a).get(onA.result().key()));
    Future<Player> onB = entryOnA.compose(entry -> {
      ctx.verify(() -> assertNode(entry, a.id()));
      return login(vertx, b, twiceAccount.result(), clients);
    });
    Future<JsonObject> kick = onB.compose(p -> onA.result().client().expectNotice("kick"));
    // Once A reports the old connection closed, it has run that connection's clean-up, which must not
    // touch the session on B.
    Future<Void> cleanedUp = kick.compose(k -> onA.result().client().expectClosed())
      .compose(v -> untilClosedOnNode(vertx, a, entryOnA.result().connection(), 250));
    Future<Entry> entryAfter = cleanedUp.compose(v -> fafDirectory(a).get(onA.result().key()));
    Future<JsonObject> pong = entryAfter.compose(entry -> {
      ctx.verify(() -> assertReplaced(entry, b.id(), entryOnA.result()));
      onB.result().client().send(new JsonObject().put("command", "ping"));
      return onB.result().client().expect("pong");
    });
    Future<Player> late = pong.compose(p -> login(vertx, a, lateAccount.result(), clients));
    Future<JsonObject> lateList = late.compose(p -> p.client().expect("player_info"));
    // The late player's newcomer broadcast is the sentinel: had A's clean-up removed B's session, the
    // offline broadcast for the kicked player would have reached the observer before it.
    Future<JsonObject> observerSaw = late.compose(p -> observer.result().client().inbox().next(
      playerInfo(onA.result().login(), false).or(playerInfo(p.login(), true)), "offline kicked or online late"));

    Future.all(lateList, observerSaw)
      .onSuccess(v -> ctx.verify(() -> assertKickOutcome(onA.result().login(), late.result().login(),
        lateList.result(), observerSaw.result(), onB.result().client())))
      .eventually(() -> closeAll(clients, List.of()))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("FAF: player_info of a login on one node reaches players on the other node, both ways")
  void playerInfoBroadcastReachesBothNodes(Vertx vertx, VertxTestContext ctx) {
    TestAccounts rest = new TestAccounts(vertx, b.httpPort());
    List<FafClient> clients = new ArrayList<>();
    Future<Credentials> watcherAAccount = fafAccount(rest, "wa");
    Future<Credentials> watcherBAccount = fafAccount(rest, "wb");
    Future<Credentials> joinerAAccount = fafAccount(rest, "ja");
    Future<Credentials> joinerBAccount = fafAccount(rest, "jb");
    Future<Void> accounts = Future.all(watcherAAccount, watcherBAccount, joinerAAccount, joinerBAccount).mapEmpty();

    Future<Player> watcherA = accounts.compose(v -> login(vertx, a, watcherAAccount.result(), clients));
    Future<Player> watcherB = watcherA.compose(p -> login(vertx, b, watcherBAccount.result(), clients));
    Future<Player> joinerB = watcherB.compose(p -> login(vertx, b, joinerBAccount.result(), clients));
    Future<JsonObject> joinerBList = joinerB.compose(p -> p.client().expect("player_info"));
    Future<JsonObject> seenOnA = joinerB.compose(p -> nextPlayerInfo(watcherA.result(), p.login(), true));
    Future<Player> joinerA = Future.all(joinerBList, seenOnA).compose(v -> {
      ctx.verify(() -> assertListed(joinerBList.result(), watcherA.result().login(), true));
      return login(vertx, a, joinerAAccount.result(), clients);
    });
    Future<JsonObject> joinerAList = joinerA.compose(p -> p.client().expect("player_info"));
    Future<JsonObject> seenOnB = joinerA.compose(p -> nextPlayerInfo(watcherB.result(), p.login(), true));

    Future.all(joinerAList, seenOnB)
      .onSuccess(v -> ctx.verify(() -> {
        assertListed(joinerAList.result(), watcherA.result().login(), true);
        assertListed(joinerAList.result(), watcherB.result().login(), true);
        assertListed(joinerAList.result(), joinerB.result().login(), true);
      }))
      .eventually(() -> closeAll(clients, List.of()))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("FAF: a logout on node A reaches players on node B as offline, and a later login on B no longer lists it")
  void logoutReachesTheOtherNode(Vertx vertx, VertxTestContext ctx) {
    TestAccounts rest = new TestAccounts(vertx, a.httpPort());
    List<FafClient> clients = new ArrayList<>();
    Future<Credentials> watcherAccount = fafAccount(rest, "lw");
    Future<Credentials> leaverAccount = fafAccount(rest, "ll");
    Future<Credentials> laterAccount = fafAccount(rest, "lt");
    Future.all(watcherAccount, leaverAccount, laterAccount)
      .compose(v -> login(vertx, b, watcherAccount.result(), clients))
      .compose(watcher -> login(vertx, a, leaverAccount.result(), clients)
        .compose(leaver -> nextPlayerInfo(watcher, leaver.login(), true)
          .compose(seen -> leaver.client().close())
          .compose(closed -> nextPlayerInfo(watcher, leaver.login(), false))
          .compose(off -> login(vertx, b, laterAccount.result(), clients))
          .map(later -> {
            JsonObject list = later.client().inbox().history().stream()
              .filter(m -> "player_info".equals(m.getString("command"))).findFirst().orElseThrow();
            ctx.verify(() -> {
              assertThat(listsOnline(list, leaver.login())).as("the login list of B after the logout on A").isFalse();
              assertThat(listsOnline(list, watcher.login())).isTrue();
            });
            return null;
          })))
      .eventually(() -> closeAll(clients, List.of()))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("CL Omega: SESSION_EXISTS on the other node while the first socket lives, INIT_OK once it closed")
  void omegaSessionIsClusterWide(Vertx vertx, VertxTestContext ctx) {
    TestAccounts rest = new TestAccounts(vertx, a.httpPort());
    List<OmegaClient> sockets = new ArrayList<>();
    Future<String> token = rest.register("omg").compose(account -> rest.omegaToken(account, null));

    Future<OmegaClient> onA = token.compose(t -> omegaSocket(vertx, a, sockets));
    Future<JsonObject> first = onA.compose(socket -> socket.init(token.result()));
    Future<OmegaClient> onB = first.compose(ok -> omegaSocket(vertx, b, sockets));
    Future<JsonObject> duplicate = onB.compose(socket -> init(socket, token.result()));
    Future<JsonObject> accepted = duplicate.compose(answer -> {
      ctx.verify(() -> assertOpcode(answer, "SESSION_EXISTS"));
      return onA.result().close();
    }).compose(closed -> initUntilAccepted(vertx, onB.result(), token.result(), 250));
    Future<Entry> entry = accepted.compose(answer -> {
      ctx.verify(() -> assertInitOk(answer, first.result().getJsonObject("payload").getString("id")));
      return omegaDirectory(a).get(answer.getJsonObject("payload").getString("id"));
    });
    // And now the session on B blocks a new socket on A.
    Future<JsonObject> again = entry.compose(e -> {
      ctx.verify(() -> assertNode(e, b.id()));
      return omegaSocket(vertx, a, sockets);
    }).compose(socket -> init(socket, token.result()));

    again
      .onSuccess(answer -> ctx.verify(() -> assertOpcode(answer, "SESSION_EXISTS")))
      .eventually(() -> closeAll(List.of(), sockets))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("Node death: a node that closes takes its sessions along; its players go offline, its CL Omega sessions free")
  void closedNodeReleasesItsSessions(Vertx vertx, VertxTestContext ctx) {
    TestAccounts rest = new TestAccounts(vertx, a.httpPort());
    List<FafClient> clients = new ArrayList<>();
    List<OmegaClient> sockets = new ArrayList<>();
    Future<Node> third = cluster.start();
    Future<Credentials> observerAccount = fafAccount(rest, "ob");
    Future<Credentials> goneAccount = fafAccount(rest, "gone");
    Future<Credentials> laterAccount = fafAccount(rest, "later");
    Future<String> omegaToken = rest.register("zed").compose(account -> rest.omegaToken(account, null));
    Future<Void> ready = Future.all(third, observerAccount, goneAccount, laterAccount, omegaToken).mapEmpty();

    Future<Player> observer = ready.compose(v -> login(vertx, a, observerAccount.result(), clients));
    Future<Player> gone = observer.compose(p -> login(vertx, third.result(), goneAccount.result(), clients));
    Future<JsonObject> online = gone.compose(p -> nextPlayerInfo(observer.result(), p.login(), true));
    Future<JsonObject> onThird = online.compose(m -> omegaSocket(vertx, third.result(), sockets))
      .compose(socket -> socket.init(omegaToken.result()));
    Future<JsonObject> offline = onThird.compose(ok -> third.result().close())
      .compose(closed -> nextPlayerInfo(observer.result(), gone.result().login(), false));
    Future<JsonObject> initOnA = offline.compose(m -> omegaSocket(vertx, a, sockets))
      .compose(socket -> init(socket, omegaToken.result()));
    Future<JsonObject> laterList = initOnA.compose(answer -> {
      ctx.verify(() -> assertOpcode(answer, "INIT_OK"));
      return login(vertx, a, laterAccount.result(), clients);
    }).compose(p -> p.client().expect("player_info"));

    laterList
      .onSuccess(list -> ctx.verify(() -> assertListed(list, gone.result().login(), false)))
      .eventually(() -> closeAll(clients, sockets))
      .eventually(() -> third.compose(Node::close))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("Node death: a member that vanishes without closing is swept by the others")
  void crashedMemberIsSwept(Vertx vertx, VertxTestContext ctx) {
    TestAccounts rest = new TestAccounts(vertx, a.httpPort());
    List<FafClient> clients = new ArrayList<>();
    List<OmegaClient> sockets = new ArrayList<>();
    Future<Node> third = cluster.start();
    Future<Credentials> observerAccount = fafAccount(rest, "ob");
    Future<Credentials> crashAccount = fafAccount(rest, "crash");
    Future<String> omegaToken = rest.register("crz").compose(account -> rest.omegaToken(account, null));
    Future<Void> ready = Future.all(third, observerAccount, crashAccount, omegaToken).mapEmpty();

    Future<Player> observer = ready.compose(v -> login(vertx, a, observerAccount.result(), clients));
    Future<Player> crashed = observer.compose(p -> login(vertx, third.result(), crashAccount.result(), clients));
    Future<JsonObject> online = crashed.compose(p -> nextPlayerInfo(observer.result(), p.login(), true));
    Future<JsonObject> onThird = online.compose(m -> omegaSocket(vertx, third.result(), sockets))
      .compose(socket -> socket.init(omegaToken.result()));
    // The member drops out of the cluster at once, without any of the node's own clean-up.
    Future<Void> terminated = onThird.compose(ok -> vertx.executeBlocking(() -> {
      ((HazelcastClusterManager) third.result().clusterManager()).getHazelcastInstance().getLifecycleService()
        .terminate();
      return null;
    }));
    Future<JsonObject> offline = terminated.compose(v -> nextPlayerInfo(observer.result(), crashed.result().login(), false));
    Future<JsonObject> initOnA = offline.compose(m -> omegaSocket(vertx, a, sockets))
      .compose(socket -> initUntilAccepted(vertx, socket, omegaToken.result(), 250));

    initOnA
      .onSuccess(answer -> ctx.verify(() -> assertOpcode(answer, "INIT_OK")))
      .eventually(() -> closeAll(clients, sockets))
      // Its Vert.x still runs on a dead Hazelcast member: close it, whatever leaving the cluster reports.
      .eventually(() -> third.compose(Node::close).otherwiseEmpty())
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("CL Omega: a directory entry naming a node without a consumer never blocks INIT")
  void entryOfUnknownNodeDoesNotBlockInit(Vertx vertx, VertxTestContext ctx) {
    TestAccounts rest = new TestAccounts(vertx, a.httpPort());
    List<OmegaClient> sockets = new ArrayList<>();
    String deadNode = Ids.ulid();
    Future<String> token = rest.register("stale").compose(account -> rest.omegaToken(account, null));
    // Learn the account's ULID from a first session on B, then end it.
    Future<OmegaClient> firstSocket = token.compose(t -> omegaSocket(vertx, b, sockets));
    Future<String> key = firstSocket.compose(socket -> socket.init(token.result()))
      .map(ok -> ok.getJsonObject("payload").getString("id"));
    Future<Void> free = key.compose(k -> firstSocket.result().close())
      .compose(v -> untilOmegaSessionFree(vertx, key.result(), 250));
    // The directory now names a node that has never had a consumer, as after a crash nobody swept.
    Future<Entry> stale = free.compose(v -> omegaDirectory(a).claim(key.result(),
        new Entry(deadNode, Ids.ulid(), new JsonObject().put("ugi", DEMO_UGI))))
      .compose(previous -> omegaDirectory(a).get(key.result()));
    Future<JsonObject> answer = stale.compose(entry -> {
      ctx.verify(() -> assertNode(entry, deadNode));
      return omegaSocket(vertx, a, sockets);
    }).compose(socket -> init(socket, token.result()));
    Future<Entry> now = answer.compose(packet -> {
      ctx.verify(() -> assertOpcode(packet, "INIT_OK"));
      return omegaDirectory(b).get(key.result());
    });

    now
      .onSuccess(entry -> ctx.verify(() -> assertNode(entry, a.id())))
      .eventually(() -> closeAll(List.of(), sockets))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("Connections never register cluster-wide consumers: logins leave the subscription registry unchanged")
  void connectionsDoNotRegisterClusterConsumers(Vertx vertx, VertxTestContext ctx) {
    HazelcastInstance hz = ((HazelcastClusterManager) a.clusterManager()).getHazelcastInstance();
    TestAccounts rest = new TestAccounts(vertx, a.httpPort());
    List<FafClient> clients = new ArrayList<>();
    List<OmegaClient> sockets = new ArrayList<>();
    Future<Credentials> one = fafAccount(rest, "sub");
    Future<Credentials> two = fafAccount(rest, "sub");
    Future<String> three = rest.register("sub").compose(account -> rest.omegaToken(account, null));

    Future<Set<String>> before = Future.all(one, two, three).compose(v -> subscribedAddresses(vertx, hz));
    Future<JsonObject> connected = before.compose(addresses -> {
      ctx.verify(() -> assertContainsNodeAddresses(addresses));
      return login(vertx, a, one.result(), clients);
    }).compose(p -> login(vertx, b, two.result(), clients))
      .compose(p -> omegaSocket(vertx, b, sockets))
      .compose(socket -> socket.init(three.result()));
    Future<Set<String>> after = connected.compose(ok -> subscribedAddresses(vertx, hz));

    after
      // No new address; what departed members of other tests leave behind may only shrink the set.
      .onSuccess(addresses -> ctx.verify(() -> assertNoNewAddress(before.result(), addresses)))
      .eventually(() -> closeAll(clients, sockets))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("Session directory: 20 concurrent claims from both nodes form a single chain of predecessors")
  void concurrentClaimsFromBothNodes(VertxTestContext ctx) {
    String key = "race-" + Ids.ulid();
    List<Future<Entry>> claims = new ArrayList<>();
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Node node = i % 2 == 0 ? a : b;
      Entry entry = new Entry(node.id(), "c" + i, new JsonObject().put("i", i));
      entries.add(entry);
      claims.add(raceDirectory(node).claim(key, entry));
    }
    Future<Entry> last = Future.all(claims).compose(all -> raceDirectory(a).get(key));
    last.onComplete(ctx.succeeding(current -> ctx.verify(() -> {
      ClusterDirectoryTest.assertSingleChain(entries, claims.stream().map(Future::result).toList(), current);
      ctx.completeNow();
    })));
  }

  private static Future<Set<String>> subscribedAddresses(Vertx vertx, HazelcastInstance hz) {
    return vertx.executeBlocking(() -> {
      Set<String> addresses = new HashSet<>();
      for (Object key : hz.getMultiMap("__vertx.subs").keySet()) {
        addresses.add(String.valueOf(key));
      }
      return addresses;
    });
  }

  // Assertions, one method each, so that the asynchronous test bodies stay short.

  private static void assertNode(Entry entry, String node) {
    assertThat(entry).as("directory entry").isNotNull();
    assertThat(entry.node()).as("node of the directory entry").isEqualTo(node);
  }

  private static void assertReplaced(Entry entry, String node, Entry old) {
    assertNode(entry, node);
    assertThat(entry.connection()).isNotEqualTo(old.connection());
  }

  private static void assertOpcode(JsonObject packet, String opcode) {
    assertThat(opcode(packet)).as("answer %s", packet).isEqualTo(opcode);
  }

  private static void assertInitOk(JsonObject packet, String accountId) {
    assertOpcode(packet, "INIT_OK");
    assertThat(packet.getJsonObject("payload").getString("id")).isEqualTo(accountId);
  }

  private static void assertListed(JsonObject playerInfo, String login, boolean online) {
    assertThat(listsOnline(playerInfo, login)).as("%s listed online in %s", login, playerInfo).isEqualTo(online);
  }

  private static void assertKickOutcome(String kicked, String late, JsonObject lateList, JsonObject observerSaw,
                                        FafClient survivor) {
    assertListed(lateList, kicked, true);
    // The observer's next player_info about either player announces the late player, and not the kicked one
    // offline (a tick may carry other players along).
    assertListed(observerSaw, late, true);
    assertThat(playerInfo(kicked, false).test(observerSaw)).as("kicked player offline in %s", observerSaw).isFalse();
    assertThat(survivor.isClosed()).as("the new session's socket is closed").isFalse();
    for (JsonObject m : survivor.inbox().history()) {
      assertThat("notice".equals(m.getString("command")) && "kick".equals(m.getString("style")))
        .as("the new session got a kick: %s", m).isFalse();
    }
  }

  private static void assertContainsNodeAddresses(Set<String> addresses) {
    assertThat(addresses).contains("gateway.node." + a.id(), "gateway.node." + b.id(), Addresses.FAF_BROADCAST);
  }

  private static void assertNoNewAddress(Set<String> before, Set<String> after) {
    assertThat(after).isSubsetOf(before);
  }
}
