package dev.skirmish.gateway;

import io.vertx.core.Vertx;

/**
 * Closes a connection that sends nothing for {@code IDLE_TIMEOUT_SECONDS}: every inbound message or frame
 * {@link #touch()}es it (a field write, no timer work); one timer per connection checks when the time could
 * be up and re-arms itself for the rest.
 */
final class IdleTimeout {

  private final Vertx vertx;
  private final long limitMs;
  private final Runnable onIdle;
  private volatile long lastActivity = System.currentTimeMillis();
  private long timer;
  private boolean cancelled;

  IdleTimeout(Vertx vertx, long limitMs, Runnable onIdle) {
    this.vertx = vertx;
    this.limitMs = limitMs;
    this.onIdle = onIdle;
    this.timer = vertx.setTimer(limitMs, t -> check());
  }

  void touch() {
    lastActivity = System.currentTimeMillis();
  }

  private void check() {
    if (cancelled) {
      return;
    }
    long idle = System.currentTimeMillis() - lastActivity;
    if (idle >= limitMs) {
      onIdle.run();
    } else {
      timer = vertx.setTimer(limitMs - idle, t -> check());
    }
  }

  void cancel() {
    cancelled = true;
    vertx.cancelTimer(timer);
  }
}
