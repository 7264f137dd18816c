package dev.skirmish.deploy.browser;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Playwright script of {@code src/test/browser/} with node against the system's Chromium
 * ({@link Chromium#executable()}), after {@code npm ci} has installed {@code playwright-core} from the
 * committed lock file (once per checkout; it downloads no browser). A script prints one JSON line last:
 * its result. Screenshots go to {@code target/browser-screenshots/}.
 */
public final class PlaywrightScript {

  /** Where the scripts, package.json and package-lock.json are (relative to the deploy module). */
  public static final Path SCRIPTS = Path.of("src/test/browser");
  /** Where scripts save their screenshots. */
  public static final Path SCREENSHOTS = Path.of("target/browser-screenshots");

  private PlaywrightScript() {
  }

  /** Installs playwright-core with {@code npm ci} unless the lock file's version is already installed. */
  public static synchronized void install() throws IOException, InterruptedException {
    if (Files.exists(SCRIPTS.resolve("node_modules/playwright-core/package.json"))) {
      return;
    }
    Result npm = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 5, TimeUnit.MINUTES);
    if (npm.exit() != 0) {
      throw new IllegalStateException("npm ci failed (" + npm.exit() + "):\n" + npm.output());
    }
  }

  /** Output and exit code of a finished process. */
  public record Result(int exit, String output, String lastLine) {
  }

  /**
   * Runs {@code node <script>} with {@code env} (plus {@code CHROMIUM} and {@code SCREENSHOT_DIR}) and returns
   * the JSON object of its last output line; fails with everything it printed when there is none.
   */
  public static JsonObject node(String script, Map<String, String> env, long timeout, TimeUnit unit)
    throws IOException, InterruptedException {
    install();
    Files.createDirectories(SCREENSHOTS);
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("CHROMIUM", Chromium.executable());
    all.put("SCREENSHOT_DIR", SCREENSHOTS.toAbsolutePath().toString());
    Result r = run(List.of("node", script), all, timeout, unit);
    try {
      return new JsonObject(r.lastLine()).put("exit", r.exit()).put("output", r.output());
    } catch (RuntimeException e) {
      throw new AssertionError("node " + script + " gave no JSON result (exit " + r.exit() + "):\n" + r.output());
    }
  }

  private static Result run(List<String> command, Map<String, String> env, long timeout, TimeUnit unit)
    throws IOException, InterruptedException {
    List<String> niced = new ArrayList<>(List.of("nice", "-n", "19"));
    niced.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(niced).directory(SCRIPTS.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Path log = Files.createTempFile("playwright", ".log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    boolean finished = p.waitFor(timeout, unit);
    if (!finished) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    String[] lines = output.strip().split("\n");
    String last = lines.length == 0 ? "" : lines[lines.length - 1];
    return new Result(finished ? p.exitValue() : -1, output, last);
  }
}
