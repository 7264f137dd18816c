package dev.skirmish.deploy;

import dev.skirmish.common.testing.FafClient;
import dev.skirmish.deploy.FafTestSupport.Player;
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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.skirmish.deploy.FafGameKit.gpg;
import static dev.skirmish.deploy.FafGameKit.gpgMessage;
import static dev.skirmish.deploy.FafGameKit.hostOpen;
import static dev.skirmish.deploy.FafGameKit.join;
import static dev.skirmish.deploy.FafTestSupport.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The FAF {@code IceMsg} relay from gateway to gateway, over real WebSockets on a three-node cluster: gateway
 * nodes X and Y, the games service (and every other service) on node S. A relay between two players on one
 * gateway node stays on it, one between X and Y goes straight from gateway to gateway, and the games service only
 * vouches for the game's members, which the gateways keep until the members change.
 *
 * <p>"Not delivered" is checked without waiting for time to pass: a gateway node handles its connections and its
 * deliveries on one event loop in order, so once a later message on the same path has arrived and a round trip
 * on the receiver's own connection has come back, an earlier message to that receiver would have arrived first.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class FafGameRelayTest {

  private static Node services;
  private static Node x;
  private static Node y;

  @BeforeAll
  static void startCluster() throws Exception {
    ClusterTestNodes cluster = ClusterTestNodes.create("faf-relay");
    services = cluster.start("ROLES", "games,matchmaker,party,signaling").await(2, TimeUnit.MINUTES);
    // The games here send a few hundred messages in a burst, past the default inbound message rate.
    String[] gateway = {"ROLES", "gateway", "INBOUND_MESSAGES_PER_SECOND", "10000", "INBOUND_MESSAGE_BURST", "10000"};
    x = cluster.start(gateway).await(2, TimeUnit.MINUTES);
    y = cluster.start(gateway).await(2, TimeUnit.MINUTES);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (Node n : List.of(y, x, services)) {
      n.close().await(1, TimeUnit.MINUTES);
    }
  }

  private static JsonObject ice(int receiver, String payload) {
    return gpg("IceMsg", receiver, payload);
  }

  /** The relayed IceMsg from {@code sender} carrying {@code payload}. */
  private static Predicate<JsonObject> relayed(Player sender, String payload) {
    return gpgMessage("IceMsg", sender.id(), payload);
  }

  /** The payloads of every IceMsg that {@code p} received from {@code sender}, in order. */
  private static List<Object> payloadsFrom(Player p, Player sender) {
    return p.client().inbox().history().stream()
      .filter(m -> gpgMessage("IceMsg").test(m) && m.getJsonArray("args").getInteger(0) == sender.id())
      .map(m -> m.getJsonArray("args").getValue(1)).toList();
  }

  /** The payloads of every IceMsg that {@code p} received, in order. */
  private static List<Object> allPayloads(FafClient client) {
    return client.inbox().history().stream().filter(gpgMessage("IceMsg"))
      .map(m -> m.getJsonArray("args").getValue(1)).toList();
  }

  private static List<String> numbered(String prefix, int count) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(prefix + i);
    }
    return out;
  }

  /** A game hosted by {@code host}, every one of {@code joiners} in its lobby; completes with the game id. */
  private static Future<Long> lobby(Player host, String title, Player... joiners) {
    Future<Long> game = hostOpen(host, title);
    for (Player j : joiners) {
      game = game.compose(uid -> join(j, uid, host).map(uid));
    }
    return game;
  }

  /** The others' games are told to disconnect from {@code leaver}: the leave is stored and carried out. */
  private static Future<Void> disconnected(Player leaver, Player... others) {
    List<Future<JsonObject>> told = new ArrayList<>();
    for (Player o : others) {
      told.add(o.client().inbox().next(gpgMessage("DisconnectFromPeer", leaver.id()), o.login() + " disconnects"));
    }
    return Future.all(told).mapEmpty();
  }

  @Test
  @DisplayName("IceMsg between players on one gateway node and across two gateway nodes, both ways, in order")
  void relayedOnOneNodeAndAcross(Vertx vertx, VertxTestContext ctx) {
    Future.all(FafTestSupport.loggedIn(vertx, x, "rxh"), FafTestSupport.loggedIn(vertx, x, "rxj"),
      FafTestSupport.loggedIn(vertx, y, "ryj")).compose(all -> {
        Player a = all.resultAt(0);
        Player b = all.resultAt(1);
        Player c = all.resultAt(2);
        List<Player> ps = List.of(a, b, c);
        return lobby(a, "Relay paths", b, c).compose(uid -> {
          int n = 20;
          for (String payload : numbered("m", n)) {
            a.client().send(ice(b.id(), "a>b " + payload)).send(ice(c.id(), "a>c " + payload));
            b.client().send(ice(a.id(), "b>a " + payload)).send(ice(c.id(), "b>c " + payload));
            c.client().send(ice(a.id(), "c>a " + payload)).send(ice(b.id(), "c>b " + payload));
          }
          String last = "m" + (n - 1);
          return Future.all(List.of(
            b.client().inbox().next(relayed(a, "a>b " + last), "A to B on node X"),
            c.client().inbox().next(relayed(a, "a>c " + last), "A on X to C on Y"),
            a.client().inbox().next(relayed(b, "b>a " + last), "B to A on node X"),
            c.client().inbox().next(relayed(b, "b>c " + last), "B on X to C on Y"),
            a.client().inbox().next(relayed(c, "c>a " + last), "C on Y to A on X"),
            b.client().inbox().next(relayed(c, "c>b " + last), "C on Y to B on X"))).map(v -> {
              ctx.verify(() -> {
                assertThat(payloadsFrom(b, a)).containsExactlyElementsOf(numbered("a>b m", n));
                assertThat(payloadsFrom(c, a)).containsExactlyElementsOf(numbered("a>c m", n));
                assertThat(payloadsFrom(a, b)).containsExactlyElementsOf(numbered("b>a m", n));
                assertThat(payloadsFrom(c, b)).containsExactlyElementsOf(numbered("b>c m", n));
                assertThat(payloadsFrom(a, c)).containsExactlyElementsOf(numbered("c>a m", n));
                assertThat(payloadsFrom(b, c)).containsExactlyElementsOf(numbered("c>b m", n));
              });
              return ps;
            });
        });
      }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a player who leaves the lobby while ICE flows gets no IceMsg once the others were told; the one who stayed gets every one")
  void leaverGetsNothingAfterTheLeave(Vertx vertx, VertxTestContext ctx) {
    Future.all(FafTestSupport.loggedIn(vertx, x, "rlh"), FafTestSupport.loggedIn(vertx, y, "rls"),
      FafTestSupport.loggedIn(vertx, y, "rll")).compose(all -> {
        Player host = all.resultAt(0);
        Player stays = all.resultAt(1);
        Player leaver = all.resultAt(2);
        List<Player> ps = List.of(host, stays, leaver);
        int n = 30;
        return lobby(host, "Leave while flowing", stays, leaver).compose(uid -> {
          // The caches of both gateways are warm: every path has carried a message.
          host.client().send(ice(leaver.id(), "warm")).send(ice(stays.id(), "warm"));
          stays.client().send(ice(leaver.id(), "warm"));
          return Future.all(leaver.client().inbox().next(relayed(host, "warm"), "warm from host"),
            leaver.client().inbox().next(relayed(stays, "warm"), "warm from the one who stays"),
            stays.client().inbox().next(relayed(host, "warm"), "warm to the one who stays"));
        }).compose(v -> {
          // The leaver's game closes while the host's and the other joiner's games are still sending.
          for (String p : numbered("during ", n)) {
            host.client().send(ice(leaver.id(), p)).send(ice(stays.id(), p));
            stays.client().send(ice(leaver.id(), p)).send(ice(host.id(), p));
            if (p.equals("during " + (n / 2))) {
              leaver.client().send(gpg("GameState", "Ended"));
            }
          }
          return disconnected(leaver, host, stays);
        }).compose(v -> {
          for (String p : numbered("after ", n)) {
            host.client().send(ice(leaver.id(), p)).send(ice(stays.id(), p));
            stays.client().send(ice(leaver.id(), p)).send(ice(host.id(), p));
          }
          String last = "after " + (n - 1);
          return Future.all(stays.client().inbox().next(relayed(host, last), "the last from the host"),
            host.client().inbox().next(relayed(stays, last), "the last from the one who stays"));
        }).compose(v -> roundTrip(leaver.client())).map(pong -> {
          List<String> everything = new ArrayList<>(List.of("warm"));
          everything.addAll(numbered("during ", n));
          everything.addAll(numbered("after ", n));
          ctx.verify(() -> {
            assertThat(payloadsFrom(stays, host)).containsExactlyElementsOf(everything);
            assertThat(payloadsFrom(host, stays)).containsExactlyElementsOf(everything.subList(1, everything.size()));
            assertThat(allPayloads(leaver.client())).noneMatch(p -> String.valueOf(p).startsWith("after "));
          });
          return ps;
        });
      }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a player who went offline gets no IceMsg on their next session; back in the lobby on another node, they get them there")
  void offlinePlayerGetsNothingUntilBack(Vertx vertx, VertxTestContext ctx) {
    Future.all(FafTestSupport.loggedIn(vertx, x, "roh"), FafTestSupport.loggedIn(vertx, y, "ros"),
      FafTestSupport.loggedIn(vertx, y, "roo")).compose(all -> {
        Player host = all.resultAt(0);
        Player stays = all.resultAt(1);
        Player gone = all.resultAt(2);
        List<Player> ps = new ArrayList<>(List.of(host, stays, gone));
        int n = 20;
        return lobby(host, "Offline while flowing", stays, gone).compose(uid -> {
          host.client().send(ice(gone.id(), "warm")).send(ice(stays.id(), "warm"));
          stays.client().send(ice(gone.id(), "warm"));
          return Future.all(gone.client().inbox().next(relayed(host, "warm"), "warm from host"),
            gone.client().inbox().next(relayed(stays, "warm"), "warm from the one who stays"),
            stays.client().inbox().next(relayed(host, "warm"), "warm to the one who stays"))
            .compose(v -> {
              for (String p : numbered("during ", n)) {
                host.client().send(ice(gone.id(), p)).send(ice(stays.id(), p));
                stays.client().send(ice(gone.id(), p));
                if (p.equals("during " + (n / 2))) {
                  gone.client().close();
                }
              }
              return disconnected(gone, host, stays);
            })
            // The same account logs in again, now on node X (where the host is), and is in no game.
            .compose(v -> FafClient.webSocket(vertx, x.httpPort()))
            .compose(client -> FafTestSupport.loginFully(client, gone.token()).map(v -> gone.with(client)))
            .compose(back -> {
              ps.add(back);
              for (String p : numbered("offline ", n)) {
                host.client().send(ice(back.id(), p)).send(ice(stays.id(), p));
                stays.client().send(ice(back.id(), p)).send(ice(host.id(), p));
              }
              String last = "offline " + (n - 1);
              return Future.all(stays.client().inbox().next(relayed(host, last), "the last from the host"),
                  host.client().inbox().next(relayed(stays, last), "the last from the one who stays"))
                .compose(v -> roundTrip(back.client()))
                .map(pong -> {
                  ctx.verify(() -> assertThat(allPayloads(back.client())).isEmpty());
                  return back;
                });
            })
            // Back in the lobby through restore_game_session: the relay finds the new session at once.
            .compose(back -> {
              back.client().send(new JsonObject().put("command", "restore_game_session").put("game_id", uid));
              return roundTrip(back.client()).compose(pong -> {
                for (String p : numbered("restored ", n)) {
                  host.client().send(ice(back.id(), p));
                  stays.client().send(ice(back.id(), p));
                }
                String last = "restored " + (n - 1);
                return Future.all(back.client().inbox().next(relayed(host, last), "the last from the host, on X"),
                  back.client().inbox().next(relayed(stays, last), "the last from Y")).map(v -> {
                    List<String> everything = new ArrayList<>(List.of("warm"));
                    everything.addAll(numbered("during ", n));
                    everything.addAll(numbered("offline ", n));
                    ctx.verify(() -> {
                      assertThat(payloadsFrom(back, host)).containsExactlyElementsOf(numbered("restored ", n));
                      assertThat(payloadsFrom(back, stays)).containsExactlyElementsOf(numbered("restored ", n));
                      assertThat(payloadsFrom(stays, host)).containsExactlyElementsOf(everything);
                    });
                    return ps;
                  });
              });
            });
        });
      }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("IceMsg to or from a player outside the game is not delivered, on one node or across")
  void nonMembersGetNothing(Vertx vertx, VertxTestContext ctx) {
    Future.all(FafTestSupport.loggedIn(vertx, x, "rnh"), FafTestSupport.loggedIn(vertx, y, "rnj"),
      FafTestSupport.loggedIn(vertx, y, "rno"), FafTestSupport.loggedIn(vertx, x, "rnx")).compose(all -> {
        Player host = all.resultAt(0);
        Player joiner = all.resultAt(1);
        Player outsider = all.resultAt(2);
        Player otherGame = all.resultAt(3);
        List<Player> ps = List.of(host, joiner, outsider, otherGame);
        // otherGame hosts a game of its own: a member of a game, but not of this one.
        return hostOpen(otherGame, "Another game").compose(other -> lobby(host, "Members only", joiner)).compose(uid -> {
          host.client().send(ice(outsider.id(), "to outsider")).send(ice(otherGame.id(), "to other game"));
          joiner.client().send(ice(outsider.id(), "to outsider")).send(ice(otherGame.id(), "to other game"));
          outsider.client().send(ice(host.id(), "from outsider")).send(ice(joiner.id(), "from outsider"));
          otherGame.client().send(ice(host.id(), "from other game")).send(ice(joiner.id(), "from other game"));
          // Every one of those was handled before each sender's round trip came back.
          return Future.all(List.of(roundTrip(host.client()), roundTrip(joiner.client()), roundTrip(outsider.client()),
            roundTrip(otherGame.client())));
        }).compose(v -> {
          // Markers on the same paths: a member's IceMsg reaches the other member on each node...
          host.client().send(ice(joiner.id(), "marker"));
          joiner.client().send(ice(host.id(), "marker"));
          return Future.all(joiner.client().inbox().next(relayed(host, "marker"), "marker X to Y"),
            host.client().inbox().next(relayed(joiner, "marker"), "marker Y to X"));
        }).compose(v -> Future.all(roundTrip(outsider.client()), roundTrip(otherGame.client()))).map(v -> {
          // ...and nothing else arrived anywhere.
          ctx.verify(() -> {
            assertThat(allPayloads(host.client())).containsExactly("marker");
            assertThat(allPayloads(joiner.client())).containsExactly("marker");
            assertThat(allPayloads(outsider.client())).isEmpty();
            assertThat(allPayloads(otherGame.client())).isEmpty();
          });
          return ps;
        });
      }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }
}
