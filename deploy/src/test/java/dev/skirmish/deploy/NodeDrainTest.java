package dev.skirmish.deploy;

import dev.skirmish.deploy.OmegaLobbyKit.Player;
import dev.skirmish.deploy.load.ServerProcess;
import dev.skirmish.common.testing.FafClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.OmegaLobbyKit.hostConfig;
import static dev.skirmish.deploy.OmegaLobbyKit.lobbyName;
import static dev.skirmish.deploy.OmegaLobbyKit.packet;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node in a JVM of its own (gateway, signaling and games roles) gets SIGTERM, as from {@code docker stop} or
 * a pod's termination, while it serves a FAF player and a CL Omega peer and co-owns the cluster's lobbies with
 * a second node (all roles, in this JVM). It drains: its FAF player is told and disconnected, its CL Omega peer
 * gets the close status 1001 (going away) and its host {@code PEER_GONE}, every lobby stays in the cluster
 * (the leaving member hands its partitions over) and takes new peers on the survivor, and the process exits
 * within its {@code SHUTDOWN_GRACE_SECONDS} after logging a completed drain.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 4, timeUnit = TimeUnit.MINUTES)
class NodeDrainTest {

  /** The drained node's grace: the test allows it this plus the JVM's own exit. */
  private static final int GRACE_SECONDS = 20;
  /** Lobbies spread over the two members' partitions (each key lands on the leaving member with odds 1/2). */
  private static final int LOBBIES = 8;

  private static final List<Node> NODES = new ArrayList<>();
  private static ServerProcess child;

  @AfterAll
  static void stop() throws Exception {
    if (child != null) {
      child.kill();
    }
    for (Node n : NODES) {
      n.close().await(1, TimeUnit.MINUTES);
    }
  }

  @Test
  @DisplayName("SIGTERM: the node drains its clients the protocols' way, hands its lobbies to the cluster and exits within its grace")
  void sigtermDrains(Vertx vertx, VertxTestContext ctx) throws Exception {
    ClusterTestNodes cluster = ClusterTestNodes.create("drain");
    Node survivor = cluster.start().await(2, TimeUnit.MINUTES);
    NODES.add(survivor);
    Map<String, String> env = cluster.nextEnvironment("ROLES", "gateway,signaling,games",
      "SHUTDOWN_GRACE_SECONDS", String.valueOf(GRACE_SECONDS));
    Path log = Files.createDirectories(Path.of("target", "drain")).resolve("drained-node.log");
    child = ServerProcess.start("drained node", Main.class.getName(),
      concat(List.of("-Xmx256m"), ServerProcess.BASE_JVM_OPTIONS), env, log);
    int childPort = child.port();

    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, survivor);
    List<Player> hosts = new ArrayList<>();
    List<String> lobbies = new ArrayList<>();
    List<String> games = new ArrayList<>();
    // The hosts and their lobbies on the survivor's gateway, each lobby in a game (UGI) of its own: a host's
    // NEW_HOST goes to the lobby-less sockets of its game only, so none reaches another host, whichever way
    // the cluster orders an announcement against the next host's INIT.
    Future<Void> hosted = child.awaitReady(vertx, 120_000).mapEmpty();
    for (int i = 0; i < LOBBIES; i++) {
      String room = lobbyName("drain");
      lobbies.add(room);
      hosted = hosted.compose(v -> kit.newGame())
        .compose(ugi -> {
          games.add(ugi);
          return kit.player(ugi, "drh", survivor);
        })
        .compose(h -> {
          hosts.add(h);
          return kit.host(h, hostConfig(room));
        });
    }
    hosted
      // A CL Omega peer on the node that will drain, in the first lobby.
      .compose(v -> kit.player(games.get(0), "drp", childPort))
      .compose(peer -> kit.join(peer, lobbies.get(0), hosts.get(0), List.of()).map(v -> peer))
      // A FAF player logged in on the node that will drain.
      .compose(peer -> FafTestSupport.account(vertx, survivor, "drf")
        .compose(faf -> FafClient.webSocket(vertx, childPort)
          .compose(client -> FafTestSupport.loginFully(client, faf.token()).map(v -> client)))
        .compose(fafClient -> {
          Future<Integer> exited = child.terminate(vertx, TimeUnit.SECONDS.toMillis(GRACE_SECONDS + 15));
          return fafClient.expectNotice("info")
            .compose(info -> {
              ctx.verify(() -> assertThat(info.getString("text")).contains("shutting down"));
              return fafClient.expectClosed();
            })
            .compose(v -> peer.client.expectClosed())
            .compose(v -> {
              ctx.verify(() -> assertThat(peer.client.closeStatus()).as("close status of the CL Omega peer")
                .isEqualTo((short) 1001));
              return kit.next(hosts.get(0), packet("PEER_GONE", peer.id));
            })
            .compose(v -> exited)
            .map(status -> {
              // Exited at all: terminate() fails when the process still runs after its grace (+ 15 s).
              String tail = child.tail(400);
              ctx.verify(() -> {
                // 128 + SIGTERM: the JVM ran its shutdown hooks and ended on the signal.
                assertThat(status).as("exit status").isEqualTo(143);
                assertThat(tail).as("the drained node's log").contains("Drained in").doesNotContain("Unclean shutdown");
              });
              return null;
            });
        }))
      // Every lobby is still in the cluster and takes a new peer on the survivor.
      .compose(v -> {
        Future<Void> joins = Future.succeededFuture();
        for (int i = 0; i < LOBBIES; i++) {
          int n = i;
          joins = joins.compose(x -> kit.player(games.get(n), "drj", survivor)
            .compose(joiner -> kit.join(joiner, lobbies.get(n), hosts.get(n), List.of())));
        }
        return joins;
      })
      .onComplete(ctx.succeedingThenComplete());
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
