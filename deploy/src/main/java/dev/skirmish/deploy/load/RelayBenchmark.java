package dev.skirmish.deploy.load;

/**
 * Measures CL Omega relay throughput and latency for one node and for a two-node cluster (hosts on
 * node A, peers on node B), next to a bare Vert.x WebSocket echo server measured in the same run as the
 * ceiling, and prints the figures with their ratios to the ceiling.
 *
 * <pre>
 * java -jar deploy/target/skirmish-all.jar relay-benchmark --pairs 50 --window 4 --seconds 10
 * </pre>
 * Without {@code DATABASE_URL} the nodes share an embedded PostgreSQL in a temporary directory.
 */
public final class RelayBenchmark {

  private RelayBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    RelayBenchmarks.run(args, "CL Omega relay benchmark", OmegaLoadDriver::relay, OmegaLoadDriver::echoPacket,
      "relay, one node", "relay, two-node cluster (host on A, peer on B)");
  }
}
