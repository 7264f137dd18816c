package dev.skirmish.matchmaker;

import dev.skirmish.common.DocumentStore.Change;
import dev.skirmish.common.Players;
import dev.skirmish.matchmaker.algorithm.PlayerRating;
import dev.skirmish.matchmaker.algorithm.PopTimer;
import dev.skirmish.matchmaker.algorithm.Search;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The searches of one queue as pure functions over the queue's cluster-wide document. None has side
 * effects; each returns the next document (null = unchanged) and what the caller must do once it is stored.
 *
 * <p>Document: {@code {"searches": {"<owner>": {"id": uuid, "owner": id, "started": millis, "failed": n,
 * "players": [{"id", "login", "clan"?, "mean", "dev", "games", "factions": [..]}]}}, "timer": {"next": millis,
 * "last": millis, "history": [{"players": n, "interval": seconds}]}}}. A search is keyed by its party owner.
 */
final class Searches {

  private Searches() {
  }

  static JsonObject empty() {
    return new JsonObject();
  }

  static boolean isEmpty(JsonObject doc) {
    return doc.isEmpty();
  }

  static JsonObject searches(JsonObject doc) {
    JsonObject s = doc.getJsonObject("searches");
    if (s == null) {
      s = new JsonObject();
      doc.put("searches", s);
    }
    return s;
  }

  /** Every search of the document, in key order. */
  static List<JsonObject> all(JsonObject doc) {
    List<JsonObject> out = new ArrayList<>();
    JsonObject s = doc.getJsonObject("searches", new JsonObject());
    for (String key : s.fieldNames()) {
      out.add(s.getJsonObject(key));
    }
    return out;
  }

  static List<Integer> playerIds(JsonObject search) {
    List<Integer> ids = new ArrayList<>();
    for (Object o : search.getJsonArray("players", new JsonArray())) {
      ids.add(((JsonObject) o).getInteger("id"));
    }
    return ids;
  }

  /** Adds a search (replacing any search that shares a player with it); the result is the searches it replaced. */
  static Change<List<JsonObject>> add(JsonObject current, JsonObject search) {
    JsonObject doc = current.copy();
    List<JsonObject> replaced = removeWhere(doc, s -> overlaps(s, playerIds(search)));
    searches(doc).put(String.valueOf(search.getInteger("owner")), search);
    return new Change<>(doc, replaced);
  }

  /**
   * Adds a search only if no stored search shares a player with it (a player who queued again keeps their
   * new search); the result says whether it was added.
   */
  static Change<Boolean> addIfFree(JsonObject current, JsonObject search) {
    List<Integer> ids = playerIds(search);
    if (all(current).stream().anyMatch(s -> overlaps(s, ids))) {
      return new Change<>(null, false);
    }
    JsonObject doc = current.copy();
    searches(doc).put(String.valueOf(search.getInteger("owner")), search);
    return new Change<>(doc, true);
  }

  /** Removes every search that holds {@code player}; the result is the searches removed. */
  static Change<List<JsonObject>> removePlayer(JsonObject current, int player) {
    return removePlayers(current, Set.of(player));
  }

  /** Removes every search that holds one of {@code players}; the result is the searches removed. */
  static Change<List<JsonObject>> removePlayers(JsonObject current, Set<Integer> players) {
    JsonObject doc = current.copy();
    List<JsonObject> removed = removeWhere(doc, s -> overlaps(s, players));
    return new Change<>(removed.isEmpty() ? null : doc, removed);
  }

  private static boolean overlaps(JsonObject search, java.util.Collection<Integer> players) {
    for (int id : playerIds(search)) {
      if (players.contains(id)) {
        return true;
      }
    }
    return false;
  }

  private static List<JsonObject> removeWhere(JsonObject doc, java.util.function.Predicate<JsonObject> which) {
    JsonObject s = searches(doc);
    List<JsonObject> removed = new ArrayList<>();
    for (String key : new ArrayList<>(s.fieldNames())) {
      JsonObject search = s.getJsonObject(key);
      if (which.test(search)) {
        removed.add(search);
        s.remove(key);
      }
    }
    return removed;
  }

  /** Starts the pop timer of a queue that has none: first pop after {@code firstPopMs}. */
  static Change<Long> ensureTimer(JsonObject current, long now, long firstPopMs) {
    JsonObject timer = current.getJsonObject("timer");
    if (timer != null && timer.getLong("next") != null) {
      return new Change<>(null, timer.getLong("next"));
    }
    JsonObject doc = current.copy();
    long next = now + firstPopMs;
    doc.put("timer", new JsonObject().put("next", next).put("last", now).put("history", new JsonArray()));
    return new Change<>(doc, next);
  }

  /** The time of the next pop, or null if the timer has not started. */
  static Long nextPop(JsonObject doc) {
    JsonObject timer = doc.getJsonObject("timer");
    return timer == null ? null : timer.getLong("next");
  }

  /** The wait until the pop after this one, from the pop history of the document. */
  static double nextPopSeconds(JsonObject doc, PopTimer.Config config, int teamSize, int playersNow, long now) {
    PopTimer timer = new PopTimer(config, teamSize);
    JsonObject t = doc.getJsonObject("timer", new JsonObject());
    for (Object o : t.getJsonArray("history", new JsonArray())) {
      JsonObject h = (JsonObject) o;
      timer.recordPop(h.getInteger("players", 0), h.getDouble("interval", 0.0));
    }
    long last = t.getLong("last", now);
    return timer.recordPop(playersNow, Math.max(0, now - last) / 1000.0);
  }

  /** The matcher input: one {@link Search} per stored search, keyed by search id. */
  static Map<String, Search> toSearches(JsonObject doc, long now) {
    Map<String, Search> out = new LinkedHashMap<>();
    for (JsonObject s : all(doc)) {
      List<PlayerRating> ratings = new ArrayList<>();
      for (Object o : s.getJsonArray("players")) {
        JsonObject p = (JsonObject) o;
        ratings.add(new PlayerRating(p.getInteger("id"), p.getDouble("mean"), p.getDouble("dev"), p.getInteger("games", 0)));
      }
      double queued = Math.max(0, now - s.getLong("started", now)) / 1000.0;
      out.put(s.getString("id"), new Search(ratings, s.getInteger("failed", 0), queued));
    }
    return out;
  }

  /**
   * Records a pop: removes the searches of every proposed game whose searches are all still stored (a
   * game with a search that was cancelled meanwhile is dropped), counts a failed attempt for every other
   * search that took part in the pop, and moves the timer on. The result maps the index of each accepted
   * game to the stored searches of its ids, in the order given.
   */
  static Change<Map<Integer, List<JsonObject>>> applyPop(JsonObject current, List<List<String>> games, Set<String> popped,
                                               int playersAtPop, long now, long nextMs, int history) {
    JsonObject doc = current.copy();
    JsonObject s = searches(doc);
    Map<String, String> keyOfId = new LinkedHashMap<>();
    for (String key : s.fieldNames()) {
      keyOfId.put(s.getJsonObject(key).getString("id"), key);
    }
    Map<Integer, List<JsonObject>> accepted = new LinkedHashMap<>();
    Set<String> taken = new HashSet<>();
    for (int g = 0; g < games.size(); g++) {
      List<String> game = games.get(g);
      if (!game.stream().allMatch(id -> keyOfId.containsKey(id) && !taken.contains(id))) {
        continue;
      }
      List<JsonObject> found = new ArrayList<>();
      for (String id : game) {
        taken.add(id);
        found.add(s.getJsonObject(keyOfId.get(id)));
      }
      accepted.put(g, found);
    }
    for (String id : taken) {
      s.remove(keyOfId.get(id));
    }
    for (String key : s.fieldNames()) {
      JsonObject search = s.getJsonObject(key);
      if (popped.contains(search.getString("id"))) {
        search.put("failed", search.getInteger("failed", 0) + 1);
      }
    }
    JsonObject timer = doc.getJsonObject("timer", new JsonObject()).copy();
    long last = timer.getLong("last", now);
    JsonArray hist = timer.getJsonArray("history", new JsonArray()).copy();
    hist.add(new JsonObject().put("players", playersAtPop).put("interval", Math.max(0, now - last) / 1000.0));
    while (hist.size() > history) {
      hist.remove(0);
    }
    doc.put("timer", timer.put("last", now).put("next", now + nextMs).put("history", hist));
    return new Change<>(doc, accepted);
  }

  /** Players in the queue. */
  static int playerCount(JsonObject doc) {
    int n = 0;
    for (JsonObject s : all(doc)) {
      n += s.getJsonArray("players").size();
    }
    return n;
  }

  /** The {@code matchmaker_info} entry of a queue. */
  static JsonObject info(QueueDef queue, JsonObject doc, long now, long firstPopMs) {
    Long next = nextPop(doc);
    long popAt = next == null ? now + firstPopMs : next;
    JsonArray b80 = new JsonArray();
    JsonArray b75 = new JsonArray();
    for (JsonObject s : all(doc)) {
      JsonObject first = s.getJsonArray("players").getJsonObject(0);
      PlayerRating r = new PlayerRating(first.getInteger("id"), first.getDouble("mean"), first.getDouble("dev"),
        first.getInteger("games", 0));
      double mu = Math.ceil(r.adjustedMean() / 10) * 10;
      b80.add(new JsonArray().add(mu - 200).add(mu + 200));
      b75.add(new JsonArray().add(mu - 100).add(mu + 100));
    }
    double delta = Math.max(0, popAt - now) / 1000.0;
    return new JsonObject()
      .put("queue_name", queue.name())
      .put("queue_pop_time", Instant.ofEpochMilli(popAt).toString())
      .put("queue_pop_time_delta", Math.round(delta * 100) / 100.0)
      .put("num_players", playerCount(doc))
      .put("boundary_80s", b80)
      .put("boundary_75s", b75)
      .put("team_size", queue.teamSize());
  }

  /**
   * {mean, deviation, games} of a player in a leaderboard. A player without a rating there starts from their
   * global rating with the deviation raised by 150 (at most 250), or as-is if that deviation is above 250.
   */
  static double[] rating(JsonObject info, String leaderboard) {
    JsonObject ratings = info == null ? new JsonObject() : info.getJsonObject("ratings", new JsonObject());
    JsonObject r = ratings.getJsonObject(leaderboard);
    if (r != null) {
      JsonArray pair = r.getJsonArray("rating");
      return new double[] {pair.getDouble(0), pair.getDouble(1), r.getInteger("number_of_games", 0)};
    }
    JsonObject g = ratings.getJsonObject("global");
    if (g == null) {
      return new double[] {Players.DEFAULT_MEAN, Players.DEFAULT_DEVIATION, 0};
    }
    double mean = g.getJsonArray("rating").getDouble(0);
    double dev = g.getJsonArray("rating").getDouble(1);
    return new double[] {mean, dev > 250 ? dev : Math.min(dev + 150, 250), 0};
  }
}

