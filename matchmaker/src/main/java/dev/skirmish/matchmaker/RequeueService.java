package dev.skirmish.matchmaker;

import dev.skirmish.common.DocumentStore;
import dev.skirmish.common.SessionDirectory;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Puts the innocent searches of a cancelled match back into their queue ({@code search_info start} to their
 * players), as far as their players are still free for it (rules in {@link Requeues}). A player is not free
 * when offline, searching in any queue, in a game, or waiting in another ready check.
 */
final class RequeueService {

  private static final Logger LOG = LoggerFactory.getLogger(RequeueService.class);

  private final QueueDefinitions queues;
  private final DocumentStore searchDocs;
  private final DocumentStore playerGames;
  private final DocumentStore readyChecks;
  private final SessionDirectory sessions;
  private final SearchService searches;
  private final Outbox outbox;

  /**
   * @param searchDocs  the queues' search documents, by queue name
   * @param playerGames the games service's documents of the players in a game, by player id
   * @param readyChecks the document of the pending ready checks ({@link ReadyChecks})
   * @param sessions    the FAF session directory, by player id
   */
  RequeueService(QueueDefinitions queues, DocumentStore searchDocs, DocumentStore playerGames, DocumentStore readyChecks,
                 SessionDirectory sessions, SearchService searches, Outbox outbox) {
    this.queues = queues;
    this.searchDocs = searchDocs;
    this.playerGames = playerGames;
    this.readyChecks = readyChecks;
    this.sessions = sessions;
    this.searches = searches;
    this.outbox = outbox;
  }

  /**
   * Puts back each of the {@code matched} searches of {@code queueName} whose players are neither
   * {@code guilty} nor busy. {@code failedGame} is the game of the cancelled match, if it had one (its
   * players may still be shown in it). Completes once every search is back or left out; a failure to
   * put one back is logged, never spread.
   */
  Future<Void> requeue(String queueName, List<JsonObject> matched, Set<Integer> guilty, Long failedGame) {
    List<JsonObject> innocent = Requeues.innocent(matched, guilty);
    if (innocent.isEmpty() || !queues.contains(queueName)) {
      return Future.succeededFuture();
    }
    return busy(Requeues.players(innocent), failedGame).compose(busy -> {
      List<JsonObject> back = Requeues.requeued(innocent, guilty, busy);
      if (back.size() < innocent.size()) {
        LOG.info("Not re-queued in {} (busy): {}", queueName, busy);
      }
      List<Future<Boolean>> all = back.stream().map(s -> putBack(queueName, s)).toList();
      return Future.join(all).transform(done -> {
        if (all.stream().anyMatch(f -> f.succeeded() && f.result())) {
          searches.publishQueues();
        }
        return Future.succeededFuture();
      });
    }).<Void>mapEmpty().recover(err -> {
      LOG.warn("Re-queueing in {} after a cancelled match failed: {}", queueName, err.getMessage());
      return Future.succeededFuture();
    });
  }

  /** The players who are not free: offline, in a game other than {@code failedGame}, searching, or in a ready check. */
  private Future<Set<Integer>> busy(Set<Integer> players, Long failedGame) {
    List<Future<Boolean>> online = new ArrayList<>();
    List<Future<JsonObject>> games = new ArrayList<>();
    List<Integer> ids = new ArrayList<>(players);
    for (int p : ids) {
      online.add(online(p));
      games.add(playerGames.read(String.valueOf(p)));
    }
    List<Future<JsonObject>> queued = queues.all().stream().map(q -> searchDocs.read(q.name())).toList();
    Future<JsonObject> waiting = readyChecks.read(ReadyCheckService.KEY);
    List<Future<?>> reads = new ArrayList<>(online);
    reads.addAll(games);
    reads.addAll(queued);
    reads.add(waiting);
    return Future.all(reads).map(done -> {
      Set<Integer> busy = new HashSet<>();
      for (int i = 0; i < ids.size(); i++) {
        if (!online.get(i).result() || Requeues.inAnotherGame(games.get(i).result(), failedGame)) {
          busy.add(ids.get(i));
        }
      }
      queued.forEach(doc -> Searches.all(doc.result()).forEach(s -> busy.addAll(Searches.playerIds(s))));
      busy.addAll(ReadyChecks.waiting(waiting.result()));
      busy.retainAll(players);
      return busy;
    });
  }

  private Future<Boolean> online(int player) {
    return sessions.get(String.valueOf(player)).map(entry -> entry != null);
  }

  /**
   * Adds the search unless one of its players queued again meanwhile; a player who went offline while it was
   * being added takes it out again (their offline event may have been handled before it was there).
   */
  private Future<Boolean> putBack(String queueName, JsonObject search) {
    List<Integer> ids = Searches.playerIds(search);
    return searchDocs.update(queueName, doc -> Searches.addIfFree(doc, search)).compose(added -> {
      if (!added) {
        return Future.succeededFuture(false);
      }
      List<Future<Boolean>> online = ids.stream().map(this::online).toList();
      return Future.all(online).compose(done -> {
        if (online.stream().allMatch(Future::result)) {
          ids.forEach(p -> outbox.push(p, Outbox.searchInfo(queueName, "start")));
          return Future.succeededFuture(true);
        }
        return searchDocs.update(queueName, doc -> Searches.removePlayers(doc, Set.copyOf(ids))).map(removed -> false);
      });
    }).onFailure(err -> LOG.warn("Search of {} not put back into {}: {}", ids, queueName, err.getMessage()));
  }
}
