package dev.skirmish.matchmaker;

import dev.skirmish.common.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The matchmaker's status section for the operator console: per queue, the players searching, the wait so
 * far of the current searches (median, 90th percentile, longest) and the last pops (players at the pop and
 * the interval since the one before), read from the queues' cluster-wide search documents.
 */
final class QueueStatus {

  private final QueueDefinitions queues;
  private final DocumentStore searchDocs;

  QueueStatus(QueueDefinitions queues, DocumentStore searchDocs) {
    this.queues = queues;
    this.searchDocs = searchDocs;
  }

  /** {@code {queues: [{name, team_size, searching, searches, wait_p50_s, wait_p90_s, wait_max_s, next_pop, last_pop, pops}]}}. */
  Future<JsonObject> section() {
    List<QueueDef> defs = new ArrayList<>(queues.current().values());
    List<Future<JsonObject>> reads = new ArrayList<>();
    for (QueueDef q : defs) {
      reads.add(searchDocs.read(q.name()).map(doc -> queue(q, doc, System.currentTimeMillis())));
    }
    return Future.all(reads).map(all -> {
      JsonArray list = new JsonArray();
      reads.forEach(f -> list.add(f.result()));
      return new JsonObject().put("queues", list);
    });
  }

  static JsonObject queue(QueueDef q, JsonObject doc, long now) {
    List<Double> waits = new ArrayList<>();
    List<JsonObject> searches = Searches.all(doc);
    for (JsonObject s : searches) {
      waits.add(Math.max(0, now - s.getLong("started", now)) / 1000.0);
    }
    Collections.sort(waits);
    JsonObject timer = doc.getJsonObject("timer", new JsonObject());
    JsonArray history = timer.getJsonArray("history", new JsonArray());
    return new JsonObject()
      .put("name", q.name())
      .put("team_size", q.teamSize())
      .put("searching", Searches.playerCount(doc))
      .put("searches", searches.size())
      .put("wait_p50_s", percentile(waits, 0.5))
      .put("wait_p90_s", percentile(waits, 0.9))
      .put("wait_max_s", waits.isEmpty() ? null : waits.get(waits.size() - 1))
      .put("next_pop", Searches.nextPop(doc))
      .put("last_pop", history.isEmpty() ? null : timer.getLong("last"))
      .put("pops", history.copy());
  }

  /** The nearest-rank percentile of sorted values, or null for none. */
  static Double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return null;
    }
    int rank = (int) Math.ceil(p * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}
