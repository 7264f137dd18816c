package dev.skirmish.matchmaker;

import dev.skirmish.common.DocumentStore.Change;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The pending ready checks as pure functions over their one cluster-wide document. None has side effects;
 * each returns the next document (null = unchanged) and what the caller must do once it is stored.
 *
 * <p>Document: {@code {"<check id>": {"queue", "players": [ids], "accepted": [ids], "deadline": epoch millis,
 * "teamA": [searches], "teamB": [searches]}}}. The deadline is absolute, so any matchmaker node can expire a
 * check whose node is gone; a check stored without one (before deadlines existed) is overdue at once.
 */
final class ReadyChecks {

  private ReadyChecks() {
  }

  /** A new check of a match in {@code queue}, answered by nobody yet, to be decided by {@code deadline}. */
  static JsonObject check(String queue, Collection<Integer> players, List<JsonObject> teamA, List<JsonObject> teamB,
                          long deadline) {
    return new JsonObject().put("queue", queue).put("players", new JsonArray(new ArrayList<>(players)))
      .put("accepted", new JsonArray()).put("deadline", deadline)
      .put("teamA", new JsonArray(new ArrayList<>(teamA))).put("teamB", new JsonArray(new ArrayList<>(teamB)));
  }

  /** Stores a new check under {@code id}. */
  static Change<Void> add(JsonObject doc, String id, JsonObject check) {
    return new Change<>(doc.copy().put(id, check), null);
  }

  /**
   * {@code player} accepts the check that waits for them and is not yet overdue; the result is the check
   * when this was its last acceptance (it is then removed, to be launched), else null. A player without
   * such a check changes nothing.
   */
  static Change<JsonObject> accept(JsonObject doc, int player, long now) {
    for (String id : doc.fieldNames()) {
      JsonObject check = doc.getJsonObject(id);
      if (!holds(check.getJsonArray("players"), player) || holds(check.getJsonArray("accepted"), player)
        || isOverdue(check, now)) {
        continue;
      }
      JsonObject next = doc.copy();
      JsonObject updated = check.copy();
      updated.getJsonArray("accepted").add(player);
      if (updated.getJsonArray("accepted").size() >= updated.getJsonArray("players").size()) {
        next.remove(id);
        return new Change<>(next, updated);
      }
      next.put(id, updated);
      return new Change<>(next, null);
    }
    return new Change<>(null, null);
  }

  /**
   * Removes the check {@code id}; the result is the check removed, or null when it is already gone (all
   * accepted, or another node expired it). Whoever gets the check carries out its outcome, so it happens once.
   */
  static Change<JsonObject> take(JsonObject doc, String id) {
    JsonObject check = doc.getJsonObject(id);
    if (check == null) {
      return new Change<>(null, null);
    }
    JsonObject next = doc.copy();
    next.remove(id);
    return new Change<>(next, check);
  }

  /** Whether the time of a check is up at {@code now}. */
  static boolean isOverdue(JsonObject check, long now) {
    return check.getLong("deadline", 0L) <= now;
  }

  /** The ids of the checks whose time is up at {@code now}. */
  static List<String> overdue(JsonObject doc, long now) {
    List<String> out = new ArrayList<>();
    for (String id : doc.fieldNames()) {
      if (isOverdue(doc.getJsonObject(id), now)) {
        out.add(id);
      }
    }
    return out;
  }

  /** Every player of a pending check. */
  static Set<Integer> waiting(JsonObject doc) {
    Set<Integer> out = new HashSet<>();
    for (String id : doc.fieldNames()) {
      out.addAll(ids(doc.getJsonObject(id).getJsonArray("players")));
    }
    return out;
  }

  static Set<Integer> players(JsonObject check) {
    return ids(check.getJsonArray("players"));
  }

  /** The players of a check who had not accepted it. */
  static Set<Integer> notAccepted(JsonObject check) {
    Set<Integer> out = players(check);
    out.removeAll(ids(check.getJsonArray("accepted")));
    return out;
  }

  /** The stored searches of one team ({@code teamA} or {@code teamB}) of a check. */
  static List<JsonObject> team(JsonObject check, String team) {
    List<JsonObject> out = new ArrayList<>();
    check.getJsonArray(team, new JsonArray()).forEach(o -> out.add((JsonObject) o));
    return out;
  }

  /** The stored searches of both teams of a check. */
  static List<JsonObject> searches(JsonObject check) {
    List<JsonObject> all = team(check, "teamA");
    all.addAll(team(check, "teamB"));
    return all;
  }

  private static boolean holds(JsonArray ids, int player) {
    return ids.stream().anyMatch(o -> o instanceof Number n && n.intValue() == player);
  }

  private static Set<Integer> ids(JsonArray ids) {
    Set<Integer> out = new HashSet<>();
    ids.forEach(o -> out.add(((Number) o).intValue()));
    return out;
  }
}
