package dev.skirmish.deploy;

import dev.skirmish.deploy.FafTestSupport.Player;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/** Steps of the matchmaker tests: queueing, matchmaker_info checks, parties. */
final class MatchmakerKit {

  private MatchmakerKit() {
  }

  static JsonObject start(String queue) {
    return new JsonObject().put("command", "game_matchmaking").put("state", "start").put("queue_name", queue);
  }

  static JsonObject stop(String queue) {
    return new JsonObject().put("command", "game_matchmaking").put("state", "stop").put("queue_name", queue);
  }

  static Predicate<JsonObject> searchInfo(String queue, String state) {
    return m -> "search_info".equals(m.getString("command")) && queue.equals(m.getString("queue_name"))
      && state.equals(m.getString("state"));
  }

  /** Sends start and waits for the search_info start. */
  static Future<JsonObject> queue(Player p, String queue) {
    p.client().send(start(queue));
    return p.client().inbox().next(searchInfo(queue, "start"), "search_info start " + queue);
  }

  /** The entry of {@code queue} in a matchmaker_info message, or null. */
  static JsonObject entry(JsonObject m, String queue) {
    if (!"matchmaker_info".equals(m.getString("command"))) {
      return null;
    }
    for (Object o : m.getJsonArray("queues", new JsonArray())) {
      JsonObject q = (JsonObject) o;
      if (queue.equals(q.getString("queue_name"))) {
        return q;
      }
    }
    return null;
  }

  /** A matchmaker_info in which {@code queue} has {@code players} players. */
  static Predicate<JsonObject> numPlayers(String queue, int players) {
    return m -> {
      JsonObject e = entry(m, queue);
      return e != null && e.getInteger("num_players") == players;
    };
  }

  /**
   * The first matchmaker_info that reaches {@code watcher} from now on (not one already received) in which
   * {@code queue} has {@code players} players; the watcher does not ask for it.
   */
  static Future<JsonObject> broadcast(Player watcher, String queue, int players) {
    Set<JsonObject> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    seen.addAll(watcher.client().inbox().history());
    return watcher.client().inbox().next(numPlayers(queue, players).and(m -> !seen.contains(m)),
      "matchmaker_info broadcast with " + players + " in " + queue);
  }

  /**
   * The players in {@code queue}: {@code p} asks for matchmaker_info, then pings; the counts of {@code queue}
   * in every matchmaker_info that came between the request and the pong (the answer, and any broadcast that
   * crossed it). Call it once the queue has stopped changing: then all of them show its current state.
   */
  static Future<List<Integer>> queuedNow(Player p, String queue) {
    int before = p.client().inbox().history().size();
    p.client().send(new JsonObject().put("command", "matchmaker_info"));
    return FafTestSupport.roundTrip(p.client()).map(pong -> {
      List<JsonObject> seen = p.client().inbox().history();
      return seen.subList(before, seen.lastIndexOf(pong)).stream().map(m -> entry(m, queue)).filter(Objects::nonNull)
        .map(e -> e.getInteger("num_players")).toList();
    });
  }

  /** How many {@code search_info} of {@code state} in {@code queue} the player has received so far. */
  static long searchInfos(Player p, String queue, String state) {
    return p.client().inbox().history().stream().filter(searchInfo(queue, state)).count();
  }

  /** {@code owner} invites {@code member}, who accepts; completes once both see the two-player party. */
  static Future<Void> party(Player owner, Player member) {
    owner.client().send(new JsonObject().put("command", "invite_to_party").put("recipient_id", member.id()));
    return member.client().expect("party_invite").compose(inv -> {
      member.client().send(new JsonObject().put("command", "accept_party_invite").put("sender_id", owner.id()));
      Predicate<JsonObject> both = m -> "update_party".equals(m.getString("command"))
        && m.getJsonArray("members", new JsonArray()).size() == 2;
      return Future.all(owner.client().inbox().next(both, "party of two"), member.client().inbox().next(both, "party of two"));
    }).mapEmpty();
  }
}
