package dev.skirmish.signaling;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

import java.util.function.Function;

/**
 * The lobbies of each game (UGI), one document per game in a cluster-wide map. Every change is a
 * compare-and-set of the whole document, so any signaling node can serve any lobby and two nodes never
 * apply conflicting changes; a node that dies loses nothing (Hazelcast keeps a backup).
 */
final class LobbyStore {

  static final String MAP = "omega.lobbies";
  private static final int MAX_ATTEMPTS = 64;

  /** The result of a change: the new document (null = unchanged) and what to do once it is stored. */
  record Change<T>(JsonObject next, T result) {
  }

  private final Vertx vertx;
  private Future<AsyncMap<String, String>> map;

  LobbyStore(Vertx vertx) {
    this.vertx = vertx;
  }

  private Future<AsyncMap<String, String>> map() {
    if (map == null || map.failed()) {
      map = vertx.sharedData().getAsyncMap(MAP);
    }
    return map;
  }

  /** The current document of a game (an empty one when it has no lobbies). */
  Future<JsonObject> read(String ugi) {
    return map().compose(m -> m.get(ugi)).map(LobbyStore::decode);
  }

  /**
   * Applies {@code change} to the current document and stores the result atomically, retrying with the
   * fresh document when another node changed it first. {@code change} must be free of side effects: it
   * may run several times, and only the result of the run that was stored is returned.
   */
  <T> Future<T> update(String ugi, Function<JsonObject, Change<T>> change) {
    return map().compose(m -> attempt(m, ugi, change, 0));
  }

  private <T> Future<T> attempt(AsyncMap<String, String> m, String ugi, Function<JsonObject, Change<T>> change, int n) {
    if (n >= MAX_ATTEMPTS) {
      return Future.failedFuture("lobby store: too much contention on game " + ugi);
    }
    return m.get(ugi).compose(current -> {
      Change<T> c = change.apply(decode(current));
      if (c.next() == null) {
        return Future.succeededFuture(c.result());
      }
      boolean empty = c.next().getJsonObject("lobbies", new JsonObject()).isEmpty();
      Future<Boolean> stored;
      if (current == null) {
        stored = empty ? Future.succeededFuture(true) : m.putIfAbsent(ugi, c.next().encode()).map(prev -> prev == null);
      } else if (empty) {
        stored = m.removeIfPresent(ugi, current);
      } else {
        stored = m.replaceIfPresent(ugi, current, c.next().encode());
      }
      return stored.compose(ok -> ok ? Future.succeededFuture(c.result()) : attempt(m, ugi, change, n + 1));
    });
  }

  private static JsonObject decode(String s) {
    return s == null ? new JsonObject().put("lobbies", new JsonObject()) : new JsonObject(s);
  }
}
