package dev.skirmish.matchmaker;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A matchmade game that failed to start ({@code matchmaker.match.failed}): the searches of its players who
 * were not to blame go back into the queue, then each player to blame gets a violation. The event may reach
 * several matchmaker nodes (or the same one twice); only the first to claim the game acts on it.
 */
final class MatchFailureService {

  private static final Logger LOG = LoggerFactory.getLogger(MatchFailureService.class);

  private static final String FAILED_GAMES_MAP = "faf.matchmaker.failed.games";

  private final Vertx vertx;
  private final LaunchedMatches launched;
  private final RequeueService requeues;
  private final ViolationService violations;

  MatchFailureService(Vertx vertx, LaunchedMatches launched, RequeueService requeues, ViolationService violations) {
    this.vertx = vertx;
    this.launched = launched;
    this.requeues = requeues;
    this.violations = violations;
  }

  /**
   * Handles {@code {"game", "queue", "players", "guilty"}}. The re-queue comes first, so a player to blame
   * hears of their violation only once the others are back in the queue.
   */
  Future<Void> failed(JsonObject event) {
    Object game = event.getValue("game");
    if (game == null) {
      return Future.succeededFuture();
    }
    Set<Integer> guilty = ids(event.getJsonArray("guilty", new JsonArray()));
    return vertx.sharedData().<String, String>getAsyncMap(FAILED_GAMES_MAP)
      .compose(m -> m.putIfAbsent(String.valueOf(game), "1", LaunchedMatches.KEEP_MS))
      .compose(previous -> previous != null ? Future.succeededFuture() : requeue(game, guilty)
        .compose(v -> Future.join(guilty.stream().map(violations::record).toList()))
        .<Void>mapEmpty())
      .onFailure(err -> LOG.warn("Match failure of game {} not handled: {}", game, err.getMessage()));
  }

  private Future<Void> requeue(Object game, Set<Integer> guilty) {
    return launched.take(game).compose(match -> {
      if (match == null) {
        LOG.info("Failed game {}: its searches are unknown, nobody re-queued", game);
        return Future.succeededFuture();
      }
      List<JsonObject> searches = match.getJsonArray("searches", new JsonArray()).stream().map(o -> (JsonObject) o).toList();
      Long id = game instanceof Number n ? n.longValue() : null;
      return requeues.requeue(match.getString("queue"), searches, guilty, id);
    }, err -> {
      LOG.warn("Searches of failed game {} unavailable, nobody re-queued: {}", game, err.getMessage());
      return Future.succeededFuture();
    });
  }

  private static Set<Integer> ids(JsonArray values) {
    Set<Integer> out = new HashSet<>();
    for (Object o : values) {
      if (o instanceof Number n) {
        out.add(n.intValue());
      }
    }
    return out;
  }
}
