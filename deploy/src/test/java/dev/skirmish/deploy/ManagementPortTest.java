package dev.skirmish.deploy;

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

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every node answers /health, /ready and /metrics on its management port, whatever its roles: a node that runs
 * only the matchmaker (no gateway, no HTTP port) can be probed and scraped.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class ManagementPortTest {

  @Test
  @DisplayName("a matchmaker-only node: /health 200, /ready 200 naming its role and the database, /metrics in Prometheus form")
  void serviceOnlyNode(Vertx vertx, VertxTestContext ctx) {
    WebClient web = WebClient.create(vertx);
    TestNodes.start("ROLES", "matchmaker", "METRICS_ENABLED", "true").compose(node -> {
      int port = node.managementPort();
      ctx.verify(() -> {
        assertThat(node.httpPort()).as("no gateway, no HTTP port").isEqualTo(-1);
        assertThat(port).isPositive();
      });
      return Future.all(
          web.get(port, "127.0.0.1", "/health").send(),
          web.get(port, "127.0.0.1", "/ready").send(),
          web.get(port, "127.0.0.1", "/metrics").send())
        .map(all -> {
          ctx.verify(() -> {
            assertThat(all.<HttpResponse<Buffer>>resultAt(0).statusCode()).isEqualTo(200);
            var ready = all.<HttpResponse<Buffer>>resultAt(1);
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.bodyAsJsonObject().getString("status")).isEqualTo("READY");
            assertThat(ready.bodyAsJsonObject().getString("database")).isEqualTo("up");
            assertThat(ready.bodyAsJsonObject().getJsonArray("roles").getList()).containsExactly("matchmaker");
            var metrics = all.<HttpResponse<Buffer>>resultAt(2);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.bodyAsString()).contains("# TYPE").contains("vertx_");
          });
          return node;
        })
        .compose(n -> n.close().compose(v -> web.get(port, "127.0.0.1", "/health").send()
          .transform(ar -> {
            ctx.verify(() -> assertThat(ar.failed()).as("the port closes with the node").isTrue());
            return Future.<Void>succeededFuture();
          })));
    }).onComplete(ctx.succeedingThenComplete());
  }
}
