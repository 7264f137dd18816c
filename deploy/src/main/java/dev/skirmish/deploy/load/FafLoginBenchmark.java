package dev.skirmish.deploy.load;

import dev.skirmish.common.Database;
import dev.skirmish.common.Ids;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.deploy.Main;
import dev.skirmish.gateway.TokenService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.load.BenchmarkLauncher.remaining;

/**
 * The FAF login benchmark: how logins behave as players come online, on one node, next to a bare Vert.x
 * server doing the same minimal work in the same run.
 *
 * <pre>
 * java -jar deploy/target/skirmish-all.jar faf-login-benchmark [--max 10000] [--bands 1000,2000,5000,10000]
 *     [--band-width 1000] [--inflight 16] [--heap-at 10000,20000] [--bare true] [--server-xmx 4g] ...
 * </pre>
 *
 * <p>Method: the benchmark starts PostgreSQL (embedded, in a temporary directory, unless {@code DATABASE_URL}
 * or {@code --database-url} names one), creates its accounts there in bulk with SQL and mints their lobby
 * tokens with the node's own signing key (the key {@link TokenService} keeps in the database). The server
 * under test runs in a child JVM (same {@code java}, same class path, {@link Main} with {@code HTTP_PORT},
 * {@code FAF_TCP_PORT=-1}, {@code DATABASE_URL} and no login time-out), so the clients' objects stay out of
 * its heap. The load ({@link LoginLoad}) logs players in with a fixed number in flight and keeps every one of
 * them online; each band reports the logins that take the number online to its mark. At each {@code --heap-at}
 * mark (and at 0) the load pauses, waits {@code --settle} seconds, runs a full GC in the server with
 * {@code jcmd} and reads its used heap: heap per connection = (used at N − used at 0) / N. The bare server
 * ({@link BareLoginServer}, also a child JVM with the same options) answers the auth frame with one echoed
 * frame, which its clients take as the login; it runs first, with the same bands and pauses. The same-bytes
 * server ({@link SameBytesLoginServer}) runs second: a bare Vert.x server that sends what the protocol requires
 * (welcome, the online list, the game list, one player_info per tick to everyone) and nothing else, so the
 * ratio to it measures what the node spends beyond the protocol's bytes.
 */
public final class FafLoginBenchmark {

  /** Account login names: {@code lb<run>_<n>}, at most 20 characters. */
  static final String INSERT_ACCOUNTS =
    "INSERT INTO account (ulid, login, email, password_hash)"
      + " SELECT 'LB' || $1 || lpad(n::text, 16, '0'), 'lb' || lower($1) || '_' || n, 'lb' || lower($1) || '_' || n"
      + " || '@bench.invalid', '!benchmark account: token login only' FROM generate_series(1, $2) AS n"
      + " RETURNING id, login";
  /** Open files a server process needs besides one per connection (jars, database, event loops). */
  private static final int FD_MARGIN = 300;

  private FafLoginBenchmark() {
  }

  /** The options; every limit of the run is one of them. */
  record Options(int max, List<Integer> bands, int bandWidth, int inflight, List<Integer> heapAt, boolean bare,
                 boolean sameBytes, String serverXmx, List<String> serverJvmArgs, int warmup, double settleSeconds,
                 double loginTimeoutSeconds, double serverStartSeconds, long tokenLifetimeSeconds, int clientMaxMessageMb,
                 String databaseUrl, double timeoutMinutes, int presenceTickMs, int histogramTop) {

    static final String USAGE = """
      faf-login-benchmark [options]
        --max N              players online at the end (default 10000)
        --bands A,B,...      band marks: each band is the --band-width logins that end at the mark
                             (default the marks of 1000,2000,5000,10000,20000 up to --max)
        --band-width N       logins per band (default 1000; capped at the gap to the previous mark)
        --inflight N         logins in flight (default 16)
        --heap-at A,B|none   numbers online at which the server's heap is read after a full GC
                             (default the marks of 10000,20000 up to --max, else --max)
        --bare true|false    run the bare Vert.x baseline first (default true)
        --same-bytes true|false  run the same-bytes baseline (a bare Vert.x server sending the protocol's
                             login and presence bytes) before the node (default true)
        --server-xmx SIZE    -Xmx of the server JVMs (default 4g)
        --server-jvm-args S  more JVM options for the server JVMs, space-separated (default none)
        --warmup N           logins that log in and out before the ramp, not measured (default 200)
        --settle S           seconds between a pause and the heap reading (default 2)
        --login-timeout S    a login not done within this fails the run (default 120)
        --server-start S     time a server JVM has to become ready (default 180)
        --token-lifetime S   lifetime of the minted lobby tokens (default 86400)
        --client-max-message-mb N  largest frame/message the clients accept (default 64)
        --database-url URL   PostgreSQL to use (default DATABASE_URL, else an embedded one in a temporary directory)
        --timeout-minutes M  the whole run must finish within this (default 240)
        --presence-tick-ms N PRESENCE_TICK_MS of the node and the same-bytes server (default theirs: 1000)
        --histogram N        at each heap mark also read the node's class histogram and list the N classes whose
                             bytes per connection grew the most since 0 online (default 0: none)
      """;

    static Options parse(String[] args) {
      Map<String, String> o = Args.parse(args, List.of("max", "bands", "band-width", "inflight", "heap-at", "bare",
        "same-bytes", "server-xmx", "server-jvm-args", "warmup", "settle", "login-timeout", "server-start", "token-lifetime",
        "client-max-message-mb", "database-url", "timeout-minutes", "presence-tick-ms", "histogram"));
      int max = positive(o, "max", "10000");
      List<Integer> bands = o.containsKey("bands") ? ints(o.get("bands"), "bands")
        : upTo(List.of(1000, 2000, 5000, 10000, 20000), max);
      List<Integer> heapAt;
      String heap = o.get("heap-at");
      if ("none".equals(heap)) {
        heapAt = List.of();
      } else {
        heapAt = heap != null ? ints(heap, "heap-at") : upTo(List.of(10000, 20000), max);
      }
      boolean bare = flag(o, "bare");
      boolean sameBytes = flag(o, "same-bytes");
      String jvmArgs = o.getOrDefault("server-jvm-args", "").trim();
      Options opts = new Options(max, bands, positive(o, "band-width", "1000"), positive(o, "inflight", "16"), heapAt,
        bare, sameBytes, o.getOrDefault("server-xmx", "4g"),
        jvmArgs.isEmpty() ? List.of() : List.of(jvmArgs.split("\\s+")), nonNegative(o, "warmup", "200"),
        number(o, "settle", "2"), number(o, "login-timeout", "120"), number(o, "server-start", "180"),
        positive(o, "token-lifetime", "86400"), positive(o, "client-max-message-mb", "64"),
        o.getOrDefault("database-url", System.getenv().getOrDefault("DATABASE_URL", "")).trim(),
        number(o, "timeout-minutes", "240"), nonNegative(o, "presence-tick-ms", "0"), nonNegative(o, "histogram", "0"));
      opts.check();
      return opts;
    }

    private void check() {
      int previous = 0;
      for (int b : bands) {
        if (b <= previous || b > max) {
          throw new IllegalArgumentException("--bands must rise, each mark within 1.." + max + " (--max): " + bands);
        }
        previous = b;
      }
      if (bands.isEmpty()) {
        throw new IllegalArgumentException("--bands is empty");
      }
      for (int h : heapAt) {
        if (h <= 0 || h > max) {
          throw new IllegalArgumentException("--heap-at marks must be within 1.." + max + " (--max): " + heapAt);
        }
        for (LoginLoad.BandSpec b : bandSpecs()) {
          if (h > b.from() && h < b.to()) {
            throw new IllegalArgumentException("--heap-at " + h + " falls inside the band " + b.from() + "–" + b.to()
              + " (the load pauses there): use a band's end or a number between bands");
          }
        }
      }
    }

    List<LoginLoad.BandSpec> bandSpecs() {
      List<LoginLoad.BandSpec> specs = new ArrayList<>();
      int previous = 0;
      for (int b : bands) {
        specs.add(new LoginLoad.BandSpec(b - Math.min(bandWidth, b - previous), b));
        previous = b;
      }
      return specs;
    }

    private static List<Integer> upTo(List<Integer> marks, int max) {
      List<Integer> out = new ArrayList<>();
      for (int m : marks) {
        if (m <= max) {
          out.add(m);
        }
      }
      if (out.isEmpty()) {
        out.add(max);
      }
      return out;
    }

    private static List<Integer> ints(String s, String name) {
      List<Integer> out = new ArrayList<>();
      for (String part : s.split(",")) {
        try {
          out.add(Integer.parseInt(part.trim()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--" + name + " takes comma-separated integers, got " + s);
        }
      }
      return List.copyOf(new TreeSet<>(out));
    }

    private static boolean flag(Map<String, String> o, String name) {
      String v = o.getOrDefault(name, "true");
      if (!v.equals("true") && !v.equals("false")) {
        throw new IllegalArgumentException("--" + name + " must be true or false");
      }
      return Boolean.parseBoolean(v);
    }

    private static int positive(Map<String, String> o, String name, String def) {
      int v = nonNegative(o, name, def);
      if (v == 0) {
        throw new IllegalArgumentException("--" + name + " must be positive");
      }
      return v;
    }

    private static int nonNegative(Map<String, String> o, String name, String def) {
      try {
        int v = Integer.parseInt(o.getOrDefault(name, def));
        if (v < 0) {
          throw new IllegalArgumentException("--" + name + " must not be negative");
        }
        return v;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + name + " takes an integer, got " + o.get(name));
      }
    }

    private static double number(Map<String, String> o, String name, String def) {
      try {
        double v = Double.parseDouble(o.getOrDefault(name, def));
        if (v < 0) {
          throw new IllegalArgumentException("--" + name + " must not be negative");
        }
        return v;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + name + " takes a number, got " + o.get(name));
      }
    }
  }

  /** The figures of one server: its bands and its used heap (bytes, after a full GC) at each pause mark. */
  record ServerRun(String name, List<LoginLoad.Band> bands, Map<Integer, Long> heapUsed,
                   Map<Integer, HeapHistogram> histograms, int errors) {
  }

  /**
   * Everything a run measured. {@code bare} is null with {@code --bare false}, {@code sameBytes} with {@code
   * --same-bytes false}.
   */
  record Report(Options options, ServerRun product, ServerRun bare, ServerRun sameBytes, String text) {

    int errors() {
      return product.errors() + (bare == null ? 0 : bare.errors()) + (sameBytes == null ? 0 : sameBytes.errors());
    }
  }

  public static void main(String[] args) {
    BenchmarkLauncher.launch("faf-login-benchmark", "FAF login benchmark", Options.USAGE, args, Options::parse,
      o -> run(o, args, System.out).errors());
  }

  /** Runs the benchmark (blocking: call it from a plain thread), prints the report to {@code out} and returns it. */
  static Report run(Options o, String[] args, PrintStream out) throws Exception {
    System.setProperty("java.net.preferIPv4Stack", "true");
    checkOpenFiles(o);
    long deadline = System.nanoTime() + (long) (o.timeoutMinutes() * 60e9);
    Path dir = Files.createTempDirectory("skirmish-login-bench");
    out.println("FAF login benchmark: logs and data in " + dir);
    Vertx vertx = Vertx.vertx();
    Database db = null;
    List<ServerProcess> servers = new ArrayList<>();
    try {
      Map<String, String> env = BenchmarkLauncher.databaseSettings(o.databaseUrl(), dir);
      env.put("JWT_LIFETIME_SECONDS", Long.toString(o.tokenLifetimeSeconds()));
      NodeConfig config = NodeConfig.resolve(env);
      db = Database.start(vertx, config).await(remaining(deadline), TimeUnit.NANOSECONDS);
      String databaseUrl = db.url();

      int accounts = o.warmup() + o.max();
      long t0 = System.nanoTime();
      TokenService tokens = new TokenService(vertx, config, db.pool());
      tokens.start().await(remaining(deadline), TimeUnit.NANOSECONDS);
      List<String> minted = createAccounts(vertx, db.pool(), tokens, accounts)
        .await(remaining(deadline), TimeUnit.NANOSECONDS);
      out.printf(Locale.ROOT, "%d accounts and lobby tokens ready in %.1f s%n", accounts, (System.nanoTime() - t0) / 1e9);

      List<String> jvm = new ArrayList<>();
      jvm.add("-Xmx" + o.serverXmx());
      jvm.addAll(ServerProcess.BASE_JVM_OPTIONS);
      jvm.addAll(o.serverJvmArgs());

      ServerRun bare = null;
      String bareCommand = null;
      if (o.bare()) {
        ServerProcess p = ServerProcess.start("bare server", BareLoginServer.class.getName(), jvm, Map.of(),
          dir.resolve("bare-server.log"));
        servers.add(p);
        bareCommand = p.commandLine();
        bare = measure(vertx, p, "bare Vert.x server", minted, o, true, false, out, deadline);
      }
      ServerRun sameBytes = null;
      String sameBytesCommand = null;
      if (o.sameBytes()) {
        ServerProcess p = ServerProcess.start("same-bytes server", SameBytesLoginServer.class.getName(), jvm, tickEnv(o),
          dir.resolve("same-bytes-server.log"));
        servers.add(p);
        sameBytesCommand = p.commandLine();
        // It speaks enough of the protocol (welcome, then the game list) for the clients' full login.
        sameBytes = measure(vertx, p, "same-bytes server", minted, o, false, false, out, deadline);
      }

      Map<String, String> nodeEnv = new LinkedHashMap<>();
      nodeEnv.put("HTTP_HOST", "127.0.0.1");
      nodeEnv.put("FAF_TCP_PORT", "-1");
      nodeEnv.put("CLUSTER", "false");
      nodeEnv.put("DATABASE_URL", databaseUrl);
      nodeEnv.put("DEV_SEED", "true");
      nodeEnv.put("JWT_ISSUER", config.get(dev.skirmish.common.Setting.JWT_ISSUER));
      nodeEnv.put("FAF_LOGIN_TIMEOUT_SECONDS", Long.toString(Math.max(86400, (long) o.loginTimeoutSeconds() * 2)));
      nodeEnv.putAll(tickEnv(o));
      ServerProcess node = ServerProcess.start("node", Main.class.getName(), jvm, nodeEnv, dir.resolve("node.log"));
      servers.add(node);
      ServerRun product = measure(vertx, node, "node", minted, o, false, true, out, deadline);

      String text = report(o, args, product, bare, sameBytes, node.commandLine(), bareCommand, sameBytesCommand, nodeEnv);
      out.println();
      out.println(text);
      return new Report(o, product, bare, sameBytes, text);
    } finally {
      BenchmarkLauncher.cleanUp(vertx, db, servers, dir);
    }
  }

  /** {@code PRESENCE_TICK_MS} when the run sets it, for the servers that have a presence tick. */
  private static Map<String, String> tickEnv(Options o) {
    return o.presenceTickMs() > 0 ? Map.of("PRESENCE_TICK_MS", Integer.toString(o.presenceTickMs())) : Map.of();
  }


  /**
   * Starts the load against a server that has been started, pausing for the heap readings (and, for the {@code product},
   * the class histograms of {@code --histogram}); then stops the server.
   */
  private static ServerRun measure(Vertx vertx, ServerProcess server, String name, List<String> tokens, Options o,
                                   boolean bare, boolean product, PrintStream out, long deadline) throws Exception {
    long t0 = System.nanoTime();
    server.awaitReady(vertx, (long) (o.serverStartSeconds() * 1000)).await(remaining(deadline), TimeUnit.NANOSECONDS);
    out.printf(Locale.ROOT, "%s ready on port %d (pid %d) in %.1f s; log %s%n", name, server.port(), server.pid(),
      (System.nanoTime() - t0) / 1e9, server.log());
    Map<Integer, Long> heap = new TreeMap<>();
    Map<Integer, HeapHistogram> histograms = new TreeMap<>();
    boolean measureHeap = !o.heapAt().isEmpty();
    LoginLoad.Settings settings = new LoginLoad.Settings(o.inflight(), o.warmup(), o.bandSpecs(), o.heapAt(), o.max(),
      (long) (o.loginTimeoutSeconds() * 1000), o.clientMaxMessageMb() * 1024 * 1024, bare);
    long started = System.nanoTime();
    LoginLoad load = new LoginLoad(vertx, "127.0.0.1", server.port(), tokens, settings, online -> {
      out.printf(Locale.ROOT, "  %s: %d online after %.1f s%n", name, online, (System.nanoTime() - started) / 1e9);
      if (!measureHeap) {
        return Future.succeededFuture();
      }
      io.vertx.core.Promise<Void> settled = io.vertx.core.Promise.promise();
      vertx.setTimer(Math.max(1, (long) (o.settleSeconds() * 1000)), t -> settled.complete());
      return settled.future().compose(v -> server.heapUsedAfterFullGc(vertx)).map(used -> {
        heap.put(online, used);
        out.printf(Locale.ROOT, "  %s: heap used after full GC at %d online: %.1f MiB%n", name, online, used / 1048576.0);
        return null;
      }).compose(v -> o.histogramTop() == 0 || !product ? Future.succeededFuture()
        : server.classHistogram(vertx).map(h -> {
          histograms.put(online, h);
          return null;
        }));
    }, server::cpuNanos);
    List<LoginLoad.Band> bands;
    try {
      bands = load.run().await(remaining(deadline), TimeUnit.NANOSECONDS);
      for (LoginLoad.Band b : bands) {
        out.printf(Locale.ROOT, "  %s: band %d–%d: %.1f logins/s, p99 %.1f ms%n", name, b.from(), b.to(),
          b.loginsPerSecond(), b.p99Ms());
      }
    } catch (Exception e) {
      throw new IllegalStateException(name + ": " + e.getMessage() + "\n" + name + " log (" + server.log() + ") ends with:\n"
        + server.tail(20), e);
    } finally {
      load.expectCloses().await(1, TimeUnit.MINUTES);
      server.stop(vertx).await(1, TimeUnit.MINUTES);
      load.close().await(2, TimeUnit.MINUTES);
    }
    return new ServerRun(name, bands, heap, histograms, load.errors());
  }

  /**
   * Creates {@code count} accounts in one statement and mints a lobby token for each (signing is CPU work: on a
   * worker thread, in order).
   */
  private static Future<List<String>> createAccounts(Vertx vertx, Pool pool, TokenService tokens, int count) {
    String run = Ids.ulid().substring(18);
    return pool.preparedQuery(INSERT_ACCOUNTS).execute(Tuple.of(run, count)).compose(rows -> {
      List<Integer> ids = new ArrayList<>();
      List<String> logins = new ArrayList<>();
      for (Row r : rows) {
        ids.add(r.getInteger("id"));
        logins.add(r.getString("login"));
      }
      return vertx.executeBlocking(() -> {
        List<String> minted = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
          minted.add(tokens.issue(ids.get(i), logins.get(i), List.of("lobby")));
        }
        return minted;
      }, true);
    });
  }


  /** Each server process holds one socket per player online; a limit too low would fail the run half-way. */
  private static void checkOpenFiles(Options o) {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
      long limit = os.getMaxFileDescriptorCount();
      long needed = (long) o.max() + o.inflight() + FD_MARGIN;
      if (limit < needed) {
        throw new IllegalStateException("--max " + o.max() + " needs about " + needed + " open files in this process and in"
          + " the server's, but the limit is " + limit + ": raise it (ulimit -n, up to the hard limit ulimit -Hn; beyond"
          + " that in /etc/security/limits.conf, systemd LimitNOFILE or docker --ulimit nofile=N) or lower --max to "
          + (limit - o.inflight() - FD_MARGIN));
      }
    }
  }

  private static String report(Options o, String[] args, ServerRun product, ServerRun bare, ServerRun sameBytes,
                               String nodeCommand, String bareCommand, String sameBytesCommand,
                               Map<String, String> nodeEnv) {
    StringBuilder sb = new StringBuilder();
    sb.append("FAF login benchmark: ").append(o.inflight()).append(" logins in flight, every client stays online, ")
      .append(o.warmup()).append(" warm-up logins before the ramp\n\n");
    sb.append("| band (players online) | online at end | logins/s | p50 ms | p99 ms | bytes to others per login"
      + " | messages per idle client per s | login sequence bytes | server CPU ms per login | driver CPU ms per login"
      + " | bare logins/s | bare p99 ms | bare server CPU ms per login"
      + " | same-bytes logins/s | same-bytes p99 ms | same-bytes login sequence bytes | same-bytes server CPU ms per login"
      + " | vs bare | vs same-bytes | vs first band | same-bytes vs its first band |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    double first = product.bands().get(0).loginsPerSecond();
    for (int i = 0; i < product.bands().size(); i++) {
      LoginLoad.Band b = product.bands().get(i);
      LoginLoad.Band base = bare == null ? null : bare.bands().get(i);
      LoginLoad.Band same = sameBytes == null ? null : sameBytes.bands().get(i);
      sb.append(String.format(Locale.ROOT, "| %s – %s | %s | %.1f | %.1f | %.1f | %s | %.2f | %s | %s | %s"
          + " | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.2f | %s |%n",
        count(b.from()), count(b.to()), count(b.to()), b.loginsPerSecond(), b.p50Ms(), b.p99Ms(),
        count(Math.round(b.othersBytesPerLogin())), b.messagesPerClientSecond(), count(Math.round(b.ownBytesPerLogin())),
        cpu(b.serverCpuMsPerLogin()), cpu(b.driverCpuMsPerLogin()),
        base == null ? "–" : decimal(base.loginsPerSecond(), 1),
        base == null ? "–" : decimal(base.p99Ms(), 1),
        base == null ? "–" : cpu(base.serverCpuMsPerLogin()),
        same == null ? "–" : decimal(same.loginsPerSecond(), 1),
        same == null ? "–" : decimal(same.p99Ms(), 1),
        same == null ? "–" : count(Math.round(same.ownBytesPerLogin())),
        same == null ? "–" : cpu(same.serverCpuMsPerLogin()),
        base == null ? "–" : decimal(b.loginsPerSecond() / base.loginsPerSecond(), 3),
        same == null ? "–" : decimal(b.loginsPerSecond() / same.loginsPerSecond(), 3),
        b.loginsPerSecond() / first,
        same == null ? "–" : decimal(same.loginsPerSecond() / sameBytes.bands().get(0).loginsPerSecond(), 2)));
    }
    if (!product.heapUsed().isEmpty()) {
      sb.append("\n| players online | node heap after full GC MiB | node heap per connection KiB"
        + " | bare heap after full GC MiB | bare heap per connection KiB |\n");
      sb.append("|---|---|---|---|---|\n");
      Long zero = product.heapUsed().get(0);
      Long bareZero = bare == null ? null : bare.heapUsed().get(0);
      for (Map.Entry<Integer, Long> e : product.heapUsed().entrySet()) {
        int n = e.getKey();
        Long bareUsed = bare == null ? null : bare.heapUsed().get(n);
        sb.append(String.format(Locale.ROOT, "| %s | %.1f | %s | %s | %s |%n", count(n), e.getValue() / 1048576.0,
          n == 0 ? "–" : String.format(Locale.ROOT, "%.1f", (e.getValue() - zero) / 1024.0 / n),
          bareUsed == null ? "–" : String.format(Locale.ROOT, "%.1f", bareUsed / 1048576.0),
          n == 0 || bareUsed == null ? "–" : String.format(Locale.ROOT, "%.1f", (bareUsed - bareZero) / 1024.0 / n)));
      }
    }
    HeapHistogram none = product.histograms().get(0);
    for (Map.Entry<Integer, HeapHistogram> e : product.histograms().entrySet()) {
      if (e.getKey() > 0 && none != null) {
        sb.append(String.format(Locale.ROOT, "%nNode heap growth by class from 0 to %s online (class histograms after a"
          + " full GC), per connection:%n%n", count(e.getKey())));
        sb.append(e.getValue().growthTable(none, e.getKey(), o.histogramTop()));
      }
    }
    sb.append("\nerrors: ").append(product.errors() + (bare == null ? 0 : bare.errors())
      + (sameBytes == null ? 0 : sameBytes.errors())).append('\n');
    sb.append("command: java -jar deploy/target/skirmish-all.jar faf-login-benchmark ").append(String.join(" ", args))
      .append('\n');
    sb.append("driver JVM options: ").append(String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()))
      .append('\n');
    sb.append("node: ").append(nodeCommand).append("\n  with ");
    List<String> shown = new ArrayList<>();
    for (Map.Entry<String, String> e : nodeEnv.entrySet()) {
      shown.add(e.getKey() + "=" + (e.getKey().equals("DATABASE_URL") ? "<the benchmark's database>" : e.getValue()));
    }
    sb.append(String.join(" ", shown)).append('\n');
    if (bareCommand != null) {
      sb.append("bare server: ").append(bareCommand).append('\n');
    }
    if (sameBytesCommand != null) {
      sb.append("same-bytes server: ").append(sameBytesCommand).append('\n');
    }
    sb.append(String.format(Locale.ROOT, "machine: nproc %d, %s %s, Java %s, open files limit %s%n",
      Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
      System.getProperty("java.version"), openFilesLimit()));
    return sb.toString();
  }

  private static String openFilesLimit() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
      return Long.toString(os.getMaxFileDescriptorCount());
    }
    return "unknown";
  }

  private static String decimal(double v, int places) {
    return String.format(Locale.ROOT, "%." + places + "f", v);
  }

  private static String cpu(double ms) {
    return ms < 0 ? "–" : String.format(Locale.ROOT, "%.2f", ms);
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n).replace(',', ' ');
  }
}
