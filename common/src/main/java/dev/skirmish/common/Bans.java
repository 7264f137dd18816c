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

  private static final String ACTIVE_BAN =
    "SELECT reason, expires_at FROM ban WHERE player_id = $1 AND level = 'GLOBAL' AND revoke_time IS NULL"
      + " AND (expires_at IS NULL OR expires_at > now()) ORDER BY expires_at DESC NULLS FIRST LIMIT 1";

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
}
