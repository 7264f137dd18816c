package dev.skirmish.deploy.load;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the benchmarks' smoke tests share: their command line (with {@code --database-url} from {@code
 * TEST_DATABASE_URL} when the tests run against an external PostgreSQL) and the captured report.
 */
final class SmokeRun {

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
  private final String[] args;

  SmokeRun(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    String external = System.getenv("TEST_DATABASE_URL");
    if (external != null && !external.isBlank()) {
      all.addAll(List.of("--database-url", external));
    }
    this.args = all.toArray(String[]::new);
  }

  String[] args() {
    return args;
  }

  /** Where the benchmark prints its report. */
  PrintStream out() {
    return out;
  }

  /** The report printed so far, also copied to standard output (so that the build log keeps the figures). */
  String printed() {
    String text = captured.toString(StandardCharsets.UTF_8);
    System.out.print(text);
    return text;
  }
}
