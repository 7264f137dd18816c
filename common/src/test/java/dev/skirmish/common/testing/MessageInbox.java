package dev.skirmish.common.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Messages a test client received, and futures that wait for the next one matching a predicate.
 * A waiter takes the first unclaimed matching message (earlier non-matching ones stay for later waiters);
 * it fails after a time-out with the list of everything received, so a failing test says what came instead.
 */
public final class MessageInbox {

  private static final long DEFAULT_TIMEOUT_MS = 10_000;

  private record Waiter(Predicate<JsonObject> predicate, Promise<JsonObject> promise, String what) {
  }

  private final Vertx vertx;
  private final List<JsonObject> unclaimed = new ArrayList<>();
  private final List<JsonObject> history = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private final Promise<Void> closed = Promise.promise();

  public MessageInbox(Vertx vertx) {
    this.vertx = vertx;
  }

  public synchronized void add(JsonObject message) {
    history.add(message);
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (w.predicate().test(message)) {
        it.remove();
        w.promise().tryComplete(message);
        return;
      }
    }
    unclaimed.add(message);
  }

  public void markClosed() {
    closed.tryComplete();
  }

  /** Completes when the connection is closed. */
  public Future<Void> closed() {
    return closed.future();
  }

  /** Fails after the time-out unless the connection closes first. */
  public Future<Void> expectClosed() {
    Promise<Void> p = Promise.promise();
    long timer = vertx.setTimer(DEFAULT_TIMEOUT_MS, t -> p.tryFail("connection was not closed; received " + history()));
    closed.future().onComplete(ar -> {
      vertx.cancelTimer(timer);
      p.tryComplete();
    });
    return p.future();
  }

  /** The next unclaimed message matching {@code predicate}. */
  public synchronized Future<JsonObject> next(Predicate<JsonObject> predicate, String what) {
    for (Iterator<JsonObject> it = unclaimed.iterator(); it.hasNext(); ) {
      JsonObject m = it.next();
      if (predicate.test(m)) {
        it.remove();
        return Future.succeededFuture(m);
      }
    }
    Promise<JsonObject> promise = Promise.promise();
    Waiter waiter = new Waiter(predicate, promise, what);
    waiters.add(waiter);
    long timer = vertx.setTimer(DEFAULT_TIMEOUT_MS, t -> {
      synchronized (this) {
        waiters.remove(waiter);
      }
      promise.tryFail("timed out waiting for " + what + "; received " + history());
    });
    return promise.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  /** The very next unclaimed message, whatever it is. */
  public Future<JsonObject> next() {
    return next(m -> true, "any message");
  }

  /** Everything received so far, in order. */
  public synchronized List<JsonObject> history() {
    return List.copyOf(history);
  }

  /** Unclaimed messages (received but not taken by a waiter). */
  public synchronized List<JsonObject> unclaimed() {
    return List.copyOf(unclaimed);
  }
}
