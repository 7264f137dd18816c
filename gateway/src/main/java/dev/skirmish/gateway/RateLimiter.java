package dev.skirmish.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts events per key in fixed windows: at most {@code limit} events per key in {@code windowMs}, the
 * window starting at the key's first event. Node-local and in memory; {@link #prune()} forgets finished
 * windows, so the memory held is bounded by the keys active in one window.
 */
final class RateLimiter {

  private record Window(long start, int count) {
  }

  private final int limit;
  private final long windowMs;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  RateLimiter(int limit, long windowMs) {
    this.limit = limit;
    this.windowMs = windowMs;
  }

  /** Counts one event of {@code key}: 0 when it is within the limit, else the seconds until the window ends. */
  long hit(String key) {
    long now = System.currentTimeMillis();
    Window w = windows.compute(key, (k, old) -> old == null || now - old.start() >= windowMs
      ? new Window(now, 1)
      : new Window(old.start(), old.count() + 1));
    return w.count() > limit ? secondsLeft(w, now) : 0;
  }

  /** Without counting: 0 when {@code key} may have another event, else the seconds until its window ends. */
  long retryAfter(String key) {
    long now = System.currentTimeMillis();
    Window w = windows.get(key);
    if (w == null || now - w.start() >= windowMs || w.count() < limit) {
      return 0;
    }
    return secondsLeft(w, now);
  }

  private long secondsLeft(Window w, long now) {
    return Math.max(1, (w.start() + windowMs - now + 999) / 1000);
  }

  /** Forgets every finished window. */
  void prune() {
    long now = System.currentTimeMillis();
    windows.values().removeIf(w -> now - w.start() >= windowMs);
  }
}
