package dev.skirmish.games;

import dev.skirmish.common.Addresses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.skirmish.games.GamesContext.key;

/**
 * The {@code game_info} announcements: the games this node changed since the last tick go out in one
 * {@link Addresses#FAF_GAME_INFO} publish per tick, each with its audience; {@link Addresses#GAMES_VISIBLE}
 * lists every open or live game for a login.
 */
final class GameInfoAnnouncer {

  private final GamesContext ctx;
  /** Games this node changed since the last tick, with the last document it stored. */
  private final Map<Long, JsonObject> changed = new LinkedHashMap<>();

  GameInfoAnnouncer(GamesContext ctx) {
    this.ctx = ctx;
  }

  /** Game {@code id} changed (to {@code game}, the document as stored): it is announced at the next tick. */
  void changed(long id, JsonObject game) {
    changed.put(id, game);
  }

  /** One publish with every game changed since the last one (each as it is now, or as last stored if gone). */
  void announce() {
    if (changed.isEmpty()) {
      return;
    }
    Map<Long, JsonObject> batch = new LinkedHashMap<>(changed);
    changed.clear();
    List<Future<JsonObject>> reads = new ArrayList<>();
    batch.forEach((id, last) -> reads.add(ctx.games.read(key(id)).map(current -> current.isEmpty() ? last : current)
      .otherwise(last)));
    Future.all(reads).onSuccess(all -> {
      JsonArray list = new JsonArray();
      for (Future<JsonObject> f : reads) {
        list.add(GameInfo.announcement(f.result()));
      }
      ctx.vertx.eventBus().publish(Addresses.FAF_GAME_INFO, new JsonObject().put("games", list));
    });
  }

  /** Every open or live game with its audience (the gateway filters per player). */
  Future<JsonArray> visibleGames() {
    return ctx.games.entries().map(all -> {
      JsonArray list = new JsonArray();
      all.values().stream()
        .filter(g -> GameRules.LOBBY.equals(g.getString("state")) || GameRules.LIVE.equals(g.getString("state")))
        .sorted((a, b) -> Long.compare(a.getLong("id"), b.getLong("id")))
        .forEach(g -> list.add(GameInfo.announcement(g)));
      return list;
    });
  }
}
