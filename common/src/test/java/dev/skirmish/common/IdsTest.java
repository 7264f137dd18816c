package dev.skirmish.common;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdsTest {

  @Test
  void ulidsAreValidUniqueAndOrdered() {
    String a = Ids.ulid();
    String b = Ids.ulid();
    assertThat(Ids.isUlid(a)).isTrue();
    assertThat(a).hasSize(26).isNotEqualTo(b);
    assertThat(a.compareTo(b)).isNegative();
  }

  @Test
  void validationFollowsCrockfordBase32CaseInsensitively() {
    assertThat(Ids.isUlid("01HNPHRWS0N0AYMM5K4HN31V4W")).isTrue();
    assertThat(Ids.isUlid("01hnphrws0n0aymm5k4hn31v4w")).isTrue();
    assertThat(Ids.canonical("01hnphrws0n0aymm5k4hn31v4w")).isEqualTo("01HNPHRWS0N0AYMM5K4HN31V4W");
    assertThat(Ids.isUlid("01HNPHRWS0N0AYMM5K4HN31V4")).isFalse();   // 25 chars
    assertThat(Ids.isUlid("01HNPHRWS0N0AYMM5K4HN31V4U")).isFalse();  // U is not in the alphabet
    assertThat(Ids.isUlid("81HNPHRWS0N0AYMM5K4HN31V4W")).isFalse();  // overflows 128 bits
    assertThat(Ids.isUlid(42)).isFalse();
    assertThat(Ids.isUlid(null)).isFalse();
  }
}
