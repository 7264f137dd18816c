package dev.skirmish.games;

import dev.skirmish.common.Addresses;
import dev.skirmish.common.Delivery;
import dev.skirmish.common.DocumentStore.Change;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BiConsumer;
import java.util.function.Function;

import static dev.skirmish.games.GamesContext.key;

/**
 * Applies a {@link GameRules} rule to a game document and carries out the effects of the stored change,
 * once, on this node: messages to the players' game connections, player states, the game_info
 * announcement, launch and end records ({@link EndRecorder}), a matchmade game's hosting and cancellation.
 */
final class GameChanges {

  private static final Logger LOG = LoggerFactory.getLogger(GameChanges.class);

  private final GamesContext ctx;
  private final PlayerStates states;
  private final GameInfoAnnouncer announcer;
  private final EndRecorder recorder;
  private BiConsumer<Long, JsonObject> matchHosted = (id, game) -> { };

  GameChanges(GamesContext ctx, PlayerStates states, GameInfoAnnouncer announcer, EndRecorder recorder) {
    this.ctx = ctx;
    this.states = states;
    this.announcer = announcer;
    this.recorder = recorder;
  }

  /** Sets what happens when a matchmade game's host opened the lobby. */
  void onMatchHosted(BiConsumer<Long, JsonObject> handler) {
    this.matchHosted = handler;
  }

  /** Applies a rule to a game and carries out its effects; the caller's own messages come back in the reply. */
  Future<JsonObject> change(long id, int caller, Function<JsonObject, Change<GameRules.Effects>> rule) {
    return ctx.games.update(key(id), rule).compose(fx -> carryOut(id, fx, caller));
  }

  Future<JsonObject> carryOut(long id, GameRules.Effects fx, int caller) {
    JsonArray own = new JsonArray();
    for (GameRules.Push push : fx.pushes) {
      if (push.player() == caller) {
        own.add(push.message());
      } else {
        Delivery.toSession(ctx.vertx, ctx.sessions, key(push.player()), push.message())
          .onFailure(err -> LOG.debug("Game message to {} not delivered: {}", push.player(), err.getMessage()));
      }
    }
    if (fx.changed && fx.game != null) {
      announcer.changed(id, fx.game);
    }
    Future<Void> set = states.set(id, fx.states);
    if (fx.launched) {
      launched(id, fx.game);
    }
    if (fx.matchHosted) {
      matchHosted.accept(id, fx.game);
    }
    if (fx.cancelled) {
      LOG.info("Matchmade game {} cancelled; blamed: {}", id, fx.guilty);
      ctx.events.send(Addresses.MATCH_FAILED, new JsonObject().put("game", id)
        .put("queue", fx.game.getString("queue")).put("players", new JsonArray(GameRules.expected(fx.game)))
        .put("guilty", new JsonArray(fx.guilty)));
    }
    if (fx.ended) {
      recorder.ended(fx.game);
    }
    return set.map(v -> new JsonObject().put("messages", own));
  }

  /** Records a launched game and stores its validity in the document. */
  private void launched(long id, JsonObject game) {
    LOG.info("Game {} launched with {} players", id, game.getJsonArray("players").size());
    ctx.tracked(ctx.records.launched(game))
      .compose(validity -> ctx.games.update(key(id), doc -> new Change<>(doc.isEmpty() ? null : doc.copy().put("validity", validity), validity)))
      .onFailure(err -> LOG.error("Could not record the launch of game {}", id, err));
  }
}
