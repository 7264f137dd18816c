package dev.skirmish.common;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * JSON documents in a cluster-wide map, each changed only by compare-and-set of the whole document, so
 * any node of a service can serve any document and two nodes never apply conflicting changes. A node
 * that dies loses nothing (Hazelcast keeps a backup). An empty document is not stored at all.
 */
public final class DocumentStore {

  private static final int MAX_ATTEMPTS = 64;

  /** The result of a change: the new document (null = unchanged) and what to do once it is stored. */
  public record Change<T>(JsonObject next, T result) {
  }

  private final Vertx vertx;
  private final String mapName;
  private final Supplier<JsonObject> emptyDocument;
  private final Predicate<JsonObject> isEmpty;
  private Future<AsyncMap<String, String>> map;

  /**
   * @param emptyDocument the document of a key that has none stored
   * @param isEmpty       whether a document holds nothing (it is then removed from the map)
   */
  public DocumentStore(Vertx vertx, String mapName, Supplier<JsonObject> emptyDocument, Predicate<JsonObject> isEmpty) {
    this.vertx = vertx;
    this.mapName = mapName;
    this.emptyDocument = emptyDocument;
    this.isEmpty = isEmpty;
  }

  private Future<AsyncMap<String, String>> map() {
    if (map == null || map.failed()) {
      try {
        map = vertx.sharedData().getAsyncMap(mapName);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
    return map;
  }

  /** The current document of {@code key}. */
  public Future<JsonObject> read(String key) {
    return map().compose(m -> m.get(key)).map(this::decode);
  }

  /** Every stored document, at one moment. */
  public Future<java.util.Map<String, JsonObject>> entries() {
    return map().compose(AsyncMap::entries).map(all -> {
      java.util.Map<String, JsonObject> docs = new java.util.HashMap<>();
      all.forEach((k, v) -> docs.put(k, decode(v)));
      return docs;
    });
  }

  /**
   * Applies {@code change} to the current document and stores the result atomically, retrying with the
   * fresh document when another node changed it first. {@code change} must be free of side effects: it
   * may run several times, and only the result of the run that was stored is returned.
   */
  public <T> Future<T> update(String key, Function<JsonObject, Change<T>> change) {
    return map().compose(m -> attempt(m, key, change, 0));
  }

  private <T> Future<T> attempt(AsyncMap<String, String> m, String key, Function<JsonObject, Change<T>> change, int n) {
    if (n >= MAX_ATTEMPTS) {
      return Future.failedFuture(mapName + ": too much contention on " + key);
    }
    return m.get(key).compose(current -> {
      Change<T> c = change.apply(decode(current));
      if (c.next() == null) {
        return Future.succeededFuture(c.result());
      }
      boolean empty = isEmpty.test(c.next());
      Future<Boolean> stored;
      if (current == null) {
        stored = empty ? Future.succeededFuture(true) : m.putIfAbsent(key, c.next().encode()).map(prev -> prev == null);
      } else if (empty) {
        stored = m.removeIfPresent(key, current);
      } else {
        stored = m.replaceIfPresent(key, current, c.next().encode());
      }
      return stored.compose(ok -> ok ? Future.succeededFuture(c.result()) : attempt(m, key, change, n + 1));
    });
  }

  private JsonObject decode(String s) {
    return s == null ? emptyDocument.get() : new JsonObject(s);
  }
}
