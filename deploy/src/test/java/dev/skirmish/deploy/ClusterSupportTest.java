package dev.skirmish.deploy;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import dev.skirmish.common.NodeConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** How the node settings shape the Hazelcast configuration (no member is started). */
class ClusterSupportTest {

  @Test
  @DisplayName("bundled cluster.xml: name, port and TCP-IP members come from the settings; multicast stays off")
  void bundledFileTakesTheSettings() {
    Config hz = ClusterSupport.hazelcastConfig(NodeConfig.of(
      "CLUSTER_NAME", "blue", "CLUSTER_PORT", "17000", "CLUSTER_MEMBERS", "10.0.0.1:17000, 10.0.0.2"), "NODE1");
    JoinConfig join = hz.getNetworkConfig().getJoin();
    assertThat(hz.getClusterName()).isEqualTo("blue");
    assertThat(hz.getNetworkConfig().getPort()).isEqualTo(17000);
    assertThat(hz.getNetworkConfig().isPortAutoIncrement()).isTrue();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.0.0.1:17000", "10.0.0.2");
    assertThat(hz.getMemberAttributeConfig().getAttribute(ClusterSupport.NODE_ATTRIBUTE)).isEqualTo("NODE1");
    // The maps the Vert.x cluster manager and the session directories rely on are configured.
    assertThat(hz.getMultiMapConfigs()).containsKey("__vertx.subs");
    assertThat(hz.getMapConfigs()).containsKeys("faf.sessions", "omega.sessions");
    assertThat(hz.getProperty(ClusterSupport.GRACEFUL_SHUTDOWN_WAIT)).isEqualTo("20");
  }

  @Test
  @DisplayName("SHUTDOWN_GRACE_SECONDS bounds Hazelcast's hand-over of partitions: 5 s less, at least 1 s")
  void handOverFitsTheDrain() {
    assertThat(ClusterSupport.hazelcastConfig(NodeConfig.of("SHUTDOWN_GRACE_SECONDS", "60"), "N")
      .getProperty(ClusterSupport.GRACEFUL_SHUTDOWN_WAIT)).isEqualTo("55");
    assertThat(ClusterSupport.hazelcastConfig(NodeConfig.of("SHUTDOWN_GRACE_SECONDS", "3"), "N")
      .getProperty(ClusterSupport.GRACEFUL_SHUTDOWN_WAIT)).isEqualTo("1");
  }

  @Test
  @DisplayName("CLUSTER_KUBERNETES_SERVICE switches TCP-IP off and Kubernetes discovery on")
  void kubernetesDiscovery() {
    Config hz = ClusterSupport.hazelcastConfig(NodeConfig.of("CLUSTER_KUBERNETES_SERVICE", "skirmish-hz"), "NODE2");
    JoinConfig join = hz.getNetworkConfig().getJoin();
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-name")).isEqualTo("skirmish-hz");
  }

  @Test
  @DisplayName("CLUSTER_CONFIG file: its own name, port and join survive unless a setting is given explicitly")
  void customFileKeepsItsOwnNetwork(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("hz.xml");
    Files.writeString(file, """
      <hazelcast xmlns="http://www.hazelcast.com/schema/config">
        <cluster-name>from-file</cluster-name>
        <network>
          <port auto-increment="true">6100</port>
          <join>
            <multicast enabled="false"/>
            <tcp-ip enabled="true"><member>192.168.1.5</member></tcp-ip>
          </join>
        </network>
      </hazelcast>
      """);
    Config kept = ClusterSupport.hazelcastConfig(NodeConfig.of("CLUSTER_CONFIG", file.toString()), "NODE3");
    assertThat(kept.getClusterName()).isEqualTo("from-file");
    assertThat(kept.getNetworkConfig().getPort()).isEqualTo(6100);
    assertThat(kept.getNetworkConfig().getJoin().getTcpIpConfig().getMembers()).containsExactly("192.168.1.5");
    assertThat(kept.getMemberAttributeConfig().getAttribute(ClusterSupport.NODE_ATTRIBUTE)).isEqualTo("NODE3");

    Config overridden = ClusterSupport.hazelcastConfig(NodeConfig.of("CLUSTER_CONFIG", file.toString(),
      "CLUSTER_NAME", "green", "CLUSTER_MEMBERS", "192.168.1.9"), "NODE4");
    assertThat(overridden.getClusterName()).isEqualTo("green");
    assertThat(overridden.getNetworkConfig().getPort()).isEqualTo(6100);
    assertThat(overridden.getNetworkConfig().getJoin().getTcpIpConfig().getMembers()).containsExactly("192.168.1.9");
  }
}
