package dev.skirmish.deploy;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.net.SelfSignedCertificate;
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
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event-bus mutual TLS between real clustered nodes: two nodes holding certificates of the cluster's authority
 * exchange messages; a third member that joins Hazelcast with a certificate of another authority can reach
 * neither's consumers.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class EventBusTlsTest {

  private static final String ADDRESS = "test.tls.echo";
  private static final AtomicInteger RECEIVED_FROM_STRANGER = new AtomicInteger();

  private static final List<Node> NODES = new ArrayList<>();
  private static Node a;
  private static Node b;
  private static Node stranger;

  @BeforeAll
  static void startCluster() throws Exception {
    ClusterTestNodes cluster = ClusterTestNodes.create("eventbus-tls");
    SelfSignedCertificate authority = SelfSignedCertificate.create("skirmish-cluster");
    SelfSignedCertificate other = SelfSignedCertificate.create("someone-else");
    // Every member of the cluster holds the authority's certificate (self-signed: it is its own authority).
    a = start(cluster, authority);
    b = start(cluster, authority);
    stranger = start(cluster, other);
    b.vertx().eventBus().<String>consumer(ADDRESS, m -> {
      if ("from the stranger".equals(m.body())) {
        RECEIVED_FROM_STRANGER.incrementAndGet();
      }
      m.reply("echo: " + m.body());
    }).completion().await(30, TimeUnit.SECONDS);
  }

  private static Node start(ClusterTestNodes cluster, SelfSignedCertificate cert) throws Exception {
    Node node = cluster.start("ROLES", "party",
      "EVENTBUS_TLS_CERT", cert.certificatePath(),
      "EVENTBUS_TLS_KEY", cert.privateKeyPath(),
      "EVENTBUS_TLS_CA", cert.certificatePath()).await(2, TimeUnit.MINUTES);
    NODES.add(node);
    return node;
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (Node n : NODES) {
      n.close().await(1, TimeUnit.MINUTES);
    }
  }

  @Test
  @DisplayName("nodes with the cluster's certificates talk over TLS; a member with a foreign certificate is refused")
  void onlyCertifiedNodesTalk(VertxTestContext ctx) {
    a.vertx().eventBus().<String>request(ADDRESS, "hello")
      .onComplete(ctx.succeeding(reply -> ctx.verify(() -> assertThat(reply.body()).isEqualTo("echo: hello"))))
      .compose(ok -> stranger.vertx().eventBus().<String>request(ADDRESS, "from the stranger",
        new DeliveryOptions().setSendTimeout(5000)))
      .onComplete(ar -> ctx.verify(() -> {
        assertThat(ar.succeeded()).as("the stranger's request").isFalse();
        assertThat(RECEIVED_FROM_STRANGER.get()).isZero();
        ctx.completeNow();
      }));
  }
}
