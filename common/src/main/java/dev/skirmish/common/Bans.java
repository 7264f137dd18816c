package dev.skirmish.common;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

/** Lobby bans: level GLOBAL, neither revoked nor expired. Checked at login and again at game host/join. */
public final class Bans {

  /** An active ban: reason and expiry (null = permanent). */
  public record Ban(String reason, OffsetDateTime expiresAt) {

    /** The notice text: duration, reason and how to appeal. */
    public String text() {
      String duration;
      if (expiresAt == null || expiresAt.isAfter(OffsetDateTime.now().plusYears(100))) {
        duration = "forever";
      } else {
        duration = "until " + expiresAt.truncatedTo(ChronoUnit.SECONDS) + " ("
          + Math.max(1, Duration.between(OffsetDateTime.now(), expiresAt).toHours()) + " hours)";
      }
      return "You are banned from the lobby " + duration + ".\nReason: " + reason
        + "\nIf you would like to appeal this ban, contact the moderators.";
    }
  }

  /**
   * The active ban of the player whose id is {@code player} in the enclosing query (a column or a parameter):
   * one row of {@code reason, expires_at}, or none.
   */
  public static String activeBanOf(String player) {
    return "SELECT reason, expires_at FROM ban WHERE player_id = " + player + " AND level = 'GLOBAL' AND revoke_time IS NULL"
      + " AND (expires_at IS NULL OR expires_at > now()) ORDER BY expires_at DESC NULLS FIRST LIMIT 1";
  }

  private static final String ACTIVE_BAN = activeBanOf("$1");

  private Bans() {
  }

  /** The player's active ban, or null. */
  public static Future<Ban> active(Pool pool, int playerId) {
    return pool.preparedQuery(ACTIVE_BAN).execute(Tuple.of(playerId)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row r = rows.iterator().next();
      return new Ban(r.getString("reason"), r.getOffsetDateTime("expires_at"));
    });
  }

  /** The ban in a row with {@code ban_reason, ban_expires} selected from {@link #activeBanOf} (no reason: none). */
  public static Ban of(Row r) {
    return r.getString("ban_reason") == null ? null : new Ban(r.getString("ban_reason"), r.getOffsetDateTime("ban_expires"));
  }
}
