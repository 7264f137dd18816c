package dev.skirmish.common;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * A command request from a gateway to a service that is sent again when it never reached a handler.
 *
 * <p>When a node dies, the cluster keeps its consumers for a moment (until Hazelcast has removed the member),
 * and requests routed to it fail at once: the connection to the node is refused, or no consumer is left. Such
 * a request was never handled, so it is sent again after a short pause (0.1 s doubling up to 1 s) and reaches
 * a surviving node of the service; the client sees a slower answer, not an error. A handler's own failure
 * is never retried. A time-out is retried once only for requests the caller marks as safe to repeat: a
 * request written to a node just before it died is lost without an error and only times out, but a request
 * that timed out may also have been handled.
 */
public final class ServiceRequests {

  private static final long FIRST_PAUSE_MS = 100;
  private static final long LONGEST_PAUSE_MS = 1_000;

  private ServiceRequests() {
  }

  /** Sends {@code body} to {@code address}, retried within the send time-out of {@code options} while undelivered. */
  public static Future<Message<JsonObject>> request(Vertx vertx, String address, JsonObject body, DeliveryOptions options) {
    return request(vertx, address, body, options, false);
  }

  /**
   * The same; with {@code repeatable}, a request that timed out is also sent once more (with a new send
   * time-out): for requests whose handling twice does no harm.
   */
  public static Future<Message<JsonObject>> request(Vertx vertx, String address, JsonObject body, DeliveryOptions options,
                                                    boolean repeatable) {
    return attempt(vertx, address, body, options, System.currentTimeMillis() + options.getSendTimeout(), FIRST_PAUSE_MS,
      repeatable);
  }

  private static Future<Message<JsonObject>> attempt(Vertx vertx, String address, JsonObject body, DeliveryOptions options,
                                                     long giveUpAt, long pause, boolean repeatable) {
    return vertx.eventBus().<JsonObject>request(address, body, options).recover(err -> {
      if (repeatable && timedOut(err)) {
        return attempt(vertx, address, body, options, System.currentTimeMillis() + options.getSendTimeout(), pause, false);
      }
      if (!undelivered(err) || System.currentTimeMillis() + pause >= giveUpAt) {
        return Future.failedFuture(err);
      }
      return vertx.timer(pause).compose(v -> attempt(vertx, address, body, options, giveUpAt,
        Math.min(pause * 2, LONGEST_PAUSE_MS), repeatable));
    });
  }

  private static boolean timedOut(Throwable err) {
    return err instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT;
  }

  /** Whether the request failed before any handler got it. */
  static boolean undelivered(Throwable err) {
    if (err instanceof ReplyException re) {
      return re.failureType() != ReplyFailure.RECIPIENT_FAILURE && re.failureType() != ReplyFailure.TIMEOUT;
    }
    return true;
  }
}
