package dev.skirmish.deploy.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The PeerJS signaling server (the npm package {@code peer}, {@value #VERSION}), the best-known WebRTC signaling
 * relay, as a baseline for the CL Omega relay: installed once with npm into a cache folder and run with Node.js
 * in its own process. Its relay does what a signaling relay must (decode, look the recipient up, add {@code src},
 * encode, send) on one thread, and sends no acknowledgement.
 */
final class PeerJsServer {

  static final String VERSION = "1.0.2";

  private PeerJsServer() {
  }

  /** Where the package is installed unless the benchmark names a folder. */
  static Path defaultDir() {
    return Path.of(System.getProperty("java.io.tmpdir"), "skirmish-peerjs-" + VERSION);
  }

  /**
   * Installs the package into {@code dir} unless it is there, and returns the path of its server program; null
   * (with the reason printed) when Node.js or npm is missing or the install fails. Blocking.
   */
  static Path install(Path dir, java.io.PrintStream out) throws IOException, InterruptedException {
    Path bin = dir.resolve("node_modules/peer/dist/bin/peerjs.js");
    if (Files.isRegularFile(bin)) {
      return bin;
    }
    if (!onPath("node") || !onPath("npm")) {
      out.println("PeerJS baseline skipped: node and npm are needed to run it");
      return null;
    }
    Files.createDirectories(dir);
    out.println("Installing the PeerJS server " + VERSION + " into " + dir);
    Process p = new ProcessBuilder("npm", "install", "--prefix", dir.toString(), "--no-audit", "--no-fund",
      "--loglevel", "error", "peer@" + VERSION).redirectErrorStream(true).redirectOutput(dir.resolve("npm.log").toFile())
      .start();
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0 || !Files.isRegularFile(bin)) {
      p.destroyForcibly();
      out.println("PeerJS baseline skipped: npm install failed, see " + dir.resolve("npm.log"));
      return null;
    }
    return bin;
  }

  /**
   * Starts the server on a free port of the loopback address; ready when {@code GET /} answers 200. Its clients
   * send no HEARTBEAT (a PeerJS client sends one every 5 s), so the server's check for dead clients, which would
   * drop every client after 60 s, is set to an hour: the runs with a long warm-up last longer than a minute.
   */
  static ServerProcess start(Path bin, Path log) throws IOException {
    int port = ServerProcess.freePort();
    List<String> command = List.of("node", bin.toString(), "--port", Integer.toString(port), "--host", "127.0.0.1",
      "--concurrent_limit", "1000000", "--alive_timeout", "3600000");
    return ServerProcess.startCommand("PeerJS server " + VERSION, command, Map.of(), log, port);
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
