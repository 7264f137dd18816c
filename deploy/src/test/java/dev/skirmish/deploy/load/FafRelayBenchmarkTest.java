package dev.skirmish.deploy.load;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The FAF game relay benchmark's smoke mode runs end to end: no timing thresholds, only that it relays and reports. */
class FafRelayBenchmarkTest {

  @Test
  @Timeout(300)
  @DisplayName("a short run relays IceMsg through the echo ceiling, one node and a two-node cluster")
  void smokeRun() throws Exception {
    List<LatencyRecorder.Summary> results = RelayBenchmarks.course(
      new String[] {"--pairs", "2", "--window", "1", "--warmup", "0.5", "--seconds", "1"}, "FAF game relay benchmark",
      FafLoadDriver::relay, FafLoadDriver::echoPacket, "one node", "cluster");
    assertThat(results).extracting(LatencyRecorder.Summary::name)
      .containsExactly("bare Vert.x WebSocket echo (ceiling)", "one node", "cluster");
    for (LatencyRecorder.Summary s : results) {
      assertThat(s.messages()).as("messages relayed by %s", s.name()).isPositive();
      assertThat(s.p99Ms()).isGreaterThanOrEqualTo(s.p50Ms());
    }
  }
}
