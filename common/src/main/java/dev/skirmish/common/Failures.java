package dev.skirmish.common;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;

import java.net.ConnectException;

/**
 * Failure codes of event-bus replies ({@code message.fail(code, text)}), modelled on HTTP statuses, and the one
 * rule that says which failures mean "the database cannot be reached" ({@link #UNAVAILABLE}).
 */
public final class Failures {

  private Failures() {
  }

  /** The command is malformed or has wrong field types; the text is shown to the client. */
  public static final int BAD_REQUEST = 400;
  /** The caller may not do this. */
  public static final int FORBIDDEN = 403;
  /** The entity the command names does not exist. */
  public static final int NOT_FOUND = 404;
  /** The command conflicts with the current state. */
  public static final int CONFLICT = 409;
  /** The service does not handle this command. */
  public static final int UNSUPPORTED = 501;
  /** The service failed unexpectedly. */
  public static final int INTERNAL = 500;
  /** The database cannot be reached right now; the command may succeed when retried. */
  public static final int UNAVAILABLE = 503;

  /** What a client is told when its command failed with {@link #UNAVAILABLE}. */
  public static final String UNAVAILABLE_TEXT =
    "The server's database is temporarily unavailable: please try again in a moment.";

  /** The message of the pool's failure when no connection became free (or could be opened) in time. */
  private static final String POOL_TIMEOUT = "Timeout waiting for connection";

  /**
   * Whether {@code err} means the database cannot be reached: a connection that could not be opened (refused,
   * timed out, none free in time) or was closed under a query, PostgreSQL refusing connections or terminating
   * them because it is shutting down or starting (SQLSTATE class 08, 57P01-57P03), or a reply of another
   * service that failed with {@link #UNAVAILABLE}. Causes are followed, so a wrapped failure counts too.
   */
  public static boolean isUnavailable(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ReplyException re) {
        return re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() == UNAVAILABLE;
      }
      if (t instanceof ServiceException se) {
        return se.code() == UNAVAILABLE;
      }
      if (t instanceof ConnectException || t instanceof ClosedConnectionException
        || POOL_TIMEOUT.equals(t.getMessage())) {
        return true;
      }
      if (t instanceof DatabaseException db && db.getSqlState() != null) {
        String state = db.getSqlState();
        return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
      }
    }
    return false;
  }
}
