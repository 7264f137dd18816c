package dev.skirmish.deploy;

import dev.skirmish.common.testing.FafClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
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
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every node's {@code /metrics}: JVM and process meters, Vert.x meters, the Hazelcast gauges of a clustered node and
 * the domain meters of its services, every series tagged with the node's id; and the domain meters move with what
 * clients do (a FAF login, an oversize frame, a CL Omega lobby).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class NodeMetricsTest {

  private static final int LIMIT = 4096;

  @RegisterExtension
  static final TestNode NODE = new TestNode("METRICS_REFRESH_MS", "100", "MAX_MESSAGE_BYTES", String.valueOf(LIMIT));

  @Test
  @DisplayName("a FAF login raises skirmish_players_online{protocol=faf} and records a skirmish_login time")
  void fafLogin(Vertx vertx, VertxTestContext ctx) {
    Node node = NODE.node();
    int port = node.managementPort();
    FafTestSupport.loggedIn(vertx, node, "metr")
      .compose(p -> Scrapes.await(vertx, port, v -> v >= 1, "skirmish_players_online", "protocol", "faf", "node", node.id())
        .map(body -> {
          ctx.verify(() -> {
            assertThat(Scrapes.value(body, "skirmish_connections", "protocol", "faf").orElse(-1)).isGreaterThanOrEqualTo(1);
            assertThat(Scrapes.value(body, "skirmish_login_seconds_count", "protocol", "faf").orElse(-1)).isGreaterThanOrEqualTo(1);
            assertThat(body).contains("skirmish_login_seconds_bucket{").as("login latency histogram");
          });
          return p;
        })
        .compose(p2 -> p2.client().close()))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("an oversize FAF frame raises skirmish_frames_rejected_total{protocol=faf,reason=oversize}")
  void oversizeFrame(Vertx vertx, VertxTestContext ctx) {
    Node node = NODE.node();
    FafClient.webSocket(vertx, node.httpPort())
      .compose(client -> {
        client.sendRaw("{\"command\":\"ping\",\"pad\":\"" + "x".repeat(LIMIT) + "\"}\n");
        return client.expectClosed();
      })
      .compose(v -> Scrapes.await(vertx, node.managementPort(), n -> n >= 1, "skirmish_frames_rejected_total",
        "protocol", "faf", "reason", "oversize"))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a CL Omega lobby raises skirmish_omega_lobbies and skirmish_omega_peers")
  void omegaLobby(Vertx vertx, VertxTestContext ctx) {
    Node node = NODE.node();
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, node);
    kit.newGame()
      .compose(ugi -> kit.player(ugi, "metrh"))
      .compose(host -> kit.host(host, hostConfig(lobbyName("metrics"))))
      .compose(v -> Scrapes.await(vertx, node.managementPort(), n -> n >= 1, "skirmish_omega_lobbies", "node", node.id()))
      .map(body -> {
        ctx.verify(() -> assertThat(Scrapes.value(body, "skirmish_omega_peers").orElse(-1)).isGreaterThanOrEqualTo(1));
        return null;
      })
      .compose(v -> kit.closeAll())
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a matchmaker-only and a games-only node of a cluster answer /health, /ready and /metrics with JVM, cluster and domain meters")
  void serviceNodesOfACluster(Vertx vertx, VertxTestContext ctx) {
    ClusterTestNodes cluster = ClusterTestNodes.create("metrics");
    WebClient web = WebClient.create(vertx);
    cluster.start("ROLES", "matchmaker").compose(matchmaker -> cluster.start("ROLES", "games", "METRICS_REFRESH_MS", "100")
      .compose(games -> cluster.start("ROLES", "gateway,party,signaling").compose(gateway ->
        Future.all(scrapeAll(web, matchmaker), scrapeAll(web, games))
          .compose(all -> {
            List<HttpResponse<Buffer>> mm = all.resultAt(0);
            List<HttpResponse<Buffer>> gm = all.resultAt(1);
            ctx.verify(() -> {
              checkServiceNode(mm, matchmaker, "matchmaker");
              checkServiceNode(gm, games, "games");
              assertThat(mm.get(2).bodyAsString()).contains("skirmish_matchmaker_queue_players{");
              assertThat(Scrapes.value(gm.get(2).bodyAsString(), "skirmish_games", "state", "LOBBY", "node", games.id()))
                .as("the games gauge of the games node").isPresent();
            });
            // every member sees the three (the last one's arrival may reach the others a moment after it started)
            return Future.all(
              Scrapes.await(vertx, matchmaker.managementPort(), v -> v == 3, "skirmish_cluster_members", "node", matchmaker.id()),
              Scrapes.await(vertx, games.managementPort(), v -> v == 3, "skirmish_cluster_members", "node", games.id()));
          })
          .eventually(() -> gateway.close()))
        .eventually(() -> games.close()))
      .eventually(() -> matchmaker.close()))
      .onComplete(ctx.succeedingThenComplete());
  }

  private static Future<List<HttpResponse<Buffer>>> scrapeAll(WebClient web, Node node) {
    int port = node.managementPort();
    return Future.all(web.get(port, "127.0.0.1", "/health").send(), web.get(port, "127.0.0.1", "/ready").send(),
        web.get(port, "127.0.0.1", "/metrics").send())
      .map(all -> List.of(all.<HttpResponse<Buffer>>resultAt(0), all.<HttpResponse<Buffer>>resultAt(1),
        all.<HttpResponse<Buffer>>resultAt(2)));
  }

  private static void checkServiceNode(List<HttpResponse<Buffer>> answers, Node node, String role) {
    assertThat(answers.get(0).statusCode()).as("/health of the %s node", role).isEqualTo(200);
    assertThat(answers.get(1).statusCode()).as("/ready of the %s node", role).isEqualTo(200);
    assertThat(answers.get(1).bodyAsJsonObject().getJsonArray("roles").getList()).containsExactly(role);
    String body = answers.get(2).bodyAsString();
    for (String meter : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_gc_", "jvm_classes_loaded",
      "process_cpu_usage", "process_files_open_files", "process_uptime_seconds", "vertx_eventbus_")) {
      assertThat(body).as("/metrics of the %s node", role).contains(meter);
    }
    assertThat(Scrapes.value(body, "jvm_threads_live_threads", "node", node.id()))
      .as("JVM meters carry the node tag").isPresent();
    assertThat(Scrapes.value(body, "skirmish_cluster_members", "node", node.id())).isPresent();
    assertThat(Scrapes.value(body, "skirmish_cluster_partitions_owned", "node", node.id())).isPresent();
  }
}
