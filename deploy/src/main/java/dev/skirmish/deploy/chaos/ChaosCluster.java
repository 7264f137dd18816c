package dev.skirmish.deploy.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The local multi-JVM cluster that {@code deploy/cluster.sh} started: its nodes (from {@code CLUSTER_DIR/nodes}),
 * the database URL, and the faults the chaos run injects through the same script (SIGKILL of a node, the
 * database stopped and started again).
 */
final class ChaosCluster {

  /** One node: its role, number within the role, pid, (for gateways) HTTP port and management port. */
  record NodeProcess(String role, int number, long pid, int httpPort, int managementPort) {
    boolean alive() {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
  }

  private final Path dir;
  private final Path script;
  final List<NodeProcess> nodes = new ArrayList<>();
  final String databaseUrl;

  ChaosCluster(Path dir, Path script) throws IOException {
    this.dir = dir;
    this.script = script;
    for (String line : Files.readAllLines(dir.resolve("nodes"), StandardCharsets.UTF_8)) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 7) {
        nodes.add(new NodeProcess(f[0], Integer.parseInt(f[1]), Long.parseLong(f[2]), Integer.parseInt(f[3]),
          Integer.parseInt(f[5])));
      }
    }
    Path log = dir.resolve("database.log");
    String url = System.getenv().getOrDefault("DATABASE_URL", "");
    if (url.isEmpty() && Files.exists(log)) {
      url = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("DATABASE_URL="))
        .map(l -> l.substring("DATABASE_URL=".length())).findFirst().orElse("");
    }
    this.databaseUrl = url;
  }

  List<NodeProcess> gateways() {
    return nodes.stream().filter(n -> n.role().equals("gateway")).toList();
  }

  Optional<NodeProcess> node(String role, int number) {
    return nodes.stream().filter(n -> n.role().equals(role) && n.number() == number).findFirst();
  }

  /**
   * SIGKILL of one node (through the script, as an operator would); returns the time the signal was sent, once
   * the process is gone.
   */
  long kill(String role, int number) throws IOException, InterruptedException {
    run("kill", role, String.valueOf(number));
    long sent = System.currentTimeMillis();
    NodeProcess n = node(role, number).orElseThrow();
    ProcessHandle.of(n.pid()).ifPresent(p -> p.onExit().join());
    return sent;
  }

  void stopDatabase() throws IOException, InterruptedException {
    run("database", "stop");
  }

  void startDatabase() throws IOException, InterruptedException {
    run("database", "start");
  }

  /** Whether the embedded database of this cluster is the script's (so that it can be stopped). */
  boolean ownsDatabase() {
    return Files.exists(dir.resolve("database.pid"));
  }

  private void run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
    pb.environment().put("CLUSTER_DIR", dir.toString());
    int rc = pb.start().waitFor();
    if (rc != 0) {
      throw new IOException(String.join(" ", command) + " exited with " + rc);
    }
  }
}
