package dev.skirmish.games;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;

import java.util.Map;

/**
 * The games a games node must look at, and when ({@value #DUE_MAP}: game id → epoch millis): a small cluster-wide
 * map, so that the deadline sweep of every games node reads numbers rather than every game document. A game is
 * entered before its document is created, with its first set-up deadline, and stays until it is forgotten; the
 * sweep moves the time on after each look. A time is only ever brought forward by {@link #dueBy}, so it is never
 * later than a deadline written after it (the sweep still finds a deadline written without it, at its next look).
 */
final class DueGames {

  static final String DUE_MAP = "faf.games.due";

  private final Vertx vertx;
  private Future<AsyncMap<String, Long>> map;

  DueGames(Vertx vertx) {
    this.vertx = vertx;
  }

  private Future<AsyncMap<String, Long>> map() {
    if (map == null || map.failed()) {
      map = vertx.sharedData().getAsyncMap(DUE_MAP);
    }
    return map;
  }

  /** Makes sure game {@code id} is looked at no later than {@code at}. */
  Future<Void> dueBy(long id, long at) {
    String key = GamesContext.key(id);
    return map().compose(m -> m.get(key).compose(current -> {
      if (current != null && current <= at) {
        return Future.succeededFuture();
      }
      Future<Boolean> stored = current == null
        ? m.putIfAbsent(key, at).map(prev -> prev == null)
        : m.replaceIfPresent(key, current, at);
      return stored.compose(ok -> ok ? Future.succeededFuture() : dueBy(id, at));
    }));
  }

  /** Every game with the time it is due at. */
  Future<Map<String, Long>> entries() {
    return map().compose(AsyncMap::entries);
  }

  /**
   * Moves game {@code key} from {@code was} to {@code next} (null = no longer due: it is forgotten), unless
   * another node moved it first.
   */
  Future<Void> move(String key, long was, Long next) {
    return map().compose(m -> next == null ? m.removeIfPresent(key, was) : m.replaceIfPresent(key, was, next)).mapEmpty();
  }

  /** Game {@code id} is forgotten. */
  Future<Void> forget(long id) {
    return map().compose(m -> m.remove(GamesContext.key(id))).mapEmpty();
  }
}
