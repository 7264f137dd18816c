package dev.skirmish.deploy.load;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Reading {@code jcmd GC.class_histogram} output and the growth per connection between two of them. */
class HeapHistogramTest {

  private static final String BEFORE = """
    12345:
     num     #instances         #bytes  class name (module)
    -------------------------------------------------------
       1:          1000          80000  [B (java.base@17.0.15)
       2:           500          12000  java.lang.String (java.base@17.0.15)
       3:            10            640  dev.skirmish.gateway.OmegaSession
    Total          1510          92640
    """;

  private static final String AFTER = """
    12345:
     num     #instances         #bytes  class name (module)
    -------------------------------------------------------
       1:          3000         280000  [B (java.base@17.0.15)
       2:           700          16800  java.lang.String (java.base@17.0.15)
       3:           110           7040  dev.skirmish.gateway.OmegaSession
       4:           100           4800  io.vertx.core.http.impl.ServerWebSocketImpl
    Total          3910         308640
    """;

  @Test
  @DisplayName("rows are read, headers and the total skipped; classes that grew most come first, per connection")
  void growthPerConnection() {
    HeapHistogram before = HeapHistogram.parse(BEFORE);
    HeapHistogram after = HeapHistogram.parse(AFTER);
    assertThat(before.byClass()).hasSize(3);
    assertThat(before.totalBytes()).isEqualTo(92640);

    var growth = after.growthPerConnection(before, 100, 3);
    assertThat(growth).extracting(HeapHistogram.Growth::className)
      .containsExactly("[B", "dev.skirmish.gateway.OmegaSession", "io.vertx.core.http.impl.ServerWebSocketImpl");
    assertThat(growth.get(0).bytesPerConnection()).isCloseTo(2000, within(0.001));
    assertThat(growth.get(0).instancesPerConnection()).isCloseTo(20, within(0.001));
    assertThat(growth.get(2).bytesPerConnection()).isCloseTo(48, within(0.001));
    assertThat(after.growthTable(before, 100, 2)).contains("| `[B` | 20.00 | 2000 |").contains("| all classes | | 2160 |");
  }
}
