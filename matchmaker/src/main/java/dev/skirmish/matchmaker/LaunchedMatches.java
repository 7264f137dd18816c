package dev.skirmish.matchmaker;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

import java.util.ArrayList;
import java.util.List;

/**
 * The searches each matchmade game was started from, kept cluster-wide by game id until the game fails to
 * start (then taken, once, to re-queue the innocent) or for an hour, well past every set-up time-out.
 * Entry: {@code {"queue": name, "searches": [stored searches]}}.
 */
final class LaunchedMatches {

  private static final String MAP = "faf.matchmaker.launched";
  static final long KEEP_MS = 60 * 60 * 1000L;

  private final Vertx vertx;

  LaunchedMatches(Vertx vertx) {
    this.vertx = vertx;
  }

  private Future<AsyncMap<String, String>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }

  /** Remembers the searches of game {@code game}, started in {@code queue}. */
  Future<Void> remember(Object game, String queue, List<JsonObject> searches) {
    String entry = new JsonObject().put("queue", queue).put("searches", new JsonArray(new ArrayList<>(searches))).encode();
    return map().compose(m -> m.put(String.valueOf(game), entry, KEEP_MS));
  }

  /** Removes and returns the entry of {@code game}; null when there is none (or another node took it). */
  Future<JsonObject> take(Object game) {
    return map().compose(m -> m.remove(String.valueOf(game))).map(s -> s == null ? null : new JsonObject(s));
  }
}
