package dev.skirmish.deploy.browser;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A headless Chromium started for one test class, with remote debugging on an ephemeral loopback port and
 * a throw-away profile. {@link #close()} ends the browser and every process it started and removes the
 * profile; a shutdown hook does the same if the test JVM exits without calling it.
 */
public final class Chromium implements AutoCloseable {

  /** The browser used when the environment variable {@code CHROMIUM} is not set. */
  public static final String DEFAULT_EXECUTABLE = "/usr/bin/chromium";

  private static final Logger LOG = LoggerFactory.getLogger(Chromium.class);
  private static final Pattern DEVTOOLS_URL = Pattern.compile("DevTools listening on (ws://\\S+)");
  private static final int STDERR_LINES_KEPT = 200;

  private final Process process;
  private final Path profile;
  private final String devToolsUrl;
  private final Deque<String> stderr;
  private final Thread shutdownHook;
  private boolean closed;

  private Chromium(Process process, Path profile, String devToolsUrl, Deque<String> stderr) {
    this.process = process;
    this.profile = profile;
    this.devToolsUrl = devToolsUrl;
    this.stderr = stderr;
    this.shutdownHook = new Thread(this::terminate, "chromium-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** The browser executable: {@code $CHROMIUM} or {@value #DEFAULT_EXECUTABLE}. */
  public static String executable() {
    String fromEnv = System.getenv("CHROMIUM");
    return fromEnv == null || fromEnv.isBlank() ? DEFAULT_EXECUTABLE : fromEnv;
  }

  /**
   * Starts the browser and waits until it prints its DevTools WebSocket address. Fails with the browser's
   * output when it exits first or does not get there within {@code timeout}.
   */
  public static Chromium launch(long timeout, TimeUnit unit) throws IOException, InterruptedException, TimeoutException {
    Path profile = Files.createTempDirectory("skirmish-chromium");
    List<String> command = new ArrayList<>(List.of(
      executable(),
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-extensions",
      "--disable-dev-shm-usage",
      // Host candidates must carry real loopback addresses: there is no mDNS responder here.
      "--disable-features=WebRtcHideLocalIpsWithMdns",
      "--allow-loopback-in-peer-connection",
      "--remote-debugging-address=127.0.0.1",
      "--remote-debugging-port=0",
      "--user-data-dir=" + profile,
      "about:blank"));
    Process process;
    try {
      process = new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
    } catch (IOException e) {
      deleteRecursively(profile);
      throw new IOException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
    }

    Deque<String> stderr = new ArrayDeque<>();
    CompletableFuture<String> url = new CompletableFuture<>();
    Thread reader = new Thread(() -> readStderr(process, stderr, url), "chromium-stderr");
    reader.setDaemon(true);
    reader.start();

    try {
      String devToolsUrl = url.get(timeout, unit);
      LOG.info("Chromium {} started: {}", process.pid(), devToolsUrl);
      return new Chromium(process, profile, devToolsUrl, stderr);
    } catch (ExecutionException e) {
      kill(process);
      deleteRecursively(profile);
      throw new IOException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException | InterruptedException e) {
      kill(process);
      deleteRecursively(profile);
      String output;
      synchronized (stderr) {
        output = String.join("\n", stderr);
      }
      if (e instanceof TimeoutException) {
        throw new TimeoutException("Chromium printed no DevTools address within " + timeout + " " + unit
          + "; its output:\n" + output);
      }
      throw (InterruptedException) e;
    }
  }

  /** Drains the browser's stderr (so it never blocks on a full pipe) and finds the DevTools address in it. */
  private static void readStderr(Process process, Deque<String> kept, CompletableFuture<String> url) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (kept) {
          kept.addLast(line);
          if (kept.size() > STDERR_LINES_KEPT) {
            kept.removeFirst();
          }
        }
        Matcher m = DEVTOOLS_URL.matcher(line);
        if (m.find()) {
          url.complete(m.group(1));
        }
      }
    } catch (IOException ignored) {
      // the stream ends when the browser exits
    }
    if (!url.isDone()) {
      String output;
      synchronized (kept) {
        output = String.join("\n", kept);
      }
      String exit = process.isAlive() ? "closed its output" : "exited with code " + process.exitValue();
      url.completeExceptionally(new IOException("Chromium " + exit + " before printing a DevTools address; its output:\n"
        + output));
    }
  }

  /** The browser-level DevTools WebSocket address ({@code ws://127.0.0.1:PORT/devtools/browser/ID}). */
  public String devToolsUrl() {
    return devToolsUrl;
  }

  public long pid() {
    return process.pid();
  }

  /**
   * The last lines the browser wrote to stderr, for failure messages, without the D-Bus complaints a
   * container without a system bus produces.
   */
  public String recentOutput() {
    synchronized (stderr) {
      return stderr.stream().filter(line -> !line.contains(":ERROR:dbus/")).collect(Collectors.joining("\n"));
    }
  }

  /**
   * Ends the browser and all its processes and deletes the profile directory. Fails if a process of this
   * browser (recognised by the profile directory on its command line) is still alive afterwards.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException ignored) {
      // already shutting down: the hook is running or has run
    }
    kill(process);
    List<ProcessHandle> survivors = processesUsingProfile();
    survivors.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle survivor : survivors) {
      try {
        survivor.onExit().get(5, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // reported below
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    deleteRecursively(profile);
    List<Long> alive = survivors.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
    if (!alive.isEmpty()) {
      throw new IllegalStateException("Chromium processes still running after close: " + alive);
    }
    LOG.info("Chromium {} ended{}", process.pid(), survivors.isEmpty() ? ""
      : "; killed helper processes that outlived it: " + survivors.stream().map(ProcessHandle::pid).toList());
  }

  private void terminate() {
    kill(process);
    processesUsingProfile().forEach(ProcessHandle::destroyForcibly);
    deleteRecursively(profile);
  }

  /** Live processes whose command line names this browser's profile directory. */
  private List<ProcessHandle> processesUsingProfile() {
    String marker = "--user-data-dir=" + profile;
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      return all.filter(ProcessHandle::isAlive)
        .filter(h -> h.info().commandLine().map(cmd -> cmd.contains(marker)).orElse(false))
        .toList();
    }
  }

  /**
   * Asks the browser and its helpers (zygote, renderers, network and GPU processes) to exit, then forces
   * whatever is still alive after a grace period. The process tree is read before anything is signalled:
   * once the browser is gone its children are re-parented and no longer listed as its descendants.
   */
  private static void kill(Process process) {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(process.toHandle());
    try (Stream<ProcessHandle> descendants = process.descendants()) {
      descendants.forEach(tree::add);
    }
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle handle : tree) {
      try {
        handle.onExit().get(5, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException e) {
        handle.destroyForcibly();
      } catch (InterruptedException e) {
        tree.forEach(ProcessHandle::destroyForcibly);
        Thread.currentThread().interrupt();
        return;
      }
    }
    for (ProcessHandle handle : tree) {
      if (handle.isAlive()) {
        try {
          handle.onExit().get(5, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
          // nothing more to do than SIGKILL, already sent
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // a leftover temporary directory is not worth failing a test for
    }
  }
}
