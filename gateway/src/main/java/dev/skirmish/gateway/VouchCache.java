package dev.skirmish.gateway;

import io.vertx.core.Future;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * What the owner of some data (the games service for a game's members, the session directory for a player's
 * connection) answered this gateway, kept until the owner announces a change of it ({@link #invalidate}).
 *
 * <p>An answer is kept only if no change of its key was announced while it was being fetched: such an answer
 * may describe the data from before that change, so it is fetched again (up to {@value #ATTEMPTS} times; after
 * that the last answer is used once, uncached). Each fetch takes a ticket, and an announcement drops the key's
 * ticket along with its value, so a late answer can never bring back what a change announced since has removed.
 * A value older than {@code maxAgeMs} is fetched again: a safety net for an announcement lost with a node that
 * died between storing a change and announcing it.
 */
final class VouchCache<K, V> {

  /** How many times a fetch is tried when changes keep being announced while it is under way. */
  static final int ATTEMPTS = 4;

  /** A key's value (null while it is being fetched), the ticket it was fetched under, and when it was kept. */
  private record Slot<V>(V value, long ticket, long keptAt) {
  }

  private final Map<K, Slot<V>> slots = new ConcurrentHashMap<>();
  private final AtomicLong tickets = new AtomicLong();
  private final int maxEntries;
  private final long maxAgeMs;
  private final LongSupplier clock;

  /**
   * @param maxEntries past this many keys the cache starts again empty
   * @param maxAgeMs   how long a value is trusted without a new answer
   * @param clock      the time in milliseconds
   */
  VouchCache(int maxEntries, long maxAgeMs, LongSupplier clock) {
    this.maxEntries = maxEntries;
    this.maxAgeMs = maxAgeMs;
    this.clock = clock;
  }

  /** The kept value of {@code key}, or null when there is none (or it is too old). */
  V get(K key) {
    Slot<V> s = slots.get(key);
    if (s == null || s.value() == null) {
      return null;
    }
    if (clock.getAsLong() - s.keptAt() > maxAgeMs) {
      slots.remove(key, s);
      return null;
    }
    return s.value();
  }

  /**
   * Asks {@code fetch} for the value of {@code key} (whatever is kept) and keeps the answer unless a change of
   * {@code key} was announced meanwhile, in which case it asks again. A null answer (nothing to vouch for) is
   * passed on and not kept; a failure is passed on.
   */
  Future<V> load(K key, Function<K, Future<V>> fetch) {
    return load(key, fetch, ATTEMPTS);
  }

  private Future<V> load(K key, Function<K, Future<V>> fetch, int attemptsLeft) {
    long ticket = ticket(key);
    Future<V> answer;
    try {
      answer = fetch.apply(key);
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    return answer.transform(ar -> {
      if (ar.failed() || ar.result() == null) {
        abandon(key, ticket);
        return ar.failed() ? Future.failedFuture(ar.cause()) : Future.succeededFuture();
      }
      if (keep(key, ticket, ar.result()) || attemptsLeft <= 1) {
        return Future.succeededFuture(ar.result());
      }
      return load(key, fetch, attemptsLeft - 1);
    });
  }

  /** A change of {@code key} was announced: its value goes, and no fetch under way may keep its answer. */
  void invalidate(K key) {
    if (key != null) {
      slots.remove(key);
    }
  }

  int size() {
    return slots.size();
  }

  /** The ticket of a fetch of {@code key}: that of the key's slot, which a fetch under way or a kept value holds. */
  private long ticket(K key) {
    if (slots.size() >= maxEntries && !slots.containsKey(key)) {
      slots.clear();
    }
    return slots.computeIfAbsent(key, k -> new Slot<>(null, tickets.incrementAndGet(), 0)).ticket();
  }

  /** Keeps {@code value} if the key still has the slot of {@code ticket}, that is, no change was announced since. */
  private boolean keep(K key, long ticket, V value) {
    Slot<V> kept = slots.computeIfPresent(key,
      (k, s) -> s.ticket() == ticket ? new Slot<>(value, ticket, clock.getAsLong()) : s);
    return kept != null && kept.ticket() == ticket && kept.value() == value;
  }

  /** A fetch under {@code ticket} brought nothing: its empty slot goes (a kept value stays). */
  private void abandon(K key, long ticket) {
    slots.computeIfPresent(key, (k, s) -> s.ticket() == ticket && s.value() == null ? null : s);
  }
}
