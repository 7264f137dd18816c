package dev.skirmish.deploy.load;

import dev.skirmish.common.Database;
import dev.skirmish.common.Ids;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.deploy.Main;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.skirmish.deploy.load.BenchmarkLauncher.remaining;

/**
 * Heap per idle authenticated CL Omega connection: a node (all roles, in a JVM of its own) holds N sockets that
 * each sent {@code INIT} with a valid session token and got {@code INIT_OK}, then stay idle; its used heap is read
 * after a full GC with none and with N open. The same N sockets are first held by a bare Vert.x server that
 * answers each socket's first frame with an echo (the WebSocket itself, and nothing of the protocol), in the same
 * run, as the baseline. Accounts, the game and the session tokens are written in bulk with SQL, so the run measures
 * connections, not logins.
 *
 * <pre>
 * omega-idle-benchmark [--connections N] [--inflight N] [--server-xmx SIZE] [--bare true|false] [--histogram N]
 *     [--database-url URL] [--timeout-minutes M]
 * </pre>
 */
public final class OmegaIdleBenchmark {

  private static final String INSERT_GAME =
    "WITH d AS (INSERT INTO developers (id, name) VALUES ($1, 'Benchmark Developer') RETURNING id)"
      + " INSERT INTO games (id, developer_id, name) SELECT $2, d.id, 'Idle Benchmark' FROM d";
  private static final String INSERT_SESSIONS =
    "INSERT INTO sessions (id, account_id, expires) SELECT t.id, t.account, now() + interval '1 day'"
      + " FROM unnest($1::text[], $2::int[]) AS t(id, account)";

  record Options(int connections, int inflight, String serverXmx, boolean bare, int histogramTop, String databaseUrl,
                 double timeoutMinutes) {

    static final String USAGE = """
      omega-idle-benchmark [options]
        --connections N      idle authenticated CL Omega sockets to hold (default 10000)
        --inflight N         sockets being opened at once (default 64)
        --server-xmx SIZE    -Xmx of the server JVMs (default 2g)
        --bare true|false    measure the bare Vert.x WebSocket server first (default true)
        --histogram N        list the N classes whose bytes per connection grew the most in the node (default 15; 0 = none)
        --database-url URL   PostgreSQL to use (default DATABASE_URL, else an embedded one in a temporary directory)
        --timeout-minutes M  the whole run must finish within this (default 60)
      """;

    static Options parse(String[] args) {
      Map<String, String> o = Args.parse(args, List.of("connections", "inflight", "server-xmx", "bare", "histogram",
        "database-url", "timeout-minutes"));
      return new Options(positive(o, "connections", "10000"), positive(o, "inflight", "64"),
        o.getOrDefault("server-xmx", "2g"), Boolean.parseBoolean(o.getOrDefault("bare", "true")),
        Integer.parseInt(o.getOrDefault("histogram", "15")),
        o.getOrDefault("database-url", System.getenv().getOrDefault("DATABASE_URL", "")).trim(),
        Double.parseDouble(o.getOrDefault("timeout-minutes", "60")));
    }

    private static int positive(Map<String, String> o, String key, String def) {
      int v = Integer.parseInt(o.getOrDefault(key, def));
      if (v <= 0) {
        throw new IllegalArgumentException("--" + key + " must be positive");
      }
      return v;
    }
  }

  /** One server's heap: used after a full GC with no socket and with every socket open, and its histograms. */
  record Reading(String name, long usedAtZero, long usedAtN, HeapHistogram atZero, HeapHistogram atN) {

    double bytesPerConnection(int n) {
      return (usedAtN - usedAtZero) / (double) n;
    }
  }

  /** What a run found: the bare server's reading (null when not run), the node's, and the printed report. */
  record Report(int connections, Reading bare, Reading node, String text) {
  }

  private OmegaIdleBenchmark() {
  }

  public static void main(String[] args) {
    BenchmarkLauncher.launch("omega-idle-benchmark", "CL Omega idle benchmark", Options.USAGE, args, Options::parse,
      o -> {
        run(o, args, System.out);
        return 0;
      });
  }

  /** Runs the benchmark (blocking: call it from a plain thread), prints the report to {@code out} and returns it. */
  static Report run(Options o, String[] args, PrintStream out) throws Exception {
    System.setProperty("java.net.preferIPv4Stack", "true");
    long deadline = System.nanoTime() + (long) (o.timeoutMinutes() * 60e9);
    Path dir = Files.createTempDirectory("skirmish-idle-bench");
    out.println("CL Omega idle benchmark: logs and data in " + dir);
    Vertx vertx = Vertx.vertx();
    Database db = null;
    List<ServerProcess> servers = new ArrayList<>();
    try {
      db = Database.start(vertx, NodeConfig.resolve(BenchmarkLauncher.databaseSettings(o.databaseUrl(), dir))).await(remaining(deadline), TimeUnit.NANOSECONDS);
      String ugi = Ids.ulid();
      List<String> tokens = createSessions(db.pool(), ugi, o.connections()).await(remaining(deadline), TimeUnit.NANOSECONDS);
      out.printf(Locale.ROOT, "%d accounts and session tokens ready%n", tokens.size());

      List<String> jvm = new ArrayList<>();
      jvm.add("-Xmx" + o.serverXmx());
      jvm.addAll(ServerProcess.BASE_JVM_OPTIONS);
      Reading bare = null;
      if (o.bare()) {
        ServerProcess p = ServerProcess.start("bare server", BareLoginServer.class.getName(), jvm, Map.of(),
          dir.resolve("bare-server.log"));
        servers.add(p);
        bare = measure(vertx, p, "bare Vert.x server", "/lobby", tokens, "INIT", o, out, deadline);
      }
      Map<String, String> nodeEnv = new LinkedHashMap<>();
      nodeEnv.put("HTTP_HOST", "127.0.0.1");
      nodeEnv.put("FAF_TCP_PORT", "-1");
      nodeEnv.put("CLUSTER", "false");
      nodeEnv.put("DATABASE_URL", db.url());
      ServerProcess node = ServerProcess.start("node", Main.class.getName(), jvm, nodeEnv, dir.resolve("node.log"));
      servers.add(node);
      Reading product = measure(vertx, node, "node", "/api/v0/signaling?ugi=" + ugi, tokens, "INIT_OK", o, out, deadline);

      String text = report(o, args, product, bare, node.commandLine());
      out.println();
      out.println(text);
      return new Report(o.connections(), bare, product, text);
    } finally {
      BenchmarkLauncher.cleanUp(vertx, db, servers, dir);
    }
  }

  /** A game of its own, {@code n} accounts and a session token for each (24 h, bound to no origin). */
  private static Future<List<String>> createSessions(Pool pool, String ugi, int n) {
    String run = Ids.ulid().substring(18);
    return pool.preparedQuery(INSERT_GAME).execute(Tuple.of(Ids.ulid(), ugi))
      .compose(v -> pool.preparedQuery(FafLoginBenchmark.INSERT_ACCOUNTS).execute(Tuple.of(run, n)))
      .compose(rows -> {
        List<String> ids = new ArrayList<>(n);
        List<Integer> accounts = new ArrayList<>(n);
        for (Row r : rows) {
          accounts.add(r.getInteger("id"));
          ids.add(Ids.ulid());
        }
        return pool.preparedQuery(INSERT_SESSIONS)
          .execute(Tuple.tuple().addArrayOfString(ids.toArray(new String[0]))
            .addArrayOfInteger(accounts.toArray(new Integer[0])))
          .map(done -> ids);
      });
  }

  /**
   * Reads the server's heap with no socket, opens one per token ({@code INIT} with it, waiting for {@code answer}),
   * reads the heap again with all of them open and idle, then closes them and stops the server.
   */
  private static Reading measure(Vertx vertx, ServerProcess server, String name, String uri, List<String> tokens,
                                 String answer, Options o, PrintStream out, long deadline) throws Exception {
    server.awaitReady(vertx, 180_000).await(remaining(deadline), TimeUnit.NANOSECONDS);
    out.printf(Locale.ROOT, "%s ready on port %d (pid %d); log %s%n", name, server.port(), server.pid(), server.log());
    WebSocketClient sockets = WsClient.newClient(vertx);
    List<WsClient> open = new ArrayList<>(tokens.size());
    try {
      long zero = server.heapUsedAfterFullGc(vertx).await(remaining(deadline), TimeUnit.NANOSECONDS);
      HeapHistogram zeroHisto = o.histogramTop() > 0
        ? server.classHistogram(vertx).await(remaining(deadline), TimeUnit.NANOSECONDS) : null;
      long t0 = System.nanoTime();
      openAll(vertx, sockets, server.port(), uri, tokens, answer, o.inflight(), open)
        .await(remaining(deadline), TimeUnit.NANOSECONDS);
      out.printf(Locale.ROOT, "  %s: %d sockets initialised in %.1f s%n", name, open.size(), (System.nanoTime() - t0) / 1e9);
      long used = server.heapUsedAfterFullGc(vertx).await(remaining(deadline), TimeUnit.NANOSECONDS);
      HeapHistogram usedHisto = o.histogramTop() > 0
        ? server.classHistogram(vertx).await(remaining(deadline), TimeUnit.NANOSECONDS) : null;
      Reading r = new Reading(name, zero, used, zeroHisto, usedHisto);
      out.printf(Locale.ROOT, "  %s: heap after full GC %.1f MiB with none, %.1f MiB with %d: %.2f KiB per connection%n",
        name, zero / 1048576.0, used / 1048576.0, open.size(), r.bytesPerConnection(open.size()) / 1024);
      return r;
    } catch (Exception e) {
      throw new IllegalStateException(name + ": " + e.getMessage() + "\n" + name + " log (" + server.log()
        + ") ends with:\n" + server.tail(20), e);
    } finally {
      List<Future<Void>> closing = new ArrayList<>();
      for (WsClient c : open) {
        closing.add(c.close().otherwiseEmpty());
      }
      Future.join(closing).await(2, TimeUnit.MINUTES);
      server.stop(vertx).await(1, TimeUnit.MINUTES);
      sockets.close().await(1, TimeUnit.MINUTES);
    }
  }

  /** Opens a socket per token, {@code inflight} at a time; each sends INIT and waits for {@code answer}. */
  private static Future<Void> openAll(Vertx vertx, WebSocketClient sockets, int port, String uri, List<String> tokens,
                                      String answer, int inflight, List<WsClient> open) {
    Promise<Void> done = Promise.promise();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    Runnable[] start = new Runnable[1];
    start[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= tokens.size()) {
        return;
      }
      WsClient.connect(sockets, "127.0.0.1", port, uri)
        .compose(c -> c.request(new JsonObject().put("opcode", "INIT").put("payload", tokens.get(i)), answer).map(ok -> c))
        .onSuccess(c -> {
          synchronized (open) {
            open.add(c);
          }
          if (finished.incrementAndGet() == tokens.size()) {
            done.tryComplete();
          } else {
            start[0].run();
          }
        })
        .onFailure(err -> done.tryFail("socket " + i + ": " + err.getMessage()));
    };
    vertx.runOnContext(v -> {
      for (int k = 0; k < Math.min(inflight, tokens.size()); k++) {
        start[0].run();
      }
    });
    return done.future();
  }

  private static String report(Options o, String[] args, Reading node, Reading bare, String nodeCommand) {
    int n = o.connections();
    StringBuilder sb = new StringBuilder();
    sb.append("| server | heap after full GC, none open (MiB) | with ").append(n)
      .append(" open (MiB) | heap per idle connection (KiB) | bytes |\n|---|---|---|---|---|\n");
    for (Reading r : bare == null ? List.of(node) : List.of(bare, node)) {
      sb.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.2f | %.0f |%n", r.name(), r.usedAtZero() / 1048576.0,
        r.usedAtN() / 1048576.0, r.bytesPerConnection(n) / 1024, r.bytesPerConnection(n)));
    }
    if (node.atN() != null) {
      sb.append(String.format(Locale.ROOT, "%nNode heap growth by class from 0 to %d idle CL Omega connections"
        + " (class histograms after a full GC), per connection:%n%n", n));
      sb.append(node.atN().growthTable(node.atZero(), n, o.histogramTop()));
    }
    sb.append("\ncommand: java -jar deploy/target/skirmish-all.jar omega-idle-benchmark ").append(String.join(" ", args))
      .append('\n');
    sb.append("node: ").append(nodeCommand).append('\n');
    return sb.toString();
  }
}
