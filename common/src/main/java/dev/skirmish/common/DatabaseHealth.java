package dev.skirmish.common;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the node's PostgreSQL answers: {@code SELECT 1} through the node's pool every
 * {@code DATABASE_PROBE_MS}, and at once when a real query failed because the database could not be reached
 * ({@link Failures#isUnavailable}). A probe without an answer within {@code DATABASE_PROBE_TIMEOUT_MS} counts
 * as a failure. The state changes only on a probe's outcome, and each change is logged once: a WARN when the
 * database goes down, an INFO when it answers again.
 */
public final class DatabaseHealth {

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseHealth.class);

  private final Vertx vertx;
  private final Pool pool;
  private final long timeoutMs;
  private final AtomicBoolean up = new AtomicBoolean(true);
  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile long downSince;
  private long timer = -1;

  private DatabaseHealth(Vertx vertx, Pool pool, long timeoutMs) {
    this.vertx = vertx;
    this.pool = pool;
    this.timeoutMs = timeoutMs;
  }

  /** Starts probing {@code pool}, which has just answered (the state starts up). */
  public static DatabaseHealth start(Vertx vertx, Pool pool, NodeConfig config) {
    DatabaseHealth health = new DatabaseHealth(vertx, pool, config.getLong(Setting.DATABASE_PROBE_TIMEOUT_MS));
    long every = config.getLong(Setting.DATABASE_PROBE_MS);
    health.timer = vertx.setPeriodic(every, every, t -> health.probe());
    return health;
  }

  /** Whether the last probe was answered. */
  public boolean isUp() {
    return up.get();
  }

  /** A real query failed: when the failure says the database cannot be reached, probes at once. */
  public void failed(Throwable err) {
    if (Failures.isUnavailable(err)) {
      probe();
    }
  }

  /** Stops probing. */
  public void stop() {
    vertx.cancelTimer(timer);
  }

  /** One probe, unless one is already under way; its outcome becomes the state. */
  void probe() {
    if (!probing.compareAndSet(false, true)) {
      return;
    }
    Promise<Void> outcome = Promise.promise();
    long deadline = vertx.setTimer(timeoutMs,
      t -> outcome.tryFail("no answer to SELECT 1 within " + timeoutMs + " ms"));
    pool.query("SELECT 1").execute().onComplete(ar -> {
      vertx.cancelTimer(deadline);
      if (ar.succeeded()) {
        outcome.tryComplete();
      } else {
        outcome.tryFail(ar.cause());
      }
    });
    outcome.future().onComplete(ar -> {
      probing.set(false);
      if (ar.succeeded()) {
        if (up.compareAndSet(false, true)) {
          LOG.info("Database reachable again after {} ms: /ready answers 200", System.currentTimeMillis() - downSince);
        }
      } else if (up.compareAndSet(true, false)) {
        downSince = System.currentTimeMillis();
        LOG.warn("Database unreachable ({}): /ready answers 503 and commands that need it are refused until it answers",
          ar.cause().getMessage());
      }
    });
  }
}
