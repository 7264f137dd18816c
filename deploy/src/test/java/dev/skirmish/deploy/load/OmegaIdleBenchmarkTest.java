package dev.skirmish.deploy.load;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** The CL Omega idle-connection benchmark's smoke mode runs end to end: no thresholds, only that it completes and reports. */
class OmegaIdleBenchmarkTest {

  @Test
  @Timeout(300)
  @DisplayName("a short run holds authenticated sockets on the bare server and the node, reads both heaps and the node's histogram")
  void smokeRun() throws Exception {
    SmokeRun smoke = new SmokeRun("--connections", "40", "--inflight", "8", "--server-xmx", "256m",
      "--histogram", "5");
    String[] argv = smoke.args();

    OmegaIdleBenchmark.Report report = OmegaIdleBenchmark.run(OmegaIdleBenchmark.Options.parse(argv), argv, smoke.out());
    String printed = smoke.printed();

    assertThat(report.bare()).isNotNull();
    assertThat(report.node().usedAtN()).isPositive();
    assertThat(report.node().atN().growthPerConnection(report.node().atZero(), 40, 5)).hasSize(5);
    assertThat(printed)
      .contains("40 sockets initialised")
      .contains("| server | heap after full GC, none open (MiB) |")
      .contains("Node heap growth by class from 0 to 40 idle CL Omega connections");
  }
}
