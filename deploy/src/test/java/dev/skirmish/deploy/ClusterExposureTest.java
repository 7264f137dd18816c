package dev.skirmish.deploy;

import com.hazelcast.config.Config;
import dev.skirmish.common.NodeConfig;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A clustered node refuses to expose its unauthenticated cluster ports on a public address. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ClusterExposureTest {

  private static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static final List<InetAddress> PRIVATE_HOST = List.of(ip("127.0.0.1"), ip("10.1.2.3"), ip("fe80::1"));
  private static final List<InetAddress> PUBLIC_HOST = List.of(ip("127.0.0.1"), ip("10.1.2.3"), ip("203.0.113.7"));

  @Test
  @DisplayName("loopback, RFC 1918, CGNAT, link-local and IPv6 unique-local are private; anything else is public")
  void classification() {
    for (String a : List.of("127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "100.64.0.1", "100.127.255.254",
      "169.254.1.1", "::1", "fe80::1", "fd12:3456::1")) {
      assertThat(ClusterExposure.isPrivate(ip(a))).as(a).isTrue();
    }
    for (String a : List.of("8.8.8.8", "203.0.113.5", "100.128.0.1", "172.32.0.1", "2001:db8::1")) {
      assertThat(ClusterExposure.isPrivate(ip(a))).as(a).isFalse();
    }
  }

  @Test
  @DisplayName("the defaults (loopback) pass; a wildcard passes on a host whose every address is private")
  void privateBindsPass() {
    NodeConfig defaults = NodeConfig.of();
    Config hz = ClusterSupport.hazelcastConfig(defaults, "N1");
    assertThat(ClusterSupport.binds(hz)).containsExactly("127.0.0.1");
    assertThat(ClusterExposure.enforce(defaults, ClusterSupport.binds(hz), () -> PUBLIC_HOST)).isEmpty();

    NodeConfig wildcard = NodeConfig.of("CLUSTER_INTERFACE", "0.0.0.0", "EVENTBUS_HOST", "0.0.0.0");
    List<String> binds = ClusterSupport.binds(ClusterSupport.hazelcastConfig(wildcard, "N2"));
    assertThat(binds).containsExactly("0.0.0.0");
    assertThat(ClusterExposure.enforce(wildcard, binds, () -> PRIVATE_HOST)).isEmpty();
  }

  @Test
  @DisplayName("a wildcard on a host with a public address, or a public address, is refused unless CLUSTER_INSECURE=true")
  void publicBindsAreRefused() {
    NodeConfig wildcard = NodeConfig.of("CLUSTER_INTERFACE", "0.0.0.0", "EVENTBUS_HOST", "0.0.0.0");
    List<String> binds = ClusterSupport.binds(ClusterSupport.hazelcastConfig(wildcard, "N3"));
    assertThatThrownBy(() -> ClusterExposure.enforce(wildcard, binds, () -> PUBLIC_HOST))
      .isInstanceOf(IllegalStateException.class)
      .hasMessageContaining("CLUSTER_INTERFACE=0.0.0.0 is reachable on 203.0.113.7")
      .hasMessageContaining("EVENTBUS_HOST=0.0.0.0 is reachable on 203.0.113.7")
      .hasMessageContaining("CLUSTER_INSECURE=true");

    NodeConfig insecure = wildcard.with(dev.skirmish.common.Setting.CLUSTER_INSECURE, "true");
    assertThat(ClusterExposure.enforce(insecure, binds, () -> PUBLIC_HOST))
      .extracting(ClusterExposure.Finding::setting).containsExactly("CLUSTER_INTERFACE", "EVENTBUS_HOST");

    NodeConfig publicEventBus = NodeConfig.of("EVENTBUS_HOST", "203.0.113.7");
    assertThat(ClusterExposure.publicBinds(publicEventBus, List.of("127.0.0.1"), () -> PRIVATE_HOST))
      .extracting(ClusterExposure.Finding::setting).containsExactly("EVENTBUS_HOST");
  }

  @Test
  @DisplayName("with event-bus mutual TLS the event bus may bind a public address; Hazelcast still may not")
  void tlsCoversTheEventBusOnly() {
    NodeConfig tls = NodeConfig.of("EVENTBUS_HOST", "0.0.0.0", "CLUSTER_INTERFACE", "0.0.0.0",
      "EVENTBUS_TLS_CERT", "/certs/node.pem", "EVENTBUS_TLS_KEY", "/certs/node.key", "EVENTBUS_TLS_CA", "/certs/ca.pem");
    assertThat(ClusterExposure.publicBinds(tls, List.of("0.0.0.0"), () -> PUBLIC_HOST))
      .extracting(ClusterExposure.Finding::setting).containsExactly("CLUSTER_INTERFACE");
  }

  @Test
  @DisplayName("a clustered node asked to bind Hazelcast to a public address does not start, and says why")
  void nodeRefusesToStart(Vertx vertx, VertxTestContext ctx) {
    TestNodes.start("CLUSTER", "true", "CLUSTER_INTERFACE", "203.0.113.5")
      .onComplete(ctx.failing(err -> ctx.verify(() -> {
        assertThat(err).hasMessageContaining("refusing to start a clustered node reachable from a public address")
          .hasMessageContaining("CLUSTER_INTERFACE=203.0.113.5");
        ctx.completeNow();
      })));
  }
}
