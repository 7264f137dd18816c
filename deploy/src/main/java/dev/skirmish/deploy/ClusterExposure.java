package dev.skirmish.deploy;

import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.Setting;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * Refuses to start a clustered node whose cluster ports can be reached from a public address.
 *
 * <p>Hazelcast's member protocol (open-source edition) has no member authentication, and the clustered event
 * bus has none unless mutual TLS is configured ({@code EVENTBUS_TLS_*}): anyone who reaches those ports can join
 * the cluster, read its maps and send any service any command. So a clustered node only binds them to
 * loopback or private addresses (RFC 1918, CGNAT 100.64/10, link-local, IPv6 unique-local); a wildcard bind
 * ({@code 0.0.0.0}) is accepted when every address of the host is such an address, as in a container or a pod.
 * {@code CLUSTER_INSECURE=true} overrides the check (a warning is logged instead). The event bus may bind a
 * public address when mutual TLS is on; Hazelcast never may without the override.
 */
final class ClusterExposure {

  private ClusterExposure() {
  }

  /** The ports and the public addresses they would be reachable on; empty when none. */
  record Finding(String setting, String bind, List<String> publicAddresses) {
  }

  /**
   * The cluster binds that are reachable on a public address of this host: Hazelcast's ({@code hazelcastBinds},
   * see {@link ClusterSupport#binds}) and the event bus's ({@code EVENTBUS_HOST}, unless mutual TLS is on);
   * {@code localAddresses} lists the host's addresses, for wildcard binds.
   */
  static List<Finding> publicBinds(NodeConfig config, List<String> hazelcastBinds,
                                   Supplier<List<InetAddress>> localAddresses) {
    List<Finding> found = new ArrayList<>();
    for (String bind : hazelcastBinds) {
      check(found, Setting.CLUSTER_INTERFACE, bind, localAddresses);
    }
    boolean eventBusTls = !config.get(Setting.EVENTBUS_TLS_CERT).isBlank();
    if (!eventBusTls) {
      check(found, Setting.EVENTBUS_HOST, config.get(Setting.EVENTBUS_HOST), localAddresses);
    }
    return found;
  }

  /** Throws when a cluster port would be public and {@code CLUSTER_INSECURE} is not true; returns the findings. */
  static List<Finding> enforce(NodeConfig config, List<String> hazelcastBinds,
                                Supplier<List<InetAddress>> localAddresses) {
    List<Finding> found = publicBinds(config, hazelcastBinds, localAddresses);
    if (!found.isEmpty() && !config.getBoolean(Setting.CLUSTER_INSECURE)) {
      StringBuilder msg = new StringBuilder("refusing to start a clustered node reachable from a public address: ");
      for (Finding f : found) {
        msg.append(f.setting()).append('=').append(f.bind()).append(" is reachable on ")
          .append(String.join(", ", f.publicAddresses())).append("; ");
      }
      msg.append("the cluster protocol has no member authentication. Bind CLUSTER_INTERFACE and EVENTBUS_HOST to a"
        + " private address (or enable event-bus mutual TLS with EVENTBUS_TLS_CERT/KEY/CA), or set"
        + " CLUSTER_INSECURE=true if a firewall already keeps these ports private.");
      throw new IllegalStateException(msg.toString());
    }
    return found;
  }

  /** Every address of this host's interfaces that are up. */
  static List<InetAddress> hostAddresses() {
    List<InetAddress> out = new ArrayList<>();
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (nif.isUp()) {
          out.addAll(Collections.list(nif.getInetAddresses()));
        }
      }
    } catch (SocketException e) {
      throw new IllegalStateException("could not list the network interfaces: " + e.getMessage(), e);
    }
    return out;
  }

  /** Loopback, private (RFC 1918, CGNAT), link-local or IPv6 unique-local. */
  static boolean isPrivate(InetAddress a) {
    if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      // 100.64.0.0/10, carrier-grade NAT
      return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
    }
    if (a instanceof Inet6Address) {
      // fc00::/7, unique local
      return (b[0] & 0xfe) == 0xfc;
    }
    return false;
  }

  private static void check(List<Finding> found, Setting setting, String bind, Supplier<List<InetAddress>> local) {
    String host = bind.trim();
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(setting.name() + ": cannot resolve " + host, e);
    }
    List<String> exposed = new ArrayList<>();
    if (address.isAnyLocalAddress()) {
      for (InetAddress a : local.get()) {
        if (!isPrivate(a)) {
          exposed.add(a.getHostAddress());
        }
      }
    } else if (!isPrivate(address)) {
      exposed.add(address.getHostAddress());
    }
    if (!exposed.isEmpty()) {
      found.add(new Finding(setting.name(), host, exposed));
    }
  }
}
