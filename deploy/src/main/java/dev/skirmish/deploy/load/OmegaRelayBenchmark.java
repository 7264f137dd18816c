package dev.skirmish.deploy.load;

import dev.skirmish.common.Database;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.deploy.Main;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.ext.web.client.WebClient;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The CL Omega relay benchmark. Every server runs in its own process, one after another, under the same two loads
 * from this process ({@link RelayLoad}): a closed loop for throughput, then round trips at a fixed light rate for
 * the tail latency. The servers, in order:
 * <ol>
 *   <li>the bare Vert.x relay with two event loops ({@link BareRelayServer}), the ceiling;</li>
 *   <li>the PeerJS server ({@link PeerJsServer}), a widely used signaling relay (when Node.js and npm are there);</li>
 *   <li>the product, one node with every role;</li>
 *   <li>the product, a two-node cluster: every host on node A (all roles), every peer on node B (gateway only), so
 *   every relay crosses the cluster.</li>
 * </ol>
 * Each server's CPU time over the measured interval (from {@code /proc}) gives its CPU per relayed message.
 */
public final class OmegaRelayBenchmark {

  /** The options; every limit of the run is one of them. */
  record Options(int pairs, int window, double warmupSeconds, double seconds, int lightRate, int lightPairs,
                 List<String> servers, String serverXmx, List<String> serverJvmArgs, Path peerJsDir,
                 String databaseUrl, double setUpSeconds, Map<String, String> nodeSettings) {

    static final String USAGE = """
      relay-benchmark [options]
        --pairs N            client pairs of the throughput load (default 100)
        --window N           packets in flight per pair in the throughput load (default 16)
        --warmup S           seconds of each load before it is measured (default 20: until the JIT has settled)
        --seconds S          seconds measured per load (default 20)
        --light-rate N       round trips per second of the light load (default 1000; 0 = no light load)
        --light-pairs N      pairs the light load spreads over (default 100, at most --pairs)
        --servers LIST       which servers, in order (default bare,peerjs,node,cluster)
        --server-xmx SIZE    -Xmx of the server JVMs (default 2g)
        --server-jvm-args S  more JVM options for the product's JVMs, space-separated; {server} in them becomes
                             node, node-a or node-b (e.g. -XX:StartFlightRecording=filename=/tmp/{server}.jfr)
        --peerjs-dir DIR     where the PeerJS server is installed with npm (default a folder in the temp dir)
        --database-url URL   PostgreSQL for the product (default DATABASE_URL, else an embedded one)
        --setup S            time each server has to start and its pairs to be set up (default 300)
        --node-env S         settings for the product's nodes, space-separated KEY=VALUE (e.g. WRITE_FLUSH_PER_TURN=false)
      """;

    static Options parse(String[] args) {
      Map<String, String> o = Args.parse(args, List.of("pairs", "window", "warmup", "seconds", "light-rate",
        "light-pairs", "servers", "server-xmx", "server-jvm-args", "peerjs-dir", "database-url", "setup", "node-env"));
      int pairs = Integer.parseInt(o.getOrDefault("pairs", "100"));
      List<String> servers = List.of(o.getOrDefault("servers", "bare,peerjs,node,cluster").split(","));
      for (String s : servers) {
        if (!List.of("bare", "peerjs", "node", "cluster").contains(s)) {
          throw new IllegalArgumentException("unknown server " + s + " (bare, peerjs, node, cluster)");
        }
      }
      String jvmArgs = o.getOrDefault("server-jvm-args", "").trim();
      Options opts = new Options(pairs, Integer.parseInt(o.getOrDefault("window", "16")),
        Double.parseDouble(o.getOrDefault("warmup", "20")), Double.parseDouble(o.getOrDefault("seconds", "20")),
        Integer.parseInt(o.getOrDefault("light-rate", "1000")),
        Math.min(pairs, Integer.parseInt(o.getOrDefault("light-pairs", "100"))), servers,
        o.getOrDefault("server-xmx", "2g"), jvmArgs.isEmpty() ? List.of() : List.of(jvmArgs.split("\\s+")),
        o.containsKey("peerjs-dir") ? Path.of(o.get("peerjs-dir")) : PeerJsServer.defaultDir(),
        o.getOrDefault("database-url", System.getenv().getOrDefault("DATABASE_URL", "")).trim(),
        Double.parseDouble(o.getOrDefault("setup", "300")), settings(o.getOrDefault("node-env", "")));
      if (opts.pairs < 1 || opts.window < 1 || opts.seconds <= 0 || opts.warmupSeconds < 0 || opts.lightRate < 0) {
        throw new IllegalArgumentException("--pairs, --window and --seconds must be positive");
      }
      return opts;
    }

    private static Map<String, String> settings(String text) {
      Map<String, String> settings = new LinkedHashMap<>();
      for (String kv : text.trim().split("\\s+")) {
        if (kv.isEmpty()) {
          continue;
        }
        int eq = kv.indexOf('=');
        if (eq < 1) {
          throw new IllegalArgumentException("--node-env takes KEY=VALUE pairs, not " + kv);
        }
        settings.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
      return settings;
    }
  }

  /** One server's figures: the throughput load, and the light load (null when not run). */
  record Row(String server, RelayLoad.Result throughput, RelayLoad.Result light) {
    long errors() {
      return throughput.lost() + throughput.errors() + (light == null ? 0 : light.lost() + light.errors());
    }
  }

  /** The run's rows, in the order of {@code --servers}, and the printed report. */
  record Report(List<Row> rows, String text) {
    long errors() {
      return rows.stream().mapToLong(Row::errors).sum();
    }

    Row row(String server) {
      return rows.stream().filter(r -> r.server().equals(server)).findFirst().orElse(null);
    }
  }

  static final String BARE = "bare Vert.x relay, 2 event loops";
  static final String PEERJS = "PeerJS server " + PeerJsServer.VERSION;
  static final String NODE = "product, one node";
  static final String CLUSTER = "product, two-node cluster";

  private OmegaRelayBenchmark() {
  }

  public static void main(String[] args) {
    BenchmarkLauncher.launch("relay-benchmark", "CL Omega relay benchmark", Options.USAGE, args, Options::parse,
      o -> run(o, args, System.out).errors());
  }

  /** Runs the benchmark (blocking: call it from a plain thread), prints the report to {@code out} and returns it. */
  static Report run(Options o, String[] args, PrintStream out) throws Exception {
    System.setProperty("java.net.preferIPv4Stack", "true");
    Path dir = Files.createTempDirectory("skirmish-relay-bench");
    out.println("CL Omega relay benchmark: logs and data in " + dir);
    Vertx vertx = Vertx.vertx();
    Database db = null;
    List<Row> rows = new ArrayList<>();
    try {
      String databaseUrl = o.databaseUrl();
      if (o.servers().contains("node") || o.servers().contains("cluster")) {
        Map<String, String> env = BenchmarkLauncher.databaseSettings(databaseUrl, dir);
        db = Database.start(vertx, NodeConfig.resolve(env)).await(5, TimeUnit.MINUTES);
        databaseUrl = db.url();
      }
      for (String server : o.servers()) {
        Row row = switch (server) {
          case "bare" -> bare(vertx, o, dir, out);
          case "peerjs" -> peerJs(vertx, o, dir, out);
          case "node" -> node(vertx, o, dir, databaseUrl, out);
          default -> cluster(vertx, o, dir, databaseUrl, out);
        };
        if (row != null) {
          rows.add(row);
        }
      }
    } finally {
      if (db != null) {
        db.close(vertx).await(2, TimeUnit.MINUTES);
      }
      vertx.close().await(1, TimeUnit.MINUTES);
    }
    String text = report(o, args, rows);
    out.println();
    out.println(text);
    return new Report(rows, text);
  }

  private static Row bare(Vertx vertx, Options o, Path dir, PrintStream out) throws Exception {
    List<String> jvm = jvm(o, null);
    ServerProcess p = ServerProcess.start(BARE, BareRelayServer.class.getName(), jvm, Map.of("EVENT_LOOPS", "2"),
      dir.resolve("bare-relay.log"));
    try {
      p.awaitReady(vertx, setUpMs(o)).await(setUpMs(o), TimeUnit.MILLISECONDS);
      return measure(vertx, o, BARE, RelayTarget.bare(target(p)), p::cpuNanos, out);
    } finally {
      p.kill();
    }
  }

  private static Row peerJs(Vertx vertx, Options o, Path dir, PrintStream out) throws Exception {
    Path bin = PeerJsServer.install(o.peerJsDir(), out);
    if (bin == null) {
      return null;
    }
    ServerProcess p = PeerJsServer.start(bin, dir.resolve("peerjs.log"));
    try {
      p.awaitReady(vertx, setUpMs(o), "/").await(setUpMs(o), TimeUnit.MILLISECONDS);
      return measure(vertx, o, PEERJS, RelayTarget.peerJs(target(p)), p::cpuNanos, out);
    } finally {
      p.kill();
    }
  }

  private static Row node(Vertx vertx, Options o, Path dir, String databaseUrl, PrintStream out) throws Exception {
    Map<String, String> env = nodeEnv(o, databaseUrl);
    env.put("CLUSTER", "false");
    ServerProcess p = ServerProcess.start(NODE, Main.class.getName(), jvm(o, "node"), env, dir.resolve("node.log"));
    try {
      p.awaitReady(vertx, setUpMs(o)).await(setUpMs(o), TimeUnit.MILLISECONDS);
      OmegaLoadDriver.Target t = target(p);
      return measure(vertx, o, NODE, RelayTarget.omega(t, t), p::cpuNanos, out);
    } finally {
      p.kill();
    }
  }

  private static Row cluster(Vertx vertx, Options o, Path dir, String databaseUrl, PrintStream out) throws Exception {
    int portA = ServerProcess.freePort();
    int portB = ServerProcess.freePort();
    String members = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
    String name = "relay-bench-" + ProcessHandle.current().pid();
    Map<String, String> a = nodeEnv(o, databaseUrl);
    a.putAll(Map.of("CLUSTER", "true", "CLUSTER_NAME", name, "CLUSTER_PORT", Integer.toString(portA),
      "CLUSTER_MEMBERS", members));
    Map<String, String> b = nodeEnv(o, databaseUrl);
    b.putAll(Map.of("CLUSTER", "true", "CLUSTER_NAME", name, "CLUSTER_PORT", Integer.toString(portB),
      "CLUSTER_MEMBERS", members, "ROLES", "gateway"));
    ServerProcess nodeA = ServerProcess.start("node A", Main.class.getName(), jvm(o, "node-a"), a, dir.resolve("node-a.log"));
    ServerProcess nodeB = null;
    try {
      nodeA.awaitReady(vertx, setUpMs(o)).await(setUpMs(o), TimeUnit.MILLISECONDS);
      nodeB = ServerProcess.start("node B", Main.class.getName(), jvm(o, "node-b"), b, dir.resolve("node-b.log"));
      nodeB.awaitReady(vertx, setUpMs(o)).await(setUpMs(o), TimeUnit.MILLISECONDS);
      ServerProcess bb = nodeB;
      LongSupplier cpu = () -> {
        long x = nodeA.cpuNanos();
        long y = bb.cpuNanos();
        return x < 0 || y < 0 ? -1 : x + y;
      };
      return measure(vertx, o, CLUSTER, RelayTarget.omega(target(nodeA), target(nodeB)), cpu, out);
    } finally {
      if (nodeB != null) {
        nodeB.kill();
      }
      nodeA.kill();
    }
  }

  /** Sets up the pairs, runs the throughput load and then the light load on them, and closes them. */
  private static Row measure(Vertx vertx, Options o, String name, RelayTarget target, LongSupplier cpu,
                             PrintStream out) throws Exception {
    WebClient web = WebClient.create(vertx);
    WebSocketClient sockets = WsClient.newClient(vertx);
    String run = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    try {
      List<RelayTarget.Pair> pairs = RelayBenchmarks.setUpInGroups(o.pairs(), n -> target.setUp(sockets, web, run, n))
        .await(setUpMs(o), TimeUnit.MILLISECONDS);
      long warmup = (long) (o.warmupSeconds() * 1000);
      long seconds = (long) (o.seconds() * 1000);
      long budget = warmup + seconds + 60_000;
      RelayLoad.Result throughput = RelayLoad.closedLoop(vertx, name, target, pairs, o.window(), warmup, seconds, cpu)
        .await(budget, TimeUnit.MILLISECONDS);
      print(out, name + ", throughput", throughput);
      RelayLoad.Result light = null;
      if (o.lightRate() > 0) {
        light = RelayLoad.roundTrips(vertx, name, target, pairs.subList(0, o.lightPairs()), o.lightRate(), warmup,
          seconds, cpu).await(budget, TimeUnit.MILLISECONDS);
        print(out, name + ", " + o.lightRate() + " round trips/s", light);
      }
      List<Future<Void>> closes = new ArrayList<>();
      for (RelayTarget.Pair p : pairs) {
        closes.add(p.host().close());
        closes.add(p.peer().close());
      }
      Future.join(closes).await(1, TimeUnit.MINUTES);
      return new Row(name, throughput, light);
    } finally {
      web.close();
      sockets.close().await(1, TimeUnit.MINUTES);
    }
  }

  private static void print(PrintStream out, String what, RelayLoad.Result r) {
    out.printf(Locale.ROOT, "%s: %.0f relays/s, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, %.1f µs CPU per relay,"
        + " %d lost, %d errors%n", what, r.relaysPerSecond(), r.latency().p50Ms(), r.latency().p99Ms(),
      r.latency().p999Ms(), r.cpuMicrosPerRelay(), r.lost(), r.errors());
  }

  private static Map<String, String> nodeEnv(Options o, String databaseUrl) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("FAF_TCP_PORT", "-1");
    env.put("DATABASE_URL", databaseUrl);
    env.put("PASSWORD_HASH_MEMORY_KIB", "1024");
    env.put("PASSWORD_HASH_ITERATIONS", "1");
    env.putAll(o.nodeSettings());
    return env;
  }

  /** The JVM options of a server; in those of {@code --server-jvm-args}, {@code {server}} becomes {@code label}. */
  private static List<String> jvm(Options o, String label) {
    List<String> jvm = new ArrayList<>();
    jvm.add("-Xmx" + o.serverXmx());
    jvm.addAll(ServerProcess.BASE_JVM_OPTIONS);
    if (label != null) {
      for (String arg : o.serverJvmArgs()) {
        jvm.add(arg.replace("{server}", label));
      }
    }
    return jvm;
  }

  private static OmegaLoadDriver.Target target(ServerProcess p) {
    return new OmegaLoadDriver.Target("127.0.0.1", p.port());
  }

  private static long setUpMs(Options o) {
    return (long) (o.setUpSeconds() * 1000);
  }

  private static String report(Options o, String[] args, List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("CL Omega relay benchmark: `relay-benchmark ").append(String.join(" ", args)).append("`\n");
    sb.append(String.format(Locale.ROOT, "throughput load: %d pairs, %d in flight per pair; light load: %d round trips/s"
        + " over %d pairs; %.0f s measured after %.0f s warm-up; machine: nproc %d, Java %s%n%n", o.pairs(), o.window(),
      o.lightRate(), o.lightPairs(), o.seconds(), o.warmupSeconds(), Runtime.getRuntime().availableProcessors(),
      System.getProperty("java.version")));
    sb.append("| server | relays/s | p50 ms | p99 ms | p99.9 ms | server CPU µs per relay | light p50 ms | light p99 ms"
      + " | light p99.9 ms | lost | errors |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      RelayLoad.Result t = r.throughput();
      RelayLoad.Result l = r.light();
      sb.append(String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.2f | %.2f | %.1f | %s | %s | %s | %d | %d |%n",
        r.server(), t.relaysPerSecond(), t.latency().p50Ms(), t.latency().p99Ms(), t.latency().p999Ms(),
        t.cpuMicrosPerRelay(), l == null ? "–" : fmt(l.latency().p50Ms()), l == null ? "–" : fmt(l.latency().p99Ms()),
        l == null ? "–" : fmt(l.latency().p999Ms()), t.lost() + (l == null ? 0 : l.lost()),
        t.errors() + (l == null ? 0 : l.errors())));
    }
    Report tmp = new Report(rows, "");
    Row bare = tmp.row(BARE);
    Row peerJs = tmp.row(PEERJS);
    Row node = tmp.row(NODE);
    Row cluster = tmp.row(CLUSTER);
    sb.append("\n");
    if (node != null && peerJs != null) {
      sb.append(ratio("one node vs PeerJS, relays/s", node, peerJs));
    }
    if (node != null && bare != null) {
      sb.append(ratio("one node vs the bare relay, relays/s", node, bare));
    }
    if (cluster != null && peerJs != null) {
      sb.append(ratio("cluster vs PeerJS, relays/s", cluster, peerJs));
    }
    if (cluster != null && bare != null) {
      sb.append(ratio("cluster vs the bare relay, relays/s", cluster, bare));
    }
    if (cluster != null && node != null) {
      sb.append(String.format(Locale.ROOT, "- cluster vs one node, server CPU per relay: %.2f×%n",
        cluster.throughput().cpuMicrosPerRelay() / node.throughput().cpuMicrosPerRelay()));
    }
    long errors = tmp.errors();
    sb.append("- lost or refused relays, all runs: ").append(errors).append('\n');
    return sb.toString();
  }

  private static String ratio(String what, Row a, Row b) {
    return String.format(Locale.ROOT, "- %s: %.2f×%n", what, a.throughput().relaysPerSecond()
      / b.throughput().relaysPerSecond());
  }

  private static String fmt(double ms) {
    return String.format(Locale.ROOT, "%.2f", ms);
  }
}
