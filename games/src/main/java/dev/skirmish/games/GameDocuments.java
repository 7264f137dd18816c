package dev.skirmish.games;

import dev.skirmish.common.DocumentStore;
import dev.skirmish.common.DocumentStore.Change;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.function.Function;

/**
 * The cluster-wide game documents ({@value GamesContext#GAMES_MAP}), where a game that has ended stays until its
 * end records are written ({@link EndRecorder}). To every rule and reader the ended game is gone: {@link #read},
 * {@link #entries} and {@link #update} see no document, and a rule can never replace it. An ended game is stored
 * with the {@value #RECORDING} lease of the node whose change ended it: {@code {"node": id, "until": millis}}.
 * {@link #readEnded} and {@link #updateEnded} are for the writer of the records and the deadline sweep.
 */
final class GameDocuments {

  /** The field of an ended game naming the node that writes its end records and until when. */
  static final String RECORDING = "recording";

  private final DocumentStore store;
  private final String node;
  private final long leaseMillis;

  /**
   * @param node        this node's name in the leases it takes
   * @param leaseMillis how long a lease lasts
   */
  GameDocuments(Vertx vertx, String mapName, String node, long leaseMillis) {
    this.store = new DocumentStore(vertx, mapName, JsonObject::new, JsonObject::isEmpty);
    this.node = node;
    this.leaseMillis = leaseMillis;
  }

  static boolean isEnded(JsonObject doc) {
    return GameRules.ENDED.equals(doc.getString("state"));
  }

  /** The moment the lease of an ended game runs out (0 when it has none). */
  static long leaseEnd(JsonObject doc) {
    return doc.getJsonObject(RECORDING, new JsonObject()).getLong("until", 0L);
  }

  /** Whether this node holds the lease of an ended game. */
  boolean holds(JsonObject doc) {
    return isEnded(doc) && node.equals(doc.getJsonObject(RECORDING, new JsonObject()).getString("node"));
  }

  /** {@code doc} with a lease of this node from {@code now}. */
  JsonObject leased(JsonObject doc, long now) {
    return doc.put(RECORDING, new JsonObject().put("node", node).put("until", now + leaseMillis));
  }

  /** The current document of a game that has not ended (empty otherwise). */
  Future<JsonObject> read(String key) {
    return store.read(key).map(doc -> isEnded(doc) ? new JsonObject() : doc);
  }

  /** Every game that has not ended, at one moment. */
  Future<Map<String, JsonObject>> entries() {
    return store.entries().map(all -> {
      all.values().removeIf(GameDocuments::isEnded);
      return all;
    });
  }

  /**
   * {@link DocumentStore#update} of a game that has not ended (an ended one is seen as empty and kept as it is);
   * a change that ends the game stores it with this node's lease.
   */
  <T> Future<T> update(String key, Function<JsonObject, Change<T>> change) {
    return store.update(key, current -> {
      if (isEnded(current)) {
        return new Change<>(null, change.apply(new JsonObject()).result());
      }
      Change<T> c = change.apply(current);
      if (c.next() != null && isEnded(c.next())) {
        leased(c.next(), System.currentTimeMillis());
      }
      return c;
    });
  }

  /** The current document of a game, ended or not. */
  Future<JsonObject> readEnded(String key) {
    return store.read(key);
  }

  /** {@link DocumentStore#update} without hiding ended games. */
  <T> Future<T> updateEnded(String key, Function<JsonObject, Change<T>> change) {
    return store.update(key, change);
  }
}
