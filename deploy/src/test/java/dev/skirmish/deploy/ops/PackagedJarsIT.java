package dev.skirmish.deploy.ops;

import dev.skirmish.common.testing.TestDatabase;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two runnable jars `package` builds (run by failsafe after it): skirmish-all.jar carries the embedded
 * PostgreSQL for Linux x86-64 only; skirmish-server.jar, the container image's, carries none, refuses to start
 * without DATABASE_URL with a message that says so, and with one starts a node that answers /ready.
 */
class PackagedJarsIT {

  private static final Pattern NODE_READY = Pattern.compile(".*Node \\S+ ready.*");

  private static Path jar(String name) {
    Path jar = DeployFiles.deployDir().resolve("target").resolve(name);
    assertThat(jar).as(name + " (built by mvn package)").isRegularFile();
    return jar;
  }

  private static List<String> entries(Path jar) throws IOException {
    try (JarFile f = new JarFile(jar.toFile())) {
      return f.stream().map(ZipEntry::getName).toList();
    }
  }

  @Test
  @DisplayName("skirmish-all.jar: the embedded PostgreSQL binaries for Linux x86-64 and no other platform")
  void allJarCarriesLinuxOnly() throws IOException {
    List<String> entries = entries(jar("skirmish-all.jar"));
    assertThat(entries.stream().filter(e -> e.matches("postgres-.*\\.txz")))
      .containsExactly("postgres-linux-x86_64.txz");
    assertThat(entries).contains("io/zonky/test/db/postgres/embedded/EmbeddedPostgres.class");
  }

  @Test
  @DisplayName("skirmish-server.jar: no embedded PostgreSQL classes or binaries; the node and Hazelcast's Kubernetes discovery are in")
  void serverJarHasNoEmbeddedDatabase() throws IOException {
    Path jar = jar("skirmish-server.jar");
    List<String> entries = entries(jar);
    assertThat(entries).as("io/zonky entries").noneMatch(e -> e.startsWith("io/zonky/"));
    assertThat(entries).as("PostgreSQL binaries").noneMatch(e -> e.endsWith(".txz"));
    assertThat(entries).contains("dev/skirmish/deploy/Main.class", "com/hazelcast/kubernetes/KubernetesConfig.class");
    try (JarFile f = new JarFile(jar.toFile())) {
      assertThat(f.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("dev.skirmish.deploy.Main");
    }
    assertThat(Files.size(jar)).as("server jar smaller than the all jar").isLessThan(Files.size(jar("skirmish-all.jar")));
  }

  @Test
  @Timeout(60)
  @DisplayName("skirmish-server.jar without DATABASE_URL exits with a message naming DATABASE_URL and starts no database")
  void serverJarRefusesWithoutDatabaseUrl(@TempDir Path dir) throws Exception {
    Process p = start(dir, Map.of());
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("exit status; output:\n" + output).isEqualTo(2);
    assertThat(output).contains("Invalid configuration: DATABASE_URL is required").contains("no embedded PostgreSQL");
    assertThat(dir.resolve("pg")).as("no embedded data directory").doesNotExist();
  }

  @Test
  @Timeout(180)
  @DisplayName("skirmish-server.jar with DATABASE_URL starts a node of every role whose management port answers /ready")
  void serverJarStartsWithDatabaseUrl(@TempDir Path dir) throws Exception {
    int management = freePort();
    // Every role, the gateway included: its REST router reads the OpenAPI document, so the jar must carry the parser.
    Process p = start(dir, Map.of("DATABASE_URL", TestDatabase.url(), "MANAGEMENT_PORT", Integer.toString(management),
      "HTTP_HOST", "127.0.0.1"));
    try {
      StringBuilder output = new StringBuilder();
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          output.append(line).append('\n');
          if (NODE_READY.matcher(line).matches()) {
            break;
          }
        }
        assertThat(line).as("a ready line before the process ended; output:\n" + output).isNotNull();
        HttpResponse<String> ready = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/ready")).build(),
          HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).as("/ready: " + ready.body()).isEqualTo(200);
        p.destroy();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
      }
    } finally {
      p.destroyForcibly();
    }
  }

  /** skirmish-server.jar in a child JVM with this environment (DATABASE_URL only when given), output merged. */
  private static Process start(Path dir, Map<String, String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Xmx256m", "-jar", jar("skirmish-server.jar").toString())
      .directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().remove("DATABASE_URL");
    pb.environment().remove("CONFIG_FILE");
    pb.environment().putAll(Map.of("HTTP_PORT", "0", "FAF_TCP_PORT", "-1", "MANAGEMENT_PORT", "0",
      "EMBEDDED_PG_DIR", dir.resolve("pg").toString(), "CLUSTER_NAME", "packaged-" + UUID.randomUUID()));
    pb.environment().putAll(env);
    return pb.start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
