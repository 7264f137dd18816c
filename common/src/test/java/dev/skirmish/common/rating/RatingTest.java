package dev.skirmish.common.rating;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RatingTest {

  @Test
  void displayedIsMeanMinusThreeDeviations() {
    assertThat(new Rating(1500, 500).displayed()).isEqualTo(0);
    assertThat(new Rating(1800, 75).displayed()).isEqualTo(1575);
    assertThat(new Rating(25, 25.0 / 3).displayed()).isCloseTo(0, Offset.offset(1e-12));
  }

  @Test
  void rejectsNonPositiveOrNonFiniteValues() {
    assertThatThrownBy(() -> new Rating(1500, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Rating(1500, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Rating(Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Rating(1, Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void gaussianHelpersMatchKnownValues() {
    Offset<Double> tight = Offset.offset(1e-7);
    assertThat(Gaussian.pdf(0)).isCloseTo(0.3989422804, tight);
    assertThat(Gaussian.pdf(1)).isCloseTo(0.2419707245, tight);
    assertThat(Gaussian.cdf(0)).isCloseTo(0.5, tight);
    assertThat(Gaussian.cdf(1.959963985)).isCloseTo(0.975, tight);
    assertThat(Gaussian.cdf(-1)).isCloseTo(0.1586552539, tight);
    assertThat(Gaussian.inverseCdf(0.975)).isCloseTo(1.959963985, Offset.offset(1e-5));
    assertThat(Gaussian.inverseCdf(0.55)).isCloseTo(0.1256613469, Offset.offset(1e-5));
    assertThat(Gaussian.inverseCdf(0.001)).isCloseTo(-3.090232306, Offset.offset(1e-5));
    for (double p = 0.01; p < 1; p += 0.01) {
      assertThat(Gaussian.cdf(Gaussian.inverseCdf(p))).isCloseTo(p, Offset.offset(1e-9));
    }
    assertThatThrownBy(() -> Gaussian.inverseCdf(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Gaussian.inverseCdf(1)).isInstanceOf(IllegalArgumentException.class);
  }
}
