package dev.skirmish.deploy.load;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The FAF login benchmark's smoke mode runs end to end: no timing thresholds, only that it completes and reports. */
class FafLoginBenchmarkTest {

  @Test
  @Timeout(300)
  @DisplayName("the smoke mode logs 200 players into the node and both baselines, reads the heaps and prints the table")
  void smokeRun() throws Exception {
    String[] argv = new SmokeRun("--max", "200", "--bands", "100,200", "--heap-at", "200",
      "--warmup", "20", "--settle", "0.5", "--server-xmx", "256m", "--login-timeout", "60", "--server-start", "60",
      // Ticks far shorter than a band of 100 logins, so that presence reaches the clients online within it.
      "--presence-tick-ms", "20", "--histogram", "3").args();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(new Tee(captured, System.out), true, StandardCharsets.UTF_8);

    FafLoginBenchmark.Report report = FafLoginBenchmark.run(FafLoginBenchmark.Options.parse(argv), argv, out);

    assertThat(report.errors()).isZero();
    assertThat(report.product().bands()).hasSize(2);
    assertThat(report.bare().bands()).hasSize(2);
    assertThat(report.sameBytes().bands()).hasSize(2);
    // The same-bytes server sends a login the full online list too: as many bytes per player as the node.
    LoginLoad.Band sameSecond = report.sameBytes().bands().get(1);
    LoginLoad.Band nodeSecond = report.product().bands().get(1);
    assertThat(sameSecond.ownBytesPerLogin()).isBetween(0.5 * nodeSecond.ownBytesPerLogin(),
      1.5 * nodeSecond.ownBytesPerLogin());
    assertThat(sameSecond.othersBytes()).isPositive();
    for (LoginLoad.Band b : report.product().bands()) {
      assertThat(b.logins()).isEqualTo(100);
      assertThat(b.loginsPerSecond()).isPositive();
      assertThat(b.p99Ms()).isGreaterThanOrEqualTo(b.p50Ms());
      // Each login's sequence carries at least welcome and the game list.
      assertThat(b.ownBytesPerLogin()).isPositive();
    }
    // Every client stays online: the second band's clients receive the newcomers' presence.
    assertThat(report.product().bands().get(1).othersBytes()).isPositive();
    assertThat(report.product().heapUsed()).containsKeys(0, 200);
    assertThat(report.bare().heapUsed()).containsKeys(0, 200);
    String printed = captured.toString(StandardCharsets.UTF_8);
    assertThat(printed)
      .contains("| band (players online) |")
      .contains("| 100 – 200 | 200 |")
      .contains("node heap per connection KiB")
      .contains("Node heap growth by class from 0 to 200 online")
      .contains("errors: 0")
      .contains("machine: nproc");
  }

  /** Writes to two streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws java.io.IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }

    @Override
    public void flush() throws java.io.IOException {
      a.flush();
      b.flush();
    }
  }
}
