package dev.skirmish.matchmaker;

import dev.skirmish.common.DocumentStore;
import dev.skirmish.common.Faf;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The ready check of queues that have one: a found match waits in one cluster-wide document (key
 * {@value #KEY}, rules in {@link ReadyChecks}) until every player has accepted ({@code match_ready}), then
 * launches; when its deadline passes first it is cancelled. The node that began a check expires it with a
 * local timer, and every matchmaker node also expires overdue checks on its tick ({@link #expireOverdue}),
 * so a check outlives the node that began it; whichever node takes a check from the document carries out
 * its outcome, once.
 */
final class ReadyCheckService {

  private static final Logger LOG = LoggerFactory.getLogger(ReadyCheckService.class);

  static final String KEY = "checks";

  private final Vertx vertx;
  private final DocumentStore checks;
  private final QueueDefinitions queues;
  private final SearchService searches;
  private final RequeueService requeues;
  private final LaunchService launcher;
  private final ViolationService violations;
  private final Outbox outbox;
  private final int seconds;

  /** @param seconds the time the players of a match have to accept it */
  ReadyCheckService(Vertx vertx, DocumentStore checks, QueueDefinitions queues, SearchService searches,
                    RequeueService requeues, LaunchService launcher, ViolationService violations, Outbox outbox,
                    int seconds) {
    this.vertx = vertx;
    this.checks = checks;
    this.queues = queues;
    this.searches = searches;
    this.requeues = requeues;
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
    JsonObject check = ReadyChecks.check(queue.name(), ids, teamA, teamB, System.currentTimeMillis() + seconds * 1000L);
    return checks.update(KEY, doc -> ReadyChecks.add(doc, id, check)).compose(v -> {
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

  /**
   * The player accepts their pending match ({@code match_ready}, or the client's {@code is_ready_response});
   * the last acceptance launches it. Without a pending match it does nothing. The reply carries no message.
   */
  Future<JsonObject> accept(JsonObject request) {
    int player = request.getInteger("player");
    return checks.update(KEY, doc -> ReadyChecks.accept(doc, player, System.currentTimeMillis())).map(complete -> {
      if (complete != null) {
        QueueDef queue = queues.get(complete.getString("queue"));
        if (queue == null) {
          outbox.matchCancelled(ReadyChecks.players(complete));
        } else {
          launcher.launch(queue, ReadyChecks.team(complete, "teamA"), ReadyChecks.team(complete, "teamB"));
        }
      }
      return new JsonObject();
    });
  }

  /** Expires every check whose deadline has passed, whichever node began it (run on each matchmaker tick). */
  void expireOverdue() {
    checks.read(KEY).onSuccess(doc -> ReadyChecks.overdue(doc, System.currentTimeMillis()).forEach(this::expired))
      .onFailure(err -> LOG.debug("Ready checks not read: {}", err.getMessage()));
  }

  /**
   * The time of a ready check is up: if this node takes it from the document, the match is cancelled
   * ({@code match_cancelled} to all); each search whose players all accepted goes back into the queue
   * ({@link RequeueService}), then every player who did not accept gets a violation.
   */
  private void expired(String id) {
    checks.update(KEY, doc -> ReadyChecks.take(doc, id)).compose(check -> {
      if (check == null) {
        return Future.succeededFuture(); // everyone accepted in time, or another node expired it
      }
      String queueName = check.getString("queue");
      Set<Integer> ids = ReadyChecks.players(check);
      Set<Integer> refused = ReadyChecks.notAccepted(check);
      outbox.matchCancelled(ids);
      LOG.info("Ready check of a match in {} expired: {} of {} accepted", queueName, ids.size() - refused.size(), ids.size());
      return requeues.requeue(queueName, ReadyChecks.searches(check), refused, null)
        .compose(v -> Future.join(refused.stream().map(violations::record).toList()));
    }).onFailure(err -> LOG.warn("Expiring ready check {} failed: {}", id, err.getMessage()));
  }
}
