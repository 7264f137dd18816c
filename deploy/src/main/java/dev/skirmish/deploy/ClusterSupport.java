package dev.skirmish.deploy;

import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.XmlConfigBuilder;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.Setting;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Builds the Hazelcast configuration from the bundled (or configured) XML file plus the node settings.
 *
 * <p>With the bundled file, CLUSTER_NAME, CLUSTER_PORT, CLUSTER_MEMBERS and CLUSTER_KUBERNETES_SERVICE
 * define the network. A file named by CLUSTER_CONFIG replaces the bundled one: its join section is kept as
 * written, and the name and port settings override it only when they are set to something other than
 * their defaults.
 */
final class ClusterSupport {

  /** Member attribute carrying the Skirmish node id, so that others know whose sessions a departed member held. */
  static final String NODE_ATTRIBUTE = "skirmish.node";

  private ClusterSupport() {
  }

  static Config hazelcastConfig(NodeConfig config, String nodeId) {
    boolean customFile = !config.get(Setting.CLUSTER_CONFIG).isBlank();
    Config hz = load(config.get(Setting.CLUSTER_CONFIG));
    hz.setInstanceName("skirmish-" + nodeId);
    hz.getMemberAttributeConfig().setAttribute(NODE_ATTRIBUTE, nodeId);
    if (!customFile || isSet(config, Setting.CLUSTER_NAME)) {
      hz.setClusterName(config.get(Setting.CLUSTER_NAME));
    }
    if (!customFile || isSet(config, Setting.CLUSTER_PORT)) {
      hz.getNetworkConfig().setPort(config.getInt(Setting.CLUSTER_PORT)).setPortAutoIncrement(true);
    }
    JoinConfig join = hz.getNetworkConfig().getJoin();
    String k8s = config.get(Setting.CLUSTER_KUBERNETES_SERVICE).trim();
    if (!k8s.isEmpty()) {
      join.getMulticastConfig().setEnabled(false);
      join.getAutoDetectionConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig().setEnabled(true).setProperty("service-name", k8s);
    } else if (!customFile || isSet(config, Setting.CLUSTER_MEMBERS)) {
      join.getMulticastConfig().setEnabled(false);
      join.getAutoDetectionConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(true).getMembers().clear();
      Arrays.stream(config.get(Setting.CLUSTER_MEMBERS).split(","))
        .map(String::trim).filter(m -> !m.isEmpty())
        .forEach(m -> join.getTcpIpConfig().addMember(m));
    }
    return hz;
  }

  private static boolean isSet(NodeConfig config, Setting setting) {
    return !config.get(setting).trim().equals(setting.defaultValue());
  }

  private static Config load(String file) {
    if (!file.isBlank()) {
      try {
        return new FileSystemXmlConfig(file);
      } catch (FileNotFoundException e) {
        throw new IllegalArgumentException("CLUSTER_CONFIG: no such file " + file, e);
      }
    }
    try (InputStream in = ClusterSupport.class.getClassLoader().getResourceAsStream("cluster.xml")) {
      if (in == null) {
        throw new IllegalStateException("cluster.xml missing from the classpath");
      }
      return new XmlConfigBuilder(in).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
