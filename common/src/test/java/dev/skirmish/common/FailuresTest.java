package dev.skirmish.common;

import io.vertx.core.VertxException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

class FailuresTest {

  @Test
  @DisplayName("a database that cannot be reached is UNAVAILABLE, however the failure reaches the caller")
  void unreachableDatabase() {
    assertThat(Failures.isUnavailable(new ConnectException("Connection refused"))).isTrue();
    assertThat(Failures.isUnavailable(ClosedConnectionException.INSTANCE)).isTrue();
    assertThat(Failures.isUnavailable(new VertxException("Timeout waiting for connection", true))).isTrue();
    assertThat(Failures.isUnavailable(new PgException("terminating connection", "FATAL", "57P01", null))).isTrue();
    assertThat(Failures.isUnavailable(new PgException("the database system is starting up", "FATAL", "57P03", null)))
      .isTrue();
    assertThat(Failures.isUnavailable(new PgException("connection failure", "FATAL", "08006", null))).isTrue();
    assertThat(Failures.isUnavailable(new RuntimeException("wrapped", new ConnectException("refused")))).isTrue();
    assertThat(Failures.isUnavailable(new ServiceException(Failures.UNAVAILABLE, Failures.UNAVAILABLE_TEXT))).isTrue();
    assertThat(Failures.isUnavailable(
      new ReplyException(ReplyFailure.RECIPIENT_FAILURE, Failures.UNAVAILABLE, Failures.UNAVAILABLE_TEXT))).isTrue();
  }

  @Test
  @DisplayName("other failures are not UNAVAILABLE: SQL errors, other service failures, time-outs of the event bus")
  void otherFailures() {
    assertThat(Failures.isUnavailable(new PgException("duplicate key", "ERROR", "23505", null))).isFalse();
    assertThat(Failures.isUnavailable(new IllegalStateException("bug"))).isFalse();
    assertThat(Failures.isUnavailable(new ServiceException(Failures.CONFLICT, "taken"))).isFalse();
    assertThat(Failures.isUnavailable(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, Failures.INTERNAL, "x")))
      .isFalse();
    assertThat(Failures.isUnavailable(new ReplyException(ReplyFailure.TIMEOUT, -1, "timed out"))).isFalse();
    assertThat(Failures.isUnavailable(null)).isFalse();
  }
}
