package dev.skirmish.deploy.load;

import dev.skirmish.common.NodeConfig;
import dev.skirmish.deploy.Node;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.pgclient.PgConnectOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * The course shared by the relay benchmarks, in one JVM: the load against a bare Vert.x WebSocket echo
 * server (the ceiling), then against one node, then against a two-node cluster (host side on node A, peer
 * side on node B); then one table with the figures and their ratios to the ceiling. Without
 * {@code DATABASE_URL} the nodes share an embedded PostgreSQL in a temporary directory.
 */
final class RelayBenchmarks {

  /** A relay load: pairs of clients, host side on {@code hostSide}, the sending side on {@code peerSide}. */
  @FunctionalInterface
  interface PairLoad {
    Future<LatencyRecorder.Summary> run(Vertx vertx, String name, OmegaLoadDriver.Target hostSide,
                                        OmegaLoadDriver.Target peerSide, int pairs, int window, long warmupMs,
                                        long measureMs);
  }

  /** Set-up of every run (accounts, logins, lobbies or games) must finish within this, or the benchmark stops. */
  private static final long SETUP_BUDGET_MS = 180_000;

  private RelayBenchmarks() {
  }

  /**
   * Runs the course with {@code --pairs --window --warmup --seconds} from {@code args} and exits the JVM
   * (status 1 if a run failed or outlived its time budget).
   *
   * @param title      the table's heading, e.g. "CL Omega relay benchmark"
   * @param echoPacket the load packet the echo run sends, stamped with the given send time
   */
  static void run(String[] args, String title, PairLoad load, LongFunction<String> echoPacket,
                  String singleName, String clusterName) {
    try {
      course(args, title, load, echoPacket, singleName, clusterName);
    } catch (Throwable e) {
      // Bounded: a run that fails or outlives its budget ends the benchmark instead of leaving it hanging.
      System.err.println(title + " failed: " + e);
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  /** Runs the course (blocking), prints the table and returns the summaries: ceiling, one node, cluster. */
  static List<LatencyRecorder.Summary> course(String[] args, String title, PairLoad load, LongFunction<String> echoPacket,
                                              String singleName, String clusterName) throws Exception {
    System.setProperty("java.net.preferIPv4Stack", "true");
    Map<String, String> opts = parse(args);
    int pairs = Integer.parseInt(opts.getOrDefault("pairs", "50"));
    int window = Integer.parseInt(opts.getOrDefault("window", "4"));
    long warmupMs = (long) (Double.parseDouble(opts.getOrDefault("warmup", "3")) * 1000);
    long measureMs = (long) (Double.parseDouble(opts.getOrDefault("seconds", "10")) * 1000);
    long runBudgetMs = SETUP_BUDGET_MS + warmupMs + measureMs;

    Vertx driver = Vertx.vertx();
    List<LatencyRecorder.Summary> results = new ArrayList<>();

    Vertx echoVertx = Vertx.vertx();
    HttpServer echo = EchoServer.start(echoVertx).await();
    results.add(EchoLoad.run(driver, "bare Vert.x WebSocket echo (ceiling)",
        new OmegaLoadDriver.Target("127.0.0.1", echo.actualPort()), pairs, window, warmupMs, measureMs, echoPacket)
      .await(runBudgetMs, TimeUnit.MILLISECONDS));
    echoVertx.close().await();

    Path pgDir = Files.createTempDirectory("skirmish-bench-pg");
    String databaseUrl = System.getenv().getOrDefault("DATABASE_URL", "");
    Node single = Node.start(config(Map.of("EMBEDDED_PG_DIR", pgDir.toString(), "DATABASE_URL", databaseUrl)))
      .await(5, TimeUnit.MINUTES);
    if (databaseUrl.isEmpty()) {
      PgConnectOptions o = single.database().connectOptions();
      databaseUrl = "postgresql://" + o.getUser() + ":" + o.getPassword() + "@" + o.getHost() + ":" + o.getPort() + "/"
        + o.getDatabase();
    }
    OmegaLoadDriver.Target one = new OmegaLoadDriver.Target("127.0.0.1", single.httpPort());
    results.add(load.run(driver, singleName, one, one, pairs, window, warmupMs, measureMs)
      .await(runBudgetMs, TimeUnit.MILLISECONDS));

    String cluster = "bench-" + ProcessHandle.current().pid();
    Node a = Node.start(config(Map.of("DATABASE_URL", databaseUrl, "CLUSTER", "true", "CLUSTER_NAME", cluster,
      "CLUSTER_PORT", "15701", "CLUSTER_MEMBERS", "127.0.0.1:15701,127.0.0.1:15702"))).await(5, TimeUnit.MINUTES);
    Node b = Node.start(config(Map.of("DATABASE_URL", databaseUrl, "CLUSTER", "true", "CLUSTER_NAME", cluster,
      "CLUSTER_PORT", "15702", "CLUSTER_MEMBERS", "127.0.0.1:15701,127.0.0.1:15702", "ROLES", "gateway")))
      .await(5, TimeUnit.MINUTES);
    results.add(load.run(driver, clusterName,
      new OmegaLoadDriver.Target("127.0.0.1", a.httpPort()), new OmegaLoadDriver.Target("127.0.0.1", b.httpPort()),
      pairs, window, warmupMs, measureMs).await(runBudgetMs, TimeUnit.MILLISECONDS));
    b.close().await(1, TimeUnit.MINUTES);
    a.close().await(1, TimeUnit.MINUTES);
    single.close().await(1, TimeUnit.MINUTES);
    driver.close().await();

    LatencyRecorder.Summary ceiling = results.get(0);
    System.out.printf(Locale.ROOT, "%n%s: %d pairs, %d in flight per pair, %.0f s measured after %.0f s warm-up%n%n",
      title, pairs, window, measureMs / 1000.0, warmupMs / 1000.0);
    System.out.println("| run | messages/s | p50 ms | p99 ms | throughput vs ceiling | p50 vs ceiling | p99 vs ceiling |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (LatencyRecorder.Summary s : results) {
      System.out.printf(Locale.ROOT, "| %s | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f |%n", s.name(), s.perSecond(),
        s.p50Ms(), s.p99Ms(), s.perSecond() / ceiling.perSecond(), s.p50Ms() / ceiling.p50Ms(), s.p99Ms() / ceiling.p99Ms());
    }
    return results;
  }

  private static NodeConfig config(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("HTTP_PORT", "0");
    env.put("FAF_TCP_PORT", "-1");
    env.put("MANAGEMENT_PORT", "-1");
    env.put("PASSWORD_HASH_MEMORY_KIB", "1024");
    env.put("PASSWORD_HASH_ITERATIONS", "1");
    env.put("METRICS_ENABLED", "true");
    // the benchmark's CL Omega clients use the demo game, also on a database given by DATABASE_URL
    env.put("DEV_SEED", "true");
    // Every simulated client comes from the loopback address and relays far faster than a person.
    env.put("AUTH_REQUESTS_PER_IP", "1000000");
    env.put("MAX_CONNECTIONS_PER_IP", "1000000");
    env.put("INBOUND_MESSAGES_PER_SECOND", "1000000");
    env.put("INBOUND_MESSAGE_BURST", "1000000");
    env.putAll(overrides);
    return NodeConfig.resolve(env);
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
      }
      out.put(args[i].substring(2), args[i + 1]);
    }
    return out;
  }

  /**
   * Sets up {@code count} pairs with {@code setUp}, one after another within groups of eight and the groups
   * overlapped, which spares the memory-hard password hashing of the registrations; completes with all of them.
   */
  static <T> Future<List<T>> setUpInGroups(int count, java.util.function.IntFunction<Future<T>> setUp) {
    List<Future<T>> setups = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < count; i++) {
      int n = i;
      Future<T> one = chain.compose(v -> setUp.apply(n));
      setups.add(one);
      if (i % 8 == 7) {
        chain = one.mapEmpty();
      }
    }
    return Future.all(setups).map(all -> {
      List<T> list = new ArrayList<>();
      for (Future<T> f : setups) {
        list.add(f.result());
      }
      return list;
    });
  }
}
