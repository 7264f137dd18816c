package dev.skirmish.deploy.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test in its own JVM: the same {@code java} binary and class path as this process, a main
 * class, its environment and JVM options, its output in a log file. The benchmark's clients then never share
 * a heap (or a garbage collector) with the server, and the server's heap can be read from outside with
 * {@code jcmd}. Every child still running when this JVM exits is killed by a shutdown hook.
 */
public final class ServerProcess {

  /** The JVM options every child gets besides its heap size: those the runnable jar declares in its manifest. */
  public static final List<String> BASE_JVM_OPTIONS = List.of(
    "-Djava.net.preferIPv4Stack=true",
    "-Dhazelcast.logging.type=slf4j",
    "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-opens", "java.base/java.lang=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens", "java.management/sun.management=ALL-UNNAMED",
    "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  private static final Set<ServerProcess> LIVE = ConcurrentHashMap.newKeySet();
  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (ServerProcess p : LIVE) {
        p.kill();
      }
    }, "kill-benchmark-servers"));
  }

  private final String name;
  private final Process process;
  private final List<String> command;
  private final Path log;
  private final int port;

  private static final Map<String, String> LOAD_LIMITS = Map.of(
    "MAX_CONNECTIONS_PER_IP", "1000000",
    "AUTH_REQUESTS_PER_IP", "1000000",
    "INBOUND_MESSAGES_PER_SECOND", "1000000",
    "INBOUND_MESSAGE_BURST", "1000000",
    "IDLE_TIMEOUT_SECONDS", "86400");

  private ServerProcess(String name, Process process, List<String> command, Path log, int port) {
    this.name = name;
    this.process = process;
    this.command = command;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts {@code mainClass} in a child JVM with {@code HTTP_PORT} set to a free port (plus {@code env}) and
   * its standard output and error in {@code log}. It is not ready yet: see {@link #awaitReady}.
   */
  public static ServerProcess start(String name, String mainClass, List<String> jvmOptions, Map<String, String> env,
                             Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(javaTool("java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classPath());
    command.add(mainClass);
    return startCommand(name, command, env, log, freePort());
  }

  /**
   * Starts any server program ({@code command}) on {@code port}, with {@code HTTP_PORT} set to it (plus {@code env})
   * and its output in {@code log}. A program that takes its port otherwise has it in its command already.
   */
  public static ServerProcess startCommand(String name, List<String> command, Map<String, String> env, Path log, int port)
    throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // Every simulated client comes from the loopback address and holds its connection idle: the limits meant
    // for the internet are raised unless {@code env} sets them.
    pb.environment().putAll(LOAD_LIMITS);
    pb.environment().putAll(env);
    pb.environment().put("HTTP_PORT", Integer.toString(port));
    // Several servers may share the machine: their management ports are picked free unless env names one.
    pb.environment().putIfAbsent("MANAGEMENT_PORT", "0");
    ServerProcess p = new ServerProcess(name, pb.start(), command, log, port);
    LIVE.add(p);
    return p;
  }

  /** The class path of this JVM, absolute (the jar when run with {@code -jar}, the test class path under Maven). */
  public static String classPath() {
    String cp = System.getProperty("java.class.path");
    List<String> parts = new ArrayList<>();
    for (String part : cp.split(java.io.File.pathSeparator)) {
      if (!part.isBlank()) {
        parts.add(Path.of(part).toAbsolutePath().toString());
      }
    }
    return String.join(java.io.File.pathSeparator, parts);
  }

  public static Path javaTool(String tool) {
    return Path.of(System.getProperty("java.home"), "bin", tool);
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  /**
   * The process's CPU time so far (user + system, from {@code /proc/<pid>/stat}, in clock ticks of 10 ms), or -1
   * where procfs is not available. A read of procfs is served from memory.
   */
  long cpuNanos() {
    try {
      String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(process.pid()), "stat"));
      // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return ticks * 10_000_000L;
    } catch (Exception e) {
      return -1;
    }
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  /** The command line without the (long) class path. */
  String commandLine() {
    List<String> shown = new ArrayList<>(command);
    int cp = shown.indexOf("-cp");
    if (cp >= 0 && cp + 1 < shown.size()) {
      shown.set(cp + 1, "<class path of the benchmark>");
    }
    return String.join(" ", shown);
  }

  /**
   * Completes when {@code GET /ready} answers 200; fails (with the end of the server's log) when the process
   * exits first or {@code timeoutMs} passes.
   */
  public Future<Void> awaitReady(Vertx vertx, long timeoutMs) {
    return awaitReady(vertx, timeoutMs, "/ready");
  }

  /** Completes when {@code GET path} answers 200 (see {@link #awaitReady(Vertx, long)}). */
  public Future<Void> awaitReady(Vertx vertx, long timeoutMs, String path) {
    WebClient web = WebClient.create(vertx);
    Promise<Void> ready = Promise.promise();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    long timer = vertx.setPeriodic(200, id -> {
      if (ready.future().isComplete()) {
        return;
      }
      if (!process.isAlive()) {
        ready.tryFail(name + " exited with status " + process.exitValue() + " before it was ready; its log ("
          + log + ") ends with:\n" + tail(40));
        return;
      }
      if (System.nanoTime() > deadline) {
        ready.tryFail(name + " was not ready within " + timeoutMs / 1000 + " s; its log (" + log + ") ends with:\n"
          + tail(40));
        return;
      }
      web.get(port, "127.0.0.1", path).timeout(2000).send().onSuccess(resp -> {
        if (resp.statusCode() == 200) {
          ready.tryComplete();
        }
      });
    });
    return ready.future().eventually(() -> {
      vertx.cancelTimer(timer);
      web.close();
      return Future.succeededFuture();
    });
  }

  /**
   * Runs a full garbage collection in the server ({@code jcmd <pid> GC.run}), then reads its used heap
   * ({@code jcmd <pid> GC.heap_info}: the sum of the {@code used} figures before the Metaspace line), in
   * bytes. Blocking work, done on a worker thread.
   */
  Future<Long> heapUsedAfterFullGc(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      jcmd("GC.run");
      String info = jcmd("GC.heap_info");
      long usedKiB = 0;
      boolean found = false;
      for (String line : info.split("\n")) {
        if (line.trim().startsWith("Metaspace") || line.trim().startsWith("class space")) {
          break;
        }
        Matcher m = USED.matcher(line);
        if (m.find()) {
          usedKiB += Long.parseLong(m.group(1));
          found = true;
        }
      }
      if (!found) {
        throw new IllegalStateException("could not read the used heap of " + name + " from jcmd GC.heap_info:\n" + info);
      }
      return usedKiB * 1024;
    }, false);
  }

  /** The server's live objects by class ({@code jcmd <pid> GC.class_histogram}, which collects first), on a worker thread. */
  Future<HeapHistogram> classHistogram(Vertx vertx) {
    return vertx.executeBlocking(() -> HeapHistogram.parse(jcmd("GC.class_histogram")), false);
  }

  private String jcmd(String what) throws IOException, InterruptedException {
    Path jcmd = javaTool("jcmd");
    if (!Files.isExecutable(jcmd)) {
      throw new IllegalStateException(jcmd + " not found: the heap figures need a JDK (or run with --heap-at none)");
    }
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), what).redirectErrorStream(true).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("jcmd " + what + " did not finish within 2 minutes");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + process.pid() + " " + what + " failed (" + p.exitValue() + "): " + out);
    }
    return out;
  }

  /** The last {@code lines} lines of the server's log. */
  public String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | RuntimeException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** Ends the server: SIGTERM, then SIGKILL after 10 s. Blocking; safe to call more than once. */
  public void kill() {
    LIVE.remove(this);
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Sends SIGTERM (the JVM runs its shutdown hooks, as on {@code docker stop} or a pod's termination) and waits
   * up to {@code timeoutMs} for the process to exit, on a worker thread: its exit status, or a failure (with the
   * end of its log) when it is still running then; it is then killed.
   */
  public Future<Integer> terminate(Vertx vertx, long timeoutMs) {
    return vertx.executeBlocking(() -> {
      process.destroy();
      if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
        kill();
        throw new IllegalStateException(name + " was still running " + timeoutMs + " ms after SIGTERM; its log ("
          + log + ") ends with:\n" + tail(40));
      }
      LIVE.remove(this);
      return process.exitValue();
    }, false);
  }

  /** {@link #kill} on a worker thread. */
  public Future<Void> stop(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      kill();
      return null;
    }, false);
  }
}
