package dev.skirmish.deploy;

import dev.skirmish.common.Database;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.Setting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts one node from the environment and drains it on SIGTERM/SIGINT within {@code SHUTDOWN_GRACE_SECONDS}
 * (see {@link Node#close()} for the order).
 * {@code relay-benchmark [options]} runs the CL Omega relay benchmark instead (bare relay, PeerJS, one node, cluster),
 * {@code faf-relay-benchmark} (same options) the FAF game relay benchmark,
 * {@code faf-login-benchmark [--max N] [--bands N,N] [--inflight N] [--heap-at N,N] [--bare true|false] ...} the FAF
 * login benchmark (logins as players come online, node in a child JVM, next to a bare Vert.x server),
 * {@code omega-idle-benchmark [--connections N] ...} the heap per idle authenticated CL Omega connection,
 * {@code matchmaker-benchmark [--sizes N,N] [--pops N] [--seed N]} the matchmaker pop benchmark, {@code database}
 * only the embedded PostgreSQL (for the nodes of a local cluster, see {@code deploy/cluster.sh}).
 */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("java.net.preferIPv4Stack", "true");
    System.setProperty("hazelcast.logging.type", "slf4j");
    // The configuration is read before anything logs: LOG_LEVEL and LOG_FORMAT shape the logging set-up.
    NodeConfig config = null;
    String invalid = null;
    try {
      config = NodeConfig.fromEnvironment();
      LogSettings.apply(config);
    } catch (RuntimeException e) {
      invalid = e.getMessage();
    }
    if (args.length > 0 && "relay-benchmark".equals(args[0])) {
      dev.skirmish.deploy.load.OmegaRelayBenchmark.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && "faf-relay-benchmark".equals(args[0])) {
      dev.skirmish.deploy.load.FafRelayBenchmark.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && "faf-login-benchmark".equals(args[0])) {
      dev.skirmish.deploy.load.FafLoginBenchmark.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && "omega-idle-benchmark".equals(args[0])) {
      dev.skirmish.deploy.load.OmegaIdleBenchmark.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && "chaos".equals(args[0])) {
      dev.skirmish.deploy.chaos.ChaosRun.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && "database".equals(args[0])) {
      DatabaseServer.run();
      return;
    }
    if (args.length > 0 && "matchmaker-benchmark".equals(args[0])) {
      dev.skirmish.matchmaker.bench.MatchmakerBenchmark.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (invalid != null) {
      System.err.println("Invalid configuration: " + invalid);
      System.exit(2);
      return;
    }
    if (config.get(Setting.DATABASE_URL).isBlank() && !Database.embeddedAvailable()) {
      System.err.println("Invalid configuration: " + Database.EMBEDDED_MISSING);
      System.exit(2);
      return;
    }
    Logger log = LoggerFactory.getLogger(Main.class);
    log.info("Configuration: {}", config);
    Node node;
    try {
      node = Node.start(config).await(10, TimeUnit.MINUTES);
    } catch (Exception e) {
      log.error("Node failed to start", e);
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    int grace = config.getInt(Setting.SHUTDOWN_GRACE_SECONDS);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("Shutting down: draining within {} s (SHUTDOWN_GRACE_SECONDS)", grace);
      long began = System.nanoTime();
      try {
        node.close().await(grace, TimeUnit.SECONDS);
        log.info("Drained in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
      } catch (Exception e) {
        log.warn("Unclean shutdown: the drain did not finish within {} s ({})", grace, e.toString());
      }
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
  }
}
