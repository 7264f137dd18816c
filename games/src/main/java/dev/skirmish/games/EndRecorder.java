package dev.skirmish.games;

import dev.skirmish.common.DocumentStore.Change;
import dev.skirmish.common.Players;
import dev.skirmish.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static dev.skirmish.games.GamesContext.key;

/**
 * Writes the end records of a game (results, validity, ratings: {@link GameRecords#ended}) before the game is
 * forgotten. The ended game stays in the games map with the lease of the node writing them
 * ({@link GameDocuments#RECORDING}); a database error is retried after {@code GAME_RECORD_RETRY_MS}, doubling up
 * to half the lease, which each retry renews; the document is removed only once the transaction has committed.
 * When the writer is lost, its lease runs out and the deadline sweep of another games node claims the game
 * ({@link #claim}). Writing twice is harmless: {@link GameRecords#ended} locks the game's row and records an end
 * once, so a writer that committed and died before removing the document never has the game rated again.
 */
final class EndRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(EndRecorder.class);

  private final GamesContext ctx;
  private final GameStats stats;
  private final long retryMillis;
  private final long maxWaitMillis;

  EndRecorder(GamesContext ctx, GameStats stats) {
    this.ctx = ctx;
    this.stats = stats;
    this.retryMillis = Math.max(1, ctx.config.getLong(Setting.GAME_RECORD_RETRY_MS));
    this.maxWaitMillis = Math.max(retryMillis, ctx.config.getLong(Setting.GAME_RECORD_LEASE_MS) / 2);
  }

  /** This node's change ended {@code game} (stored with this node's lease): its end is recorded. */
  void ended(JsonObject game) {
    long id = game.getLong("id");
    LOG.info("Game {} ended", id);
    if (game.getValue("launchedAt") == null) {
      // Never launched: nothing was recorded, nothing is to be.
      forget(id);
      return;
    }
    ctx.due.dueBy(id, GameDocuments.leaseEnd(game))
      .onFailure(err -> LOG.warn("Game {}: could not enter the end of its lease for the sweep", id, err));
    attempt(game, 0);
  }

  /** What a claim found: the game's document after it, and whether this node took it. */
  private record Claim(JsonObject doc, boolean taken) {
  }

  /**
   * An ended game met by the sweep at {@code now}: when its lease has run out, this node takes it and writes its
   * records. Answers the game's document after the claim.
   */
  Future<JsonObject> claim(long id, long now) {
    return ctx.games.updateEnded(key(id), doc -> {
      if (GameDocuments.isEnded(doc) && GameDocuments.leaseEnd(doc) <= now) {
        JsonObject taken = ctx.games.leased(doc.copy(), now);
        return new Change<>(taken, new Claim(taken, true));
      }
      return new Change<>(null, new Claim(doc, false));
    }).map(claim -> {
      if (claim.taken()) {
        LOG.info("Game {}: its end records were not written by the node that ended it; writing them", id);
        attempt(claim.doc(), 0);
      }
      return claim.doc();
    });
  }

  private void attempt(JsonObject game, int failures) {
    long id = game.getLong("id");
    ctx.tracked(write(game))
      .onSuccess(result -> {
        forget(id);
        for (int player : result.ratedPlayers()) {
          Players.refresh(ctx.vertx, ctx.pool, player);
        }
        if (result.recorded()) {
          ctx.tracked(stats.evaluate(id)).onFailure(err -> LOG.warn("Achievements of game {} not evaluated", id, err));
        }
      })
      .onFailure(err -> {
        long wait = Math.min(maxWaitMillis, retryMillis << Math.min(failures, 20));
        LOG.error("Could not record the end of game {} (attempt {}); trying again in {} ms", id, failures + 1, wait, err);
        ctx.vertx.setTimer(wait, t -> renew(id).onComplete(ar -> {
          if (ar.failed() || ar.result()) {
            attempt(game, failures + 1);
          } else {
            LOG.info("Game {}: its end records are now written by another node", id);
          }
        }));
      });
  }

  /**
   * The launch record first (a game can end before it is written, or it was written by another node: then it
   * is a no-op), then the end, in two transactions; either failing fails the attempt.
   */
  private Future<GameRecords.EndedGame> write(JsonObject game) {
    Future<Integer> launch = game.getValue("launchedAt") == null ? Future.succeededFuture(0) : ctx.records.launched(game);
    return launch.compose(v -> ctx.records.ended(game));
  }

  /** Renews this node's lease; false when another node holds the game now or it is gone. */
  private Future<Boolean> renew(long id) {
    return ctx.games.updateEnded(key(id), doc -> ctx.games.holds(doc)
      ? new Change<>(ctx.games.leased(doc.copy(), System.currentTimeMillis()), true)
      : new Change<>(null, false));
  }

  /** The records are written: the game is removed from the map (whoever holds it) and from the due games. */
  private void forget(long id) {
    ctx.games.updateEnded(key(id), doc -> new Change<Void>(GameDocuments.isEnded(doc) ? new JsonObject() : null, null))
      .compose(v -> ctx.due.forget(id))
      .onFailure(err -> LOG.warn("Game {} is recorded but could not be removed yet (the sweep will)", id, err));
  }
}
