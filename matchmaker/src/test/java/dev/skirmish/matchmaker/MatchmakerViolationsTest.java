package dev.skirmish.matchmaker;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Escalation of matchmaker violations. */
class MatchmakerViolationsTest {

  private static final Instant T0 = Instant.parse("2025-01-01T12:00:00Z");

  @Test
  void escalates() {
    Violations.Violation first = Violations.next(null, T0);
    assertThat(first.count()).isEqualTo(1);
    assertThat(first.bannedUntil()).isNull();
    Violations.Violation second = Violations.next(first, T0.plusSeconds(60));
    assertThat(second.count()).isEqualTo(2);
    assertThat(second.bannedUntil()).isEqualTo(T0.plusSeconds(60).plus(Duration.ofMinutes(10)));
    Violations.Violation third = Violations.next(second, T0.plusSeconds(120));
    assertThat(third.count()).isEqualTo(3);
    assertThat(third.bannedUntil()).isEqualTo(T0.plusSeconds(120).plus(Duration.ofMinutes(30)));
    Violations.Violation fourth = Violations.next(third, T0.plusSeconds(180));
    assertThat(fourth.count()).isEqualTo(4);
    assertThat(fourth.bannedUntil()).isEqualTo(T0.plusSeconds(180).plus(Duration.ofMinutes(30)));
    assertThat(Violations.notice(first)).contains("warning");
    assertThat(Violations.notice(second)).contains("10 minutes");
  }

  @Test
  void resetsAnHourAfterTheLast() {
    Violations.Violation second = Violations.next(Violations.next(null, T0), T0.plusSeconds(10));
    assertThat(Violations.next(second, T0.plusSeconds(10).plus(Duration.ofMinutes(59))).count()).isEqualTo(3);
    Violations.Violation after = Violations.next(second, T0.plusSeconds(10).plus(Duration.ofHours(1)));
    assertThat(after.count()).isEqualTo(1);
    assertThat(after.bannedUntil()).isNull();
  }
}
