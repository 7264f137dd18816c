package dev.skirmish.party;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

import java.util.function.Function;

/**
 * Every FAF party in one document of a cluster-wide map. A change is a compare-and-set of the whole
 * document, so any party node can serve any party, and a change that touches two parties (switching
 * parties) is still atomic. A node that dies loses nothing (the cluster keeps a backup).
 */
final class PartyStore {

  static final String MAP = "faf.parties";
  static final String KEY = "parties";
  private static final int MAX_ATTEMPTS = 64;

  /** The result of a change: the new document (null = unchanged) and what to do once it is stored. */
  record Change<T>(JsonObject next, T result) {
  }

  private final Vertx vertx;
  private Future<AsyncMap<String, String>> map;

  PartyStore(Vertx vertx) {
    this.vertx = vertx;
  }

  private Future<AsyncMap<String, String>> map() {
    if (map == null || map.failed()) {
      try {
        map = vertx.sharedData().getAsyncMap(MAP);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
    return map;
  }

  /**
   * Applies {@code change} to the current document and stores the result atomically, retrying with the
   * fresh document when another node changed it first. {@code change} must be free of side effects: it
   * may run several times, and only the result of the run that was stored is returned.
   */
  <T> Future<T> update(Function<JsonObject, Change<T>> change) {
    return map().compose(m -> attempt(m, change, 0));
  }

  private <T> Future<T> attempt(AsyncMap<String, String> m, Function<JsonObject, Change<T>> change, int n) {
    if (n >= MAX_ATTEMPTS) {
      return Future.failedFuture("party store: too much contention");
    }
    return m.get(KEY).compose(current -> {
      Change<T> c = change.apply(decode(current));
      if (c.next() == null) {
        return Future.succeededFuture(c.result());
      }
      boolean empty = Parties.isEmpty(c.next());
      Future<Boolean> stored;
      if (current == null) {
        stored = empty ? Future.succeededFuture(true) : m.putIfAbsent(KEY, c.next().encode()).map(prev -> prev == null);
      } else if (empty) {
        stored = m.removeIfPresent(KEY, current);
      } else {
        stored = m.replaceIfPresent(KEY, current, c.next().encode());
      }
      return stored.compose(ok -> ok ? Future.succeededFuture(c.result()) : attempt(m, change, n + 1));
    });
  }

  private static JsonObject decode(String s) {
    return s == null ? Parties.emptyDocument() : new JsonObject(s);
  }
}
