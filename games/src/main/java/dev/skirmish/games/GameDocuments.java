package dev.skirmish.games;

import dev.skirmish.common.DocumentStore;
import dev.skirmish.common.DocumentStore.Change;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * The cluster-wide game documents ({@value GamesContext#GAMES_MAP}), where a game that has ended stays until its
 * end records are written ({@link EndRecorder}). To every rule and reader the ended game is gone: {@link #read},
 * {@link #entries} and {@link #update} see no document, and a rule can never replace it. An ended game is stored
 * with the {@value #RECORDING} lease of the node whose change ended it: {@code {"node": id, "until": millis}}.
 * {@link #readEnded} and {@link #updateEnded} are for the writer of the records and the deadline sweep.
 *
 * <p>Every stored change that changes the game's members (the players connected to it, {@link #members}; an
 * ended game has none) is reported once, by the node that stored it, before the caller sees the result: the
 * gateways' vouched members of that game must go ({@link dev.skirmish.common.Addresses#FAF_GAME_MEMBERS_CHANGED}).
 */
final class GameDocuments {

  /** The field of an ended game naming the node that writes its end records and until when. */
  static final String RECORDING = "recording";

  private final DocumentStore store;
  private final String node;
  private final long leaseMillis;
  private final LongConsumer membersChanged;

  /**
   * @param node           this node's name in the leases it takes
   * @param leaseMillis    how long a lease lasts
   * @param membersChanged called with the id of a game whose members a change stored by this node changed
   */
  GameDocuments(Vertx vertx, String mapName, String node, long leaseMillis, LongConsumer membersChanged) {
    this.store = new DocumentStore(vertx, mapName, JsonObject::new, JsonObject::isEmpty);
    this.node = node;
    this.leaseMillis = leaseMillis;
    this.membersChanged = membersChanged;
  }

  /** The players connected to a game: the keys of its {@code connections}; none once it has ended or is gone. */
  static Set<Integer> members(JsonObject doc) {
    if (doc == null || doc.isEmpty() || isEnded(doc)) {
      return Set.of();
    }
    Set<Integer> ids = new HashSet<>();
    for (String id : doc.getJsonObject("connections", new JsonObject()).fieldNames()) {
      ids.add(Integer.parseInt(id));
    }
    return ids;
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
    return watched(key, current -> {
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
    return watched(key, change);
  }

  /**
   * {@link DocumentStore#update}, reporting a change of the game's members before the result is seen. The
   * change may run several times; the last run is the one that was stored (or that left the game as it was).
   */
  private <T> Future<T> watched(String key, Function<JsonObject, Change<T>> change) {
    JsonObject[] stored = new JsonObject[2];
    return store.update(key, current -> {
      Change<T> c = change.apply(current);
      stored[0] = current;
      stored[1] = c.next();
      return c;
    }).onSuccess(result -> {
      if (stored[1] != null && !members(stored[0]).equals(members(stored[1]))) {
        membersChanged.accept(Long.parseLong(key));
      }
    });
  }
}
