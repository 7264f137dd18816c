package dev.skirmish.matchmaker;

import java.time.Duration;
import java.time.Instant;

/** Escalation of matchmaker violations: 1 = warning, 2 = 10 min time-out, 3+ = 30 min; forgotten 1 h after the last. */
final class Violations {

  static final Duration RESET_AFTER = Duration.ofHours(1);
  static final Duration SECOND_BAN = Duration.ofMinutes(10);
  static final Duration LATER_BAN = Duration.ofMinutes(30);

  private Violations() {
  }

  /** A player's violation record. {@code bannedUntil} is null for a warning. */
  record Violation(int count, Instant last, Instant bannedUntil) {
  }

  /** The record after one more violation at {@code now}, given the stored one (null if none). */
  static Violation next(Violation previous, Instant now) {
    int count = previous == null || !previous.last().plus(RESET_AFTER).isAfter(now) ? 1 : previous.count() + 1;
    Instant until = switch (count) {
      case 1 -> null;
      case 2 -> now.plus(SECOND_BAN);
      default -> now.plus(LATER_BAN);
    };
    return new Violation(count, now, until);
  }

  /** The info notice a player gets with a violation. */
  static String notice(Violation v) {
    if (v.bannedUntil() == null) {
      return "You failed to connect to your matchmade game. This is a warning: next time you will get a time-out from the matchmaker.";
    }
    long minutes = Duration.between(v.last(), v.bannedUntil()).toMinutes();
    return "You failed to connect to your matchmade game " + v.count() + " times. You cannot queue for the next "
      + minutes + " minutes.";
  }
}
