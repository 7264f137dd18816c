package dev.skirmish.deploy.load;

/**
 * Measures FAF game relay throughput and latency ({@code IceMsg} from a joiner's game to its host's game,
 * relayed from gateway to gateway) for one node and for a two-node cluster (hosts on node A, joiners on node B),
 * next to a bare Vert.x WebSocket echo server measured in the same run as the ceiling, and prints the
 * figures with their ratios to the ceiling.
 *
 * <pre>
 * java -jar deploy/target/skirmish-all.jar faf-relay-benchmark --pairs 20 --window 2 --seconds 5
 * </pre>
 * Without {@code DATABASE_URL} the nodes share an embedded PostgreSQL in a temporary directory.
 */
public final class FafRelayBenchmark {

  private FafRelayBenchmark() {
  }

  public static void main(String[] args) {
    RelayBenchmarks.run(args, "FAF game relay benchmark", FafLoadDriver::relay, FafLoadDriver::echoPacket,
      "IceMsg relay, one node", "IceMsg relay, two-node cluster (host on A, joiner on B)");
  }
}
