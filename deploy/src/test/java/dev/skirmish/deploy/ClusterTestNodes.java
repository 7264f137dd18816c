package dev.skirmish.deploy;

import dev.skirmish.common.testing.TestDatabase;
import io.vertx.core.Future;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A private loopback Hazelcast cluster for one test class: a unique cluster name and a block of free ports
 * away from the default 5701, every one of them listed as a TCP-IP member so that joining is immediate.
 */
final class ClusterTestNodes {

  private static final int SLOTS = 4;

  static {
    // A joining member normally waits 5 s for others starting at the same moment; test members start one by one.
    // (A Hazelcast property that the bundled cluster.xml leaves unset, so the system property applies.)
    if (System.getProperty("hazelcast.wait.seconds.before.join") == null) {
      System.setProperty("hazelcast.wait.seconds.before.join", "0");
    }
  }

  private final String name;
  private final int basePort;
  private int next;

  private ClusterTestNodes(String name, int basePort) {
    this.name = name;
    this.basePort = basePort;
  }

  /** A new cluster whose name starts with {@code prefix}. */
  static ClusterTestNodes create(String prefix) {
    return new ClusterTestNodes(prefix + "-" + Long.toString(System.nanoTime(), 36), freeBlock());
  }

  String name() {
    return name;
  }

  /** The TCP-IP member list: every port of the block. */
  String members() {
    return IntStream.range(0, SLOTS).mapToObj(i -> "127.0.0.1:" + (basePort + i)).collect(Collectors.joining(","));
  }

  /** Starts the next member of the cluster (on the shared test database), with extra {@code KEY, value} overrides. */
  synchronized Future<Node> start(String... overrides) {
    return TestNodes.start(nextMember(overrides));
  }

  /**
   * The environment of the next member, for a node started in a JVM of its own (its {@code HTTP_PORT} is the
   * caller's to set).
   */
  synchronized Map<String, String> nextEnvironment(String... overrides) {
    return TestNodes.environment(nextMember(overrides));
  }

  private String[] nextMember(String... overrides) {
    if (next >= SLOTS) {
      throw new IllegalStateException("this test cluster has room for " + SLOTS + " members");
    }
    List<String> args = new ArrayList<>(List.of(
      "CLUSTER", "true",
      "CLUSTER_NAME", name,
      "CLUSTER_PORT", String.valueOf(basePort + next++),
      "CLUSTER_MEMBERS", members(),
      "EVENTBUS_HOST", "127.0.0.1",
      "DATABASE_URL", TestDatabase.url()));
    args.addAll(List.of(overrides));
    return args.toArray(String[]::new);
  }

  /** A random block of {@link #SLOTS} consecutive free loopback ports in 15000-25000. */
  private static int freeBlock() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 100; attempt++) {
      int base = 15000 + random.nextInt(10000 - SLOTS);
      if (IntStream.range(0, SLOTS).allMatch(i -> isFree(base + i))) {
        return base;
      }
    }
    throw new IllegalStateException("no block of " + SLOTS + " free ports in 15000-25000");
  }

  private static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
