package dev.skirmish.common;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * Events a service must act on (a player went offline, a socket closed, a match failed), sent as a request
 * to one node of the service and retried until a node acknowledges having carried it out.
 *
 * <p>A plain publish is lost when no node of the service is listening at that moment (every node of the role
 * is restarting, or the one that received it dies while handling it). Here the sender keeps the event until a
 * consumer replies: no consumer, no reply in time, or a failed handler (say, its compare-and-set or the
 * database failed) are retried with a growing pause (0.25 s doubling up to 5 s) until the retry window ends,
 * and only then given up with a warning. Handlers must therefore be idempotent: a handler that acted but whose
 * reply was lost sees the event again. Each node of the role consumes the address, so any one of them handles
 * the event; which one does not matter because the state they change lives in the cluster.
 */
public final class AckedEvents {

  private static final Logger LOG = LoggerFactory.getLogger(AckedEvents.class);
  private static final long FIRST_PAUSE_MS = 250;
  private static final long LONGEST_PAUSE_MS = 5_000;

  private final Vertx vertx;
  private final long windowMs;
  private final DeliveryOptions options;

  /**
   * @param windowMs how long an event is retried before it is given up
   * @param replyTimeoutMs how long one attempt waits for the handler's acknowledgement
   */
  public AckedEvents(Vertx vertx, long windowMs, long replyTimeoutMs) {
    this.vertx = vertx;
    this.windowMs = windowMs;
    this.options = new DeliveryOptions().setSendTimeout(replyTimeoutMs);
  }

  /** With the node's {@link Setting#EVENT_RETRY_SECONDS} and {@link Setting#EVENT_REPLY_TIMEOUT_MS}. */
  public static AckedEvents from(Vertx vertx, NodeConfig config) {
    return new AckedEvents(vertx, config.getLong(Setting.EVENT_RETRY_SECONDS) * 1000,
      config.getLong(Setting.EVENT_REPLY_TIMEOUT_MS));
  }

  /**
   * Sends {@code event} to one consumer of {@code address}; completes once a consumer acknowledged it, or fails
   * when the retry window ended first (the failure is also logged, so callers may ignore it).
   */
  public Future<Void> send(String address, JsonObject event) {
    return attempt(address, event, System.currentTimeMillis() + windowMs, FIRST_PAUSE_MS, 1);
  }

  private Future<Void> attempt(String address, JsonObject event, long giveUpAt, long pause, int n) {
    return vertx.eventBus().request(address, event, options).<Void>mapEmpty().recover(err -> {
      long now = System.currentTimeMillis();
      if (now + pause > giveUpAt) {
        LOG.warn("Event to {} given up after {} attempts ({}): {}", address, n, err.getMessage(), event.encode());
        return Future.failedFuture(err);
      }
      if (n == 1 || LOG.isDebugEnabled()) {
        LOG.info("Event to {} not acknowledged ({}); retrying for up to {} s", address, describe(err),
          (giveUpAt - now) / 1000);
      }
      return vertx.timer(pause).compose(v -> attempt(address, event, giveUpAt, Math.min(pause * 2, LONGEST_PAUSE_MS), n + 1));
    });
  }

  private static String describe(Throwable err) {
    if (err instanceof ReplyException re) {
      return re.failureType() == ReplyFailure.NO_HANDLERS ? "no node of the service is listening"
        : re.failureType() == ReplyFailure.TIMEOUT ? "no acknowledgement in time" : "handler failed: " + re.getMessage();
    }
    return err.getMessage();
  }

  /**
   * Consumes the events of {@code address}: each is acknowledged once {@code handler}'s future succeeds, and
   * failed otherwise, so that its sender retries it. An exception thrown by the handler counts as a failure.
   */
  public static MessageConsumer<JsonObject> consume(Vertx vertx, String address,
                                                    Function<JsonObject, Future<?>> handler) {
    return vertx.eventBus().<JsonObject>consumer(address, msg -> Future.succeededFuture(msg.body())
      .compose(handler::apply)
      .onSuccess(v -> msg.reply(null))
      .onFailure(err -> {
        LOG.warn("Event on {} failed, its sender will retry: {}", address, err.getMessage());
        msg.fail(Failures.INTERNAL, "event not handled: " + err.getMessage());
      }));
  }
}
