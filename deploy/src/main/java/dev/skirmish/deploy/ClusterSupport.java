package dev.skirmish.deploy;

import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.XmlConfigBuilder;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.Setting;

import java.io.FileNotFoundException;
import java.io.InputStream;
import java.util.Arrays;

/** Builds the Hazelcast configuration from the bundled (or configured) XML file plus the node settings. */
final class ClusterSupport {

  private ClusterSupport() {
  }

  static Config hazelcastConfig(NodeConfig config) {
    Config hz = load(config.get(Setting.CLUSTER_CONFIG));
    hz.setClusterName(config.get(Setting.CLUSTER_NAME));
    hz.getNetworkConfig().setPort(config.getInt(Setting.CLUSTER_PORT)).setPortAutoIncrement(true);
    JoinConfig join = hz.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    String k8s = config.get(Setting.CLUSTER_KUBERNETES_SERVICE);
    if (!k8s.isBlank()) {
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig().setEnabled(true).setProperty("service-name", k8s);
    } else if (config.get(Setting.CLUSTER_CONFIG).isBlank()) {
      join.getTcpIpConfig().setEnabled(true).getMembers().clear();
      Arrays.stream(config.get(Setting.CLUSTER_MEMBERS).split(","))
        .map(String::trim).filter(m -> !m.isEmpty())
        .forEach(m -> join.getTcpIpConfig().addMember(m));
    }
    return hz;
  }

  private static Config load(String file) {
    if (!file.isBlank()) {
      try {
        return new FileSystemXmlConfig(file);
      } catch (FileNotFoundException e) {
        throw new IllegalArgumentException("CLUSTER_CONFIG: no such file " + file, e);
      }
    }
    InputStream in = ClusterSupport.class.getClassLoader().getResourceAsStream("cluster.xml");
    if (in == null) {
      throw new IllegalStateException("cluster.xml missing from the classpath");
    }
    return new XmlConfigBuilder(in).build();
  }
}
