package dev.skirmish.deploy.load;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** The CL Omega relay benchmark's smoke mode runs end to end: no timing thresholds, only that it completes and reports. */
class OmegaRelayBenchmarkTest {

  @Test
  @Timeout(300)
  @DisplayName("a short run against the bare relay and one node relays every packet of both loads and prints the table")
  void smokeRun() throws Exception {
    SmokeRun smoke = new SmokeRun("--servers", "bare,node", "--pairs", "4", "--window", "2",
      "--warmup", "1", "--seconds", "2", "--light-rate", "200", "--light-pairs", "4", "--server-xmx", "256m",
      "--setup", "120");
    String[] argv = smoke.args();

    OmegaRelayBenchmark.Report report = OmegaRelayBenchmark.run(OmegaRelayBenchmark.Options.parse(argv), argv, smoke.out());
    String printed = smoke.printed();

    assertThat(report.errors()).isZero();
    assertThat(report.rows()).extracting(OmegaRelayBenchmark.Row::server)
      .containsExactly(OmegaRelayBenchmark.BARE, OmegaRelayBenchmark.NODE);
    for (OmegaRelayBenchmark.Row r : report.rows()) {
      assertThat(r.throughput().relays()).isPositive();
      assertThat(r.throughput().cpuMicrosPerRelay()).isPositive();
      assertThat(r.throughput().latency().p999Ms()).isGreaterThanOrEqualTo(r.throughput().latency().p50Ms());
      // 200 round trips a second for two seconds: two relays each
      assertThat(r.light().relays()).isBetween(600L, 1000L);
    }
    assertThat(printed)
      .contains("| server | relays/s |")
      .contains("one node vs the bare relay, relays/s")
      .contains("lost or refused relays, all runs: 0");
  }
}
