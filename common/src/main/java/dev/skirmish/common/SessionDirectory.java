package dev.skirmish.common;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A cluster-wide directory of live sessions: key (player id or account ULID) to the gateway node and
 * connection that hold it, plus a small data document. Backed by a shared {@link AsyncMap}: Hazelcast
 * when clustered, node-local when standalone.
 *
 * <p>Values are compared as exact strings, so a connection that releases its entry never removes an entry
 * written since by a newer session of the same key.
 */
public final class SessionDirectory {

  /** One directory entry. */
  public record Entry(String node, String connection, JsonObject data) {

    public Entry {
      Objects.requireNonNull(node);
      Objects.requireNonNull(connection);
      data = data == null ? new JsonObject() : data;
    }

    public String encode() {
      return new JsonObject().put("node", node).put("connection", connection).put("data", data).encode();
    }

    public static Entry decode(String s) {
      if (s == null) {
        return null;
      }
      JsonObject json = new JsonObject(s);
      return new Entry(json.getString("node"), json.getString("connection"), json.getJsonObject("data"));
    }

    public Entry withData(JsonObject newData) {
      return new Entry(node, connection, newData);
    }
  }

  private final Vertx vertx;
  private final String name;
  private volatile Future<AsyncMap<String, String>> map;

  public SessionDirectory(Vertx vertx, String name) {
    this.vertx = vertx;
    this.name = name;
  }

  private Future<AsyncMap<String, String>> map() {
    Future<AsyncMap<String, String>> m = map;
    if (m == null || m.failed()) {
      try {
        m = vertx.sharedData().getAsyncMap(name);
      } catch (RuntimeException e) {
        // A cluster manager that has shut down throws instead of failing the future.
        return Future.failedFuture(e);
      }
      map = m;
    }
    return m;
  }

  public Future<Entry> get(String key) {
    return map().compose(m -> m.get(key)).map(Entry::decode);
  }

  /**
   * Makes {@code entry} the session of {@code key} and returns the entry it replaced (or null).
   * Atomic against concurrent claims: exactly one of two racing claims sees the other as its predecessor.
   */
  public Future<Entry> claim(String key, Entry entry) {
    String value = entry.encode();
    return map().compose(m -> claimLoop(m, key, value, 0)).map(Entry::decode);
  }

  private Future<String> claimLoop(AsyncMap<String, String> m, String key, String value, int attempt) {
    if (attempt > 50) {
      return Future.failedFuture("session directory: could not claim " + key + " (contention)");
    }
    return m.get(key).compose(old -> {
      if (old == null) {
        return m.putIfAbsent(key, value).compose(prev -> prev == null
          ? Future.succeededFuture((String) null)
          : claimLoop(m, key, value, attempt + 1));
      }
      return m.replaceIfPresent(key, old, value).compose(done -> done
        ? Future.succeededFuture(old)
        : claimLoop(m, key, value, attempt + 1));
    });
  }

  /** Replaces {@code current} with {@code next} if {@code current} is still the entry of {@code key}. */
  public Future<Boolean> update(String key, Entry current, Entry next) {
    return map().compose(m -> m.replaceIfPresent(key, current.encode(), next.encode()));
  }

  /** Removes the entry of {@code key} only if it is still exactly {@code entry}. */
  public Future<Boolean> release(String key, Entry entry) {
    return map().compose(m -> m.removeIfPresent(key, entry.encode()));
  }

  /**
   * Removes the entry of {@code key} if it still belongs to {@code connection} on {@code node}, whatever
   * data services have added to it since, and returns the entry removed (null when a newer session holds
   * the key, or none does).
   */
  public Future<Entry> releaseConnection(String key, String node, String connection) {
    return map().compose(m -> releaseLoop(m, key, node, connection, 0));
  }

  private Future<Entry> releaseLoop(AsyncMap<String, String> m, String key, String node, String connection, int attempt) {
    if (attempt > 50) {
      return Future.failedFuture("session directory: could not release " + key + " (contention)");
    }
    return m.get(key).compose(current -> {
      Entry e = Entry.decode(current);
      if (e == null || !e.node().equals(node) || !e.connection().equals(connection)) {
        return Future.succeededFuture((Entry) null);
      }
      return m.removeIfPresent(key, current).compose(removed -> removed
        ? Future.succeededFuture(e)
        : releaseLoop(m, key, node, connection, attempt + 1));
    });
  }

  /** Every key with its entry, at one moment (for sweeping the sessions of a node that is gone). */
  public Future<Map<String, Entry>> snapshot() {
    return map().compose(AsyncMap::entries).map(all -> {
      Map<String, Entry> out = new LinkedHashMap<>();
      all.forEach((k, v) -> out.put(k, Entry.decode(v)));
      return out;
    });
  }

  /** All entries (for the online-player list). */
  public Future<List<Entry>> entries() {
    return map().compose(AsyncMap::values).map(values -> values.stream().map(Entry::decode).collect(Collectors.toList()));
  }
}
