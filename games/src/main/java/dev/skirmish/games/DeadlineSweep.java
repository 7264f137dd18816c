package dev.skirmish.games;

import dev.skirmish.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.skirmish.games.GamesContext.key;

/**
 * What keeps a game from being lost with the games node that holds its timers: every {@code GAME_DEADLINE_SWEEP_MS}
 * each games node looks at the {@link DueGames} whose time has come, applies the set-up deadlines that have passed
 * ({@link DeadlineRules}, by compare-and-set through {@link GameChanges}, so a time-out happens once whichever node
 * gets there first, and its effects are carried out by the node whose change was stored), takes over the end records
 * of an ended game whose writer's lease ran out ({@link EndRecorder#claim}), and moves each game's time on: to its
 * next deadline, the end of its lease, or one lease length later for a game with neither (a live game is looked at
 * that often, so an end whose node died before entering it is still found). The node that set a deadline also
 * keeps a local timer for it ({@link #check}), as fast as before.
 */
final class DeadlineSweep {

  private static final Logger LOG = LoggerFactory.getLogger(DeadlineSweep.class);

  private final GamesContext ctx;
  private final GameChanges changes;
  private final EndRecorder recorder;
  private final long lookAgainMillis;
  private long timer = -1;
  private boolean sweeping;

  DeadlineSweep(GamesContext ctx, GameChanges changes, EndRecorder recorder) {
    this.ctx = ctx;
    this.changes = changes;
    this.recorder = recorder;
    this.lookAgainMillis = ctx.config.getLong(Setting.GAME_RECORD_LEASE_MS);
  }

  void start() {
    long every = ctx.config.getLong(Setting.GAME_DEADLINE_SWEEP_MS);
    timer = ctx.vertx.setPeriodic(every, every, t -> sweep());
  }

  void stop() {
    ctx.vertx.cancelTimer(timer);
  }

  /** A game gets a deadline at {@code at}: it is due then, and this node's own timer applies it on time. */
  Future<Void> deadline(long id, long at) {
    ctx.vertx.setTimer(Math.max(1, at - System.currentTimeMillis()), t -> check(id, at));
    return ctx.due.dueBy(id, at);
  }

  /** Applies the deadlines of game {@code id} that have passed at {@code at} (or now, if later). */
  Future<Void> check(long id, long at) {
    long now = Math.max(at, System.currentTimeMillis());
    return changes.change(id, -1, g -> DeadlineRules.due(g, now)).<Void>mapEmpty()
      .onFailure(err -> LOG.warn("Deadline of game {} not applied", id, err));
  }

  private void sweep() {
    if (sweeping) {
      return;
    }
    sweeping = true;
    long now = System.currentTimeMillis();
    ctx.due.entries().compose(all -> {
      List<Future<Void>> looks = new ArrayList<>();
      for (Map.Entry<String, Long> e : all.entrySet()) {
        if (e.getValue() <= now) {
          looks.add(look(e.getKey(), e.getValue(), now));
        }
      }
      return Future.join(looks);
    }).onComplete(ar -> {
      sweeping = false;
      if (ar.failed()) {
        LOG.warn("Deadline sweep incomplete: {}", ar.cause().getMessage());
      }
    });
  }

  private Future<Void> look(String key, long due, long now) {
    long id = Long.parseLong(key);
    return ctx.games.readEnded(key).compose(doc -> {
      if (doc.isEmpty()) {
        return Future.succeededFuture(doc);
      }
      if (GameDocuments.isEnded(doc)) {
        return recorder.claim(id, now);
      }
      return check(id, now).compose(v -> ctx.games.readEnded(key(id)));
    }).compose(doc -> ctx.due.move(key, due, nextLook(doc, now)));
  }

  private Long nextLook(JsonObject doc, long now) {
    if (doc.isEmpty()) {
      return null;
    }
    if (GameDocuments.isEnded(doc)) {
      return Math.max(now + 1, GameDocuments.leaseEnd(doc));
    }
    Long next = DeadlineRules.next(doc, now);
    return next != null ? next : now + lookAgainMillis;
  }
}
