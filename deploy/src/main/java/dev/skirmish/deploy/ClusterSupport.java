package dev.skirmish.deploy;

import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.InterfacesConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.XmlConfigBuilder;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.Setting;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the Hazelcast configuration from the bundled (or configured) XML file plus the node settings.
 *
 * <p>With the bundled file, CLUSTER_NAME, CLUSTER_PORT, CLUSTER_INTERFACE, CLUSTER_MEMBERS and
 * CLUSTER_KUBERNETES_SERVICE define the network. A file named by CLUSTER_CONFIG replaces the bundled one: its join section is kept as
 * written, and the name and port settings override it only when they are set to something other than
 * their defaults.
 */
final class ClusterSupport {

  /** Member attribute carrying the Skirmish node id, so that others know whose sessions a departed member held. */
  static final String NODE_ATTRIBUTE = "skirmish.node";
  /** Hazelcast property: whether the member binds every address (true) or only its chosen interface. */
  private static final String BIND_ANY = "hazelcast.socket.bind.any";
  /** Hazelcast property: the longest a leaving member waits for its partitions to be handed over, in seconds. */
  static final String GRACEFUL_SHUTDOWN_WAIT = "hazelcast.graceful.shutdown.max.wait";

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
    if (!customFile || isSet(config, Setting.CLUSTER_INTERFACE)) {
      String bind = config.get(Setting.CLUSTER_INTERFACE).trim();
      InterfacesConfig interfaces = hz.getNetworkConfig().getInterfaces().clear();
      if (isWildcard(bind)) {
        interfaces.setEnabled(false);
        hz.setProperty(BIND_ANY, "true");
      } else {
        interfaces.setEnabled(true).addInterface(bind);
        hz.setProperty(BIND_ANY, "false");
      }
    }
    if (!customFile) {
      // A leaving member hands its partitions over within the node's drain, leaving 5 s of it for the rest.
      hz.setProperty(GRACEFUL_SHUTDOWN_WAIT, String.valueOf(gracefulShutdownWaitSeconds(config)));
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

  /** How long Hazelcast may take to hand this member's partitions over: SHUTDOWN_GRACE_SECONDS less 5 s, at least 1 s. */
  static int gracefulShutdownWaitSeconds(NodeConfig config) {
    return Math.max(1, config.getInt(Setting.SHUTDOWN_GRACE_SECONDS) - 5);
  }

  /**
   * The addresses Hazelcast binds with {@code hz}: its interfaces when they are enabled, literal and not bound
   * to every address; otherwise the wildcard {@code 0.0.0.0}.
   */
  static List<String> binds(Config hz) {
    InterfacesConfig interfaces = hz.getNetworkConfig().getInterfaces();
    boolean bindAny = !"false".equalsIgnoreCase(hz.getProperty(BIND_ANY));
    if (bindAny || !interfaces.isEnabled() || interfaces.getInterfaces().isEmpty()) {
      return List.of("0.0.0.0");
    }
    List<String> out = new ArrayList<>();
    for (String i : interfaces.getInterfaces()) {
      // A range or wildcard pattern (10.0.*.*, 10.0.1-9.*) may match any address: check as a wildcard.
      out.add(i.contains("*") || i.contains("-") ? "0.0.0.0" : i);
    }
    return out;
  }

  private static boolean isWildcard(String host) {
    return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("*");
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
