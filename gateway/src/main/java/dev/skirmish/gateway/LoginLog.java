package dev.skirmish.gateway;

import dev.skirmish.common.Failures;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The address, user agent and time of each FAF login, written to the account in batches (one round trip
 * per flush, whatever the number of logins) instead of one write in the path of every login.
 */
final class LoginLog {

  private static final Logger LOG = LoggerFactory.getLogger(LoginLog.class);

  private final AccountRepository accounts;
  private List<Tuple> pending = new ArrayList<>();

  LoginLog(AccountRepository accounts) {
    this.accounts = accounts;
  }

  void record(int playerId, String ip, String userAgent) {
    pending.add(Tuple.of(playerId, ip, userAgent, OffsetDateTime.now(ZoneOffset.UTC)));
  }

  /**
   * Writes every login recorded since the last flush. A batch the database could not be reached for is kept
   * for the next flush (the writes are idempotent); one that failed otherwise is dropped with a warning.
   */
  Future<Void> flush() {
    if (pending.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> batch = pending;
    pending = new ArrayList<>();
    return accounts.recordLogins(batch).onFailure(err -> {
      if (Failures.isUnavailable(err)) {
        batch.addAll(pending);
        pending = batch;
      } else {
        LOG.warn("Could not record {} login(s): {}", batch.size(), err.getMessage());
      }
    });
  }
}
