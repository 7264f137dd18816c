package dev.skirmish.gateway;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class VouchCacheTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final VouchCache<Long, Set<Integer>> cache = new VouchCache<>(100, 60_000, now::get);

  /** A fetch whose answers the test gives one at a time, in the order asked. */
  private static final class Owner implements Function<Long, Future<Set<Integer>>> {
    final Deque<Promise<Set<Integer>>> asked = new ArrayDeque<>();
    int count;

    @Override
    public Future<Set<Integer>> apply(Long key) {
      count++;
      Promise<Set<Integer>> p = Promise.promise();
      asked.add(p);
      return p.future();
    }

    void answer(Set<Integer> value) {
      asked.removeFirst().complete(value);
    }
  }

  @Test
  @DisplayName("an answer is kept and used until its key is invalidated; then the owner is asked again")
  void keptUntilInvalidated() {
    Owner owner = new Owner();
    Future<Set<Integer>> loaded = cache.load(7L, owner);
    assertThat(cache.get(7L)).isNull();
    owner.answer(Set.of(1, 2));
    assertThat(loaded.result()).containsExactlyInAnyOrder(1, 2);
    assertThat(cache.get(7L)).containsExactlyInAnyOrder(1, 2);
    assertThat(cache.get(8L)).isNull();

    cache.invalidate(7L);
    assertThat(cache.get(7L)).isNull();
    Future<Set<Integer>> again = cache.load(7L, owner);
    owner.answer(Set.of(1));
    assertThat(again.result()).containsExactly(1);
    assertThat(cache.get(7L)).containsExactly(1);
    assertThat(owner.count).isEqualTo(2);
  }

  @Test
  @DisplayName("an answer that was under way while its key was invalidated is not kept: the owner is asked again")
  void answerRacingAnInvalidationIsFetchedAgain() {
    Owner owner = new Owner();
    Future<Set<Integer>> loaded = cache.load(7L, owner);
    cache.invalidate(7L);
    owner.answer(Set.of(1, 2)); // read before the change: must not survive it
    assertThat(loaded.isComplete()).isFalse();
    assertThat(cache.get(7L)).isNull();
    assertThat(owner.count).isEqualTo(2);
    owner.answer(Set.of(1));
    assertThat(loaded.result()).containsExactly(1);
    assertThat(cache.get(7L)).containsExactly(1);
  }

  @Test
  @DisplayName("an invalidation of another key does not disturb a fetch")
  void otherKeysDoNotDisturb() {
    Owner owner = new Owner();
    Future<Set<Integer>> loaded = cache.load(7L, owner);
    cache.invalidate(8L);
    owner.answer(Set.of(3));
    assertThat(loaded.result()).containsExactly(3);
    assertThat(cache.get(7L)).containsExactly(3);
    assertThat(owner.count).isEqualTo(1);
  }

  @Test
  @DisplayName("a stale answer of an older fetch never replaces what a newer fetch, begun after the change, kept")
  void olderFetchCannotOverwriteNewer() {
    Owner owner = new Owner();
    Future<Set<Integer>> older = cache.load(7L, owner);
    cache.invalidate(7L);
    Future<Set<Integer>> newer = cache.load(7L, owner);
    owner.answer(Set.of(1, 2)); // the older fetch's answer, from before the change: asked again
    owner.answer(Set.of(1));    // the newer fetch's answer: kept
    assertThat(newer.result()).containsExactly(1);
    assertThat(cache.get(7L)).containsExactly(1);
    owner.answer(Set.of(1));    // the older fetch's second answer, under the newer ticket: kept as well
    assertThat(older.result()).containsExactly(1);
    assertThat(cache.get(7L)).containsExactly(1);
  }

  @Test
  @DisplayName("when changes keep coming, the last of ATTEMPTS answers is used once and not kept")
  void givesUpKeepingAfterAttempts() {
    Owner owner = new Owner();
    Future<Set<Integer>> loaded = cache.load(7L, owner);
    for (int i = 1; i <= VouchCache.ATTEMPTS; i++) {
      cache.invalidate(7L);
      owner.answer(Set.of(i));
    }
    assertThat(loaded.result()).containsExactly(VouchCache.ATTEMPTS);
    assertThat(owner.count).isEqualTo(VouchCache.ATTEMPTS);
    assertThat(cache.get(7L)).isNull();
  }

  @Test
  @DisplayName("a null answer or a failure is not kept, and the next load asks again")
  void nothingKeptFromNullOrFailure() {
    Owner owner = new Owner();
    Future<Set<Integer>> none = cache.load(7L, owner);
    owner.answer(null);
    assertThat(none.succeeded()).isTrue();
    assertThat(none.result()).isNull();
    assertThat(cache.get(7L)).isNull();
    assertThat(cache.size()).isZero();

    Future<Set<Integer>> failing = cache.load(7L, owner);
    owner.asked.removeFirst().fail("owner unavailable");
    assertThat(failing.failed()).isTrue();
    assertThat(cache.size()).isZero();

    Future<Set<Integer>> later = cache.load(7L, owner);
    owner.answer(Set.of(5));
    assertThat(later.result()).containsExactly(5);
    assertThat(owner.count).isEqualTo(3);
  }

  @Test
  @DisplayName("asking again for a key with a kept value (a refusal re-checked) keeps the new answer")
  void refreshReplacesKeptValue() {
    Owner owner = new Owner();
    cache.load(7L, owner);
    owner.answer(Set.of(1));
    Future<Set<Integer>> fresh = cache.load(7L, owner);
    owner.answer(Set.of(1, 2));
    assertThat(fresh.result()).containsExactlyInAnyOrder(1, 2);
    assertThat(cache.get(7L)).containsExactlyInAnyOrder(1, 2);
  }

  @Test
  @DisplayName("a value older than the maximum age is no longer used")
  void valuesAgeOut() {
    Owner owner = new Owner();
    cache.load(7L, owner);
    owner.answer(Set.of(1));
    now.addAndGet(60_000);
    assertThat(cache.get(7L)).containsExactly(1);
    now.addAndGet(1);
    assertThat(cache.get(7L)).isNull();
    assertThat(cache.size()).isZero();
  }

  @Test
  @DisplayName("past the maximum number of keys the cache starts again empty")
  void boundedInSize() {
    VouchCache<Long, Set<Integer>> small = new VouchCache<>(3, 60_000, now::get);
    for (long k = 1; k <= 3; k++) {
      small.load(k, key -> Future.succeededFuture(Set.of(key.intValue())));
    }
    assertThat(small.size()).isEqualTo(3);
    small.load(4L, key -> Future.succeededFuture(Set.of(4)));
    assertThat(small.size()).isEqualTo(1);
    assertThat(small.get(1L)).isNull();
    assertThat(small.get(4L)).containsExactly(4);
  }
}
