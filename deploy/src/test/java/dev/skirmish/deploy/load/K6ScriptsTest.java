package dev.skirmish.deploy.load;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The k6 load scripts (deploy/k6) are checked without k6: {@code node deploy/k6/check.mjs} parses them,
 * checks their thresholds and exports, and runs one iteration of each scenario against stand-ins for k6 and
 * a fake of the servers. Node.js 18 or newer must be on the PATH (or {@code NODE=/path/to/node}); without it
 * the test fails and says so, it is not skipped. {@code .ci/run} installs Node.js with apt when it is absent.
 */
class K6ScriptsTest {

  private static final int MIN_NODE_MAJOR = 18;
  private static final Pattern NODE_VERSION = Pattern.compile("^v(\\d+)\\.");

  private static String node;
  private static Path k6Dir;

  @BeforeAll
  static void findNodeAndScripts() throws Exception {
    k6Dir = Stream.of(Path.of("k6"), Path.of("deploy", "k6"))
      .map(Path::toAbsolutePath)
      .filter(p -> Files.isRegularFile(p.resolve("check.mjs")))
      .findFirst()
      .orElseThrow(() -> new AssertionError("deploy/k6/check.mjs not found from " + Path.of("").toAbsolutePath()));
    String fromEnv = System.getenv("NODE");
    if (fromEnv != null && !fromEnv.isBlank() && !Files.isExecutable(Path.of(fromEnv))) {
      fail("NODE=" + fromEnv + " is not an executable; the k6 scripts in deploy/k6 are checked with Node.js ("
        + MIN_NODE_MAJOR + " or newer).");
    }
    node = findNode();
    if (node == null) {
      fail("Node.js (" + MIN_NODE_MAJOR + " or newer) is needed to check the k6 scripts in deploy/k6, and no `node` is on"
        + " the PATH. Install it (Debian/Ubuntu: apt-get install nodejs; .ci/run does this), or set NODE=/path/to/node.");
    }
    Run version = run(List.of(node, "--version"), k6Dir, 30);
    Matcher m = NODE_VERSION.matcher(version.output().trim());
    if (version.exit() != 0 || !m.find()) {
      fail(node + " --version did not report a version: " + version.output());
    }
    if (Integer.parseInt(m.group(1)) < MIN_NODE_MAJOR) {
      fail("Node.js " + version.output().trim() + " at " + node + " is too old to check the k6 scripts; "
        + MIN_NODE_MAJOR + " or newer is needed (set NODE=/path/to/node to use another).");
    }
  }

  @Test
  @Timeout(300)
  @DisplayName("every k6 script parses, has p95/p99 latency and error-rate thresholds, and completes a dry run")
  void scriptsPassTheCheck() throws Exception {
    Run check = run(List.of(node, k6Dir.resolve("check.mjs").toString()), k6Dir, 240);
    System.out.println(check.output());
    assertThat(check.exit()).as("node deploy/k6/check.mjs failed:%n%s", check.output()).isZero();
    try (Stream<Path> scripts = Files.list(k6Dir)) {
      for (Path script : scripts.filter(p -> p.getFileName().toString().endsWith(".js")).toList()) {
        assertThat(check.output()).as("the check names every script").contains("ok   " + script.getFileName());
      }
    }
  }

  @Test
  @Timeout(120)
  @DisplayName("the check names as failed a script without a p(99) threshold, one on the legacy k6/ws, one whose reply never comes and one that does not parse, and passes a good one")
  void brokenScriptsFail(@TempDir Path temp) throws Exception {
    Path copy = temp.resolve("k6");
    copyTree(k6Dir, copy);
    Files.writeString(copy.resolve("no-p99.js"), """
      import { Trend } from 'k6/metrics';
      import { errorThresholds } from './lib/common.js';
      const latency = new Trend('no_p99_ms', true);
      export const options = { thresholds: Object.assign({ no_p99_ms: ['p(95)<5'] }, errorThresholds()) };
      export default function () { latency.add(1); }
      """, StandardCharsets.UTF_8);
    Files.writeString(copy.resolve("legacy-ws.js"), """
      import ws from 'k6/ws';
      export const options = {};
      export default function () { ws.connect('ws://127.0.0.1:8080/lobby', {}, (socket) => socket.close()); }
      """, StandardCharsets.UTF_8);
    Files.writeString(copy.resolve("never-answered.js"), """
      import { Trend } from 'k6/metrics';
      import { WS, Client, endSession, errorThresholds, latencyThresholds } from './lib/common.js';
      const latency = new Trend('never_ms', true);
      export const options = { thresholds: Object.assign(latencyThresholds('never_ms', 'NEVER', 5, 10), errorThresholds()) };
      export default async function () {
        const client = new Client(`${WS}/api/v0/signaling?ugi=01HNPHRWS0N0AYMM5K4HN31V4W`, 'omega', 'c', 1000);
        let failure = null;
        try {
          await client.opened;
          const sent = Date.now();
          await client.request({ opcode: 'KEEPALIVE' }, 'NO_SUCH_REPLY');
          latency.add(Date.now() - sent);
        } catch (err) {
          failure = err;
        }
        endSession([client], 'never answered', failure);
      }
      """, StandardCharsets.UTF_8);
    Files.writeString(copy.resolve("good.js"), """
      import { Trend } from 'k6/metrics';
      import { WS, Client, endSession, errorThresholds, latencyThresholds } from './lib/common.js';
      const latency = new Trend('good_ms', true);
      export const options = { thresholds: Object.assign(latencyThresholds('good_ms', 'GOOD', 5, 10), errorThresholds()) };
      export default async function () {
        const client = new Client(`${WS}/api/v0/signaling?ugi=01HNPHRWS0N0AYMM5K4HN31V4W`, 'omega', 'c', 1000);
        let failure = null;
        try {
          await client.opened;
          const sent = Date.now();
          await client.request({ opcode: 'KEEPALIVE' }, 'KEEPALIVE');
          latency.add(Date.now() - sent);
        } catch (err) {
          failure = err;
        }
        endSession([client], 'good', failure);
      }
      """, StandardCharsets.UTF_8);
    Files.writeString(copy.resolve("syntax-error.js"), """
      export const options = { thresholds: { errors: ['rate<0.01'] };
      export default function () {}
      """, StandardCharsets.UTF_8);

    Run check = run(List.of(node, copy.resolve("check.mjs").toString(), copy.resolve("no-p99.js").toString(),
      copy.resolve("legacy-ws.js").toString(), copy.resolve("never-answered.js").toString(),
      copy.resolve("syntax-error.js").toString(), copy.resolve("good.js").toString()), copy, 100);
    System.out.println(check.output());

    assertThat(check.exit()).as(check.output()).isNotZero();
    assertThat(check.output())
      .contains("FAIL no-p99.js: thresholds lack p(99) on the Trend no_p99_ms")
      .contains("FAIL legacy-ws.js: imports the legacy k6/ws module; use k6/websockets")
      .contains("FAIL never-answered.js: scenario default: failed checks: never answered completed")
      .contains("FAIL syntax-error.js: does not parse as an ES module")
      .contains("ok   good.js")
      .contains("k6 scripts check failed: no-p99.js, legacy-ws.js, never-answered.js, syntax-error.js");
  }

  private static String findNode() {
    String fromEnv = System.getenv("NODE");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Files.isExecutable(Path.of(fromEnv)) ? fromEnv : null;
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      for (String name : List.of("node", "nodejs")) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return candidate.toString();
        }
      }
    }
    return null;
  }

  private record Run(int exit, String output) {
  }

  private static Run run(List<String> command, Path dir, long timeoutSeconds) throws IOException, InterruptedException {
    Path log = Files.createTempFile("k6-check", ".log");
    try {
      Process p = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return new Run(-1, "timed out after " + timeoutSeconds + " s: " + String.join(" ", command) + "\n"
          + Files.readString(log, StandardCharsets.UTF_8));
      }
      return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }
}
