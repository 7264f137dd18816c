package dev.skirmish.matchmaker;

import dev.skirmish.common.Faf;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Matchmaker violations (a matchmade game a player failed, or a ready check they let expire), stored in
 * {@code matchmaker_violation}; escalation rules in {@link Violations}.
 */
final class ViolationService {

  private static final Logger LOG = LoggerFactory.getLogger(ViolationService.class);

  private static final String VIOLATION =
    "SELECT count, last_time, banned_until FROM matchmaker_violation WHERE player_id = $1 FOR UPDATE";
  private static final String SAVE_VIOLATION =
    "INSERT INTO matchmaker_violation (player_id, count, last_time, banned_until) VALUES ($1, $2, $3, $4)"
      + " ON CONFLICT (player_id) DO UPDATE SET count = EXCLUDED.count, last_time = EXCLUDED.last_time,"
      + " banned_until = EXCLUDED.banned_until";

  private final Pool pool;
  private final Outbox outbox;

  ViolationService(Pool pool, Outbox outbox) {
    this.pool = pool;
    this.outbox = outbox;
  }

  /** One more violation of {@code player}: stored, then {@code search_violation} and an info notice to them. */
  Future<Violations.Violation> record(int player) {
    Instant now = Instant.now();
    return pool.withTransaction(conn -> conn.preparedQuery(VIOLATION).execute(Tuple.of(player)).compose(rows -> {
      Violations.Violation previous = null;
      if (rows.size() > 0) {
        Row r = rows.iterator().next();
        OffsetDateTime until = r.getOffsetDateTime("banned_until");
        previous = new Violations.Violation(r.getInteger("count"), r.getOffsetDateTime("last_time").toInstant(),
          until == null ? null : until.toInstant());
      }
      Violations.Violation next = Violations.next(previous, now);
      return conn.preparedQuery(SAVE_VIOLATION).execute(Tuple.of(player, next.count(),
          now.atOffset(ZoneOffset.UTC), next.bannedUntil() == null ? null : next.bannedUntil().atOffset(ZoneOffset.UTC)))
        .map(done -> next);
    })).onSuccess(v -> {
      outbox.push(player, Faf.command("search_violation").put("count", v.count()).put("time", v.last().toString()));
      outbox.push(player, Faf.infoNotice(Violations.notice(v)));
    }).onFailure(err -> LOG.warn("Violation of player {} not recorded: {}", player, err.getMessage()));
  }
}
