package dev.skirmish.matchmaker;

import dev.skirmish.common.DocumentStore;
import dev.skirmish.common.Faf;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The ready check of queues that have one: a found match waits in one cluster-wide document until every
 * player has accepted ({@code match_ready}), then launches; when the time is up first it is cancelled.
 *
 * <p>Document (key {@value #KEY}): {@code {"<check id>": {"queue", "players": [ids], "accepted": [ids],
 * "teamA": [searches], "teamB": [searches]}}}.
 */
final class ReadyCheckService {

  private static final Logger LOG = LoggerFactory.getLogger(ReadyCheckService.class);

  static final String KEY = "checks";

  private final Vertx vertx;
  private final DocumentStore checks;
  private final QueueDefinitions queues;
  private final SearchService searches;
  private final LaunchService launcher;
  private final ViolationService violations;
  private final Outbox outbox;
  private final int seconds;

  /** @param seconds the time the players of a match have to accept it */
  ReadyCheckService(Vertx vertx, DocumentStore checks, QueueDefinitions queues, SearchService searches,
                    LaunchService launcher, ViolationService violations, Outbox outbox, int seconds) {
    this.vertx = vertx;
    this.checks = checks;
    this.queues = queues;
    this.searches = searches;
    this.launcher = launcher;
    this.violations = violations;
    this.outbox = outbox;
    this.seconds = Math.max(1, seconds);
  }

  /**
   * Starts the ready check of a found match: its players get {@code match_found} with the time they have to
   * accept, and their searches in other queues are cancelled. A check that cannot be stored cancels the match.
   */
  Future<Void> begin(QueueDef queue, List<JsonObject> teamA, List<JsonObject> teamB, Set<Integer> ids) {
    String id = UUID.randomUUID().toString();
    JsonObject check = new JsonObject().put("queue", queue.name()).put("players", new JsonArray(new ArrayList<>(ids)))
      .put("accepted", new JsonArray()).put("teamA", new JsonArray(new ArrayList<>(teamA)))
      .put("teamB", new JsonArray(new ArrayList<>(teamB)));
    return checks.update(KEY, doc -> {
      JsonObject next = doc.copy();
      next.put(id, check);
      return new DocumentStore.Change<Void>(next, null);
    }).compose(v -> {
      for (int player : ids) {
        outbox.push(player, Faf.command("match_found").put("queue_name", queue.name()).put("ready_check", true)
          .put("expires_in", seconds));
      }
      vertx.setTimer(seconds * 1000L, t -> expired(id));
      return searches.cancel(ids, queue.name(), -1);
    }, err -> {
      LOG.warn("Ready check of a match in {} not stored: {}", queue.name(), err.getMessage());
      outbox.matchCancelled(ids);
      return Future.succeededFuture();
    });
  }

  private static boolean holds(JsonArray ids, int player) {
    return ids.stream().anyMatch(o -> o instanceof Number n && n.intValue() == player);
  }

  private static Set<Integer> idsOf(JsonArray ids) {
    Set<Integer> out = new HashSet<>();
    ids.forEach(o -> out.add(((Number) o).intValue()));
    return out;
  }

  private static List<JsonObject> searchesOf(JsonObject check, String team) {
    List<JsonObject> out = new ArrayList<>();
    check.getJsonArray(team, new JsonArray()).forEach(o -> out.add((JsonObject) o));
    return out;
  }

  /**
   * The player accepts their pending match ({@code match_ready}, or the client's {@code is_ready_response});
   * the last acceptance launches it. Without a pending match it does nothing. The reply carries no message.
   */
  Future<JsonObject> accept(JsonObject request) {
    int player = request.getInteger("player");
    return checks.update(KEY, doc -> {
      for (String id : doc.fieldNames()) {
        JsonObject check = doc.getJsonObject(id);
        if (!holds(check.getJsonArray("players"), player) || holds(check.getJsonArray("accepted"), player)) {
          continue;
        }
        JsonObject next = doc.copy();
        JsonObject updated = check.copy();
        updated.getJsonArray("accepted").add(player);
        if (updated.getJsonArray("accepted").size() >= updated.getJsonArray("players").size()) {
          next.remove(id);
          return new DocumentStore.Change<>(next, updated);
        }
        next.put(id, updated);
        return new DocumentStore.Change<JsonObject>(next, null);
      }
      return new DocumentStore.Change<JsonObject>(null, null);
    }).map(complete -> {
      if (complete != null) {
        QueueDef queue = queues.get(complete.getString("queue"));
        if (queue == null) {
          outbox.matchCancelled(idsOf(complete.getJsonArray("players")));
        } else {
          launcher.launch(queue, Launch.playersOf(searchesOf(complete, "teamA")),
            Launch.playersOf(searchesOf(complete, "teamB")));
        }
      }
      return new JsonObject();
    });
  }

  /**
   * The time of a ready check is up: if the match still waits, it is cancelled ({@code match_cancelled} to
   * all); each search whose players all accepted goes back into the queue ({@code search_info start}), and
   * every player who did not accept gets a violation.
   */
  private void expired(String id) {
    checks.update(KEY, doc -> {
      if (!doc.containsKey(id)) {
        return new DocumentStore.Change<JsonObject>(null, null);
      }
      JsonObject next = doc.copy();
      JsonObject check = next.getJsonObject(id);
      next.remove(id);
      return new DocumentStore.Change<>(next, check);
    }).onSuccess(check -> {
      if (check == null) {
        return; // everyone accepted in time
      }
      String queueName = check.getString("queue");
      JsonArray accepted = check.getJsonArray("accepted");
      Set<Integer> ids = idsOf(check.getJsonArray("players"));
      outbox.matchCancelled(ids);
      LOG.info("Ready check of a match in {} expired: {} of {} accepted", queueName, accepted.size(), ids.size());
      List<JsonObject> all = searchesOf(check, "teamA");
      all.addAll(searchesOf(check, "teamB"));
      for (JsonObject search : all) {
        if (Searches.playerIds(search).stream().allMatch(p -> holds(accepted, p))) {
          searches.requeue(queueName, search)
            .onFailure(err -> LOG.warn("Re-queueing after a ready check failed: {}", err.getMessage()));
        }
      }
      ids.stream().filter(p -> !holds(accepted, p)).forEach(violations::record);
    }).onFailure(err -> LOG.warn("Expiring ready check {} failed: {}", id, err.getMessage()));
  }
}
