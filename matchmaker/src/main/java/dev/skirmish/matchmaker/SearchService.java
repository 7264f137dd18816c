package dev.skirmish.matchmaker;

import dev.skirmish.common.CommandHandlers;
import dev.skirmish.common.Delivery;
import dev.skirmish.common.DocumentStore;
import dev.skirmish.common.Faf;
import dev.skirmish.common.Failures;
import dev.skirmish.common.Players;
import dev.skirmish.common.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Who searches in which queue: {@code game_matchmaking} start and stop, cancelling searches, and the
 * queues' {@code matchmaker_info} entries. The searches of each queue are one
 * cluster-wide document (rules in {@link Searches}).
 */
final class SearchService {

  private static final Logger LOG = LoggerFactory.getLogger(SearchService.class);

  private static final String PARTIES_KEY = "parties";
  private static final List<String> DEFAULT_FACTIONS = List.of("uef", "aeon", "cybran", "seraphim");
  private static final String BANS =
    "SELECT player_id, banned_until FROM matchmaker_violation WHERE player_id = ANY($1) AND banned_until > now()";

  private final Vertx vertx;
  private final Pool pool;
  private final QueueDefinitions queues;
  private final DocumentStore searches;
  private final DocumentStore parties;
  private final DocumentStore playerGames;
  private final Outbox outbox;
  private final long firstPopMs;

  /**
   * @param searches    the queues' search documents, by queue name
   * @param parties     the party service's document of parties and solo factions
   * @param playerGames the games service's documents of the players in a game, by player id
   * @param firstPopMs  the wait before a queue's first pop, shown while its timer has not started
   */
  SearchService(Vertx vertx, Pool pool, QueueDefinitions queues, DocumentStore searches, DocumentStore parties,
                DocumentStore playerGames, Outbox outbox, long firstPopMs) {
    this.vertx = vertx;
    this.pool = pool;
    this.queues = queues;
    this.searches = searches;
    this.parties = parties;
    this.playerGames = playerGames;
    this.outbox = outbox;
    this.firstPopMs = firstPopMs;
  }

  // ---- matchmaker_info ------------------------------------------------------------------------------

  /** {@code matchmaker_info} on request: every queue. */
  Future<JsonObject> info(JsonObject request) {
    return infoMessage().map(CommandHandlers::messages);
  }

  private Future<JsonObject> infoMessage() {
    List<QueueDef> defs = new ArrayList<>(queues.all());
    List<Future<JsonObject>> docs = defs.stream().map(q -> searches.read(q.name())).toList();
    return Future.all(docs).map(all -> {
      long now = System.currentTimeMillis();
      JsonArray out = new JsonArray();
      for (int i = 0; i < defs.size(); i++) {
        out.add(Searches.info(defs.get(i), docs.get(i).result(), now, firstPopMs));
      }
      return Faf.command("matchmaker_info").put("queues", out);
    });
  }

  /** Publishes every queue's entry for the gateways' next presence tick ({@link Delivery#fafQueues}). */
  void publishQueues() {
    infoMessage().onSuccess(m -> Delivery.fafQueues(vertx, m.getJsonArray("queues")))
      .onFailure(err -> LOG.warn("matchmaker_info broadcast failed: {}", err.getMessage()));
  }

  // ---- game_matchmaking -----------------------------------------------------------------------------

  /** {@code game_matchmaking {state: start|stop}}; any other state is ignored. */
  Future<JsonObject> matchmaking(JsonObject request) {
    int player = request.getInteger("player");
    JsonObject msg = request.getJsonObject("message", new JsonObject());
    String queue = queueName(msg);
    Object state = msg.getValue("state");
    if ("stop".equals(state)) {
      return stop(player, queue);
    }
    if ("start".equals(state)) {
      return start(player, queue, msg.getValue("faction"));
    }
    return Future.succeededFuture(new JsonObject());
  }

  private static String queueName(JsonObject msg) {
    if (msg.getValue("queue_name") instanceof String s && !s.isBlank()) {
      return s;
    }
    if (msg.getValue("mod") instanceof String s && !s.isBlank()) {
      return s;
    }
    return "ladder1v1";
  }

  private Future<JsonObject> stop(int player, String queueName) {
    if (!queues.contains(queueName)) {
      return Future.succeededFuture(new JsonObject());
    }
    return searches.update(queueName, doc -> Searches.removePlayer(doc, player)).map(removed -> {
      tellStopped(queueName, removed, player);
      if (!removed.isEmpty()) {
        publishQueues();
      }
      return CommandHandlers.messages(Outbox.searchInfo(queueName, "stop"));
    });
  }

  private Future<JsonObject> start(int player, String queueName, Object factionValue) {
    QueueDef queue = queues.get(queueName);
    if (queue == null) {
      return Future.failedFuture(new ServiceException(Failures.NOT_FOUND, "There is no matchmaker queue named '" + queueName + "'."));
    }
    String faction = null;
    if (factionValue != null) {
      faction = Launch.parseFaction(factionValue);
      if (faction == null) {
        return Future.failedFuture(new ServiceException(Failures.BAD_REQUEST, "Unknown faction: " + factionValue));
      }
    }
    String chosen = faction;
    return parties.read(PARTIES_KEY).compose(partyDoc -> {
      Map<Integer, List<String>> members = partyOf(partyDoc, player);
      if (members == null) {
        return Future.failedFuture(new ServiceException(Failures.FORBIDDEN,
          "Only the owner of your party can start a search for it."));
      }
      if (members.size() > queue.teamSize()) {
        return Future.failedFuture(new ServiceException(Failures.BAD_REQUEST, "Your party has " + members.size()
          + " players, but " + queueName + " has teams of " + queue.teamSize() + "."));
      }
      if (chosen != null) {
        members.put(player, List.of(chosen));
      }
      List<Integer> ids = new ArrayList<>(members.keySet());
      List<Future<JsonObject>> infos = ids.stream().map(id -> Players.info(pool, id)).toList();
      return Future.all(infos)
        .compose(v -> requireIdle(ids, infos))
        .compose(v -> activeBans(ids))
        .compose(bans -> {
          if (!bans.isEmpty()) {
            return Future.succeededFuture(timedOut(queueName, bans));
          }
          JsonObject search = newSearch(player, queue, ids, infos, members);
          return searches.update(queueName, doc -> Searches.add(doc, search)).map(replaced -> {
            for (int member : ids) {
              if (member != player) {
                outbox.push(member, Outbox.searchInfo(queueName, "start"));
              }
            }
            publishQueues();
            return CommandHandlers.messages(Outbox.searchInfo(queueName, "start"));
          });
        });
    });
  }

  /**
   * The members of {@code player}'s party with their factions, the party owner first; a lone player is a
   * party of one. Null if the player is in a party they do not own.
   */
  private static Map<Integer, List<String>> partyOf(JsonObject doc, int player) {
    JsonObject all = doc.getJsonObject("parties", new JsonObject());
    for (String key : all.fieldNames()) {
      JsonObject party = all.getJsonObject(key);
      JsonArray members = party.getJsonArray("members", new JsonArray());
      boolean in = members.stream().anyMatch(m -> ((JsonObject) m).getInteger("player") == player);
      if (!in) {
        continue;
      }
      if (party.getInteger("owner") != player) {
        return null;
      }
      Map<Integer, List<String>> out = new LinkedHashMap<>();
      out.put(player, DEFAULT_FACTIONS);
      for (Object o : members) {
        JsonObject m = (JsonObject) o;
        out.put(m.getInteger("player"), strings(m.getJsonArray("factions")));
      }
      return out;
    }
    Map<Integer, List<String>> solo = new LinkedHashMap<>();
    JsonArray own = doc.getJsonObject("factions", new JsonObject()).getJsonArray(String.valueOf(player));
    solo.put(player, strings(own));
    return solo;
  }

  private static List<String> strings(JsonArray a) {
    if (a == null || a.isEmpty()) {
      return DEFAULT_FACTIONS;
    }
    List<String> out = new ArrayList<>();
    a.forEach(o -> out.add(String.valueOf(o)));
    return out;
  }

  private Future<Void> requireIdle(List<Integer> ids, List<Future<JsonObject>> infos) {
    List<Future<JsonObject>> states = ids.stream().map(id -> playerGames.read(String.valueOf(id))).toList();
    return Future.all(states).compose(v -> {
      for (int i = 0; i < ids.size(); i++) {
        JsonObject game = states.get(i).result();
        if (game != null && !game.isEmpty()) {
          JsonObject info = infos.get(i).result();
          String login = info == null ? String.valueOf(ids.get(i)) : info.getString("login");
          String state = String.valueOf(game.getValue("state", "PLAYING")).toUpperCase(Locale.ROOT);
          return Future.failedFuture(new ServiceException(Failures.CONFLICT,
            "Can't join a queue while " + login + " is in state " + state));
        }
      }
      return Future.succeededFuture();
    });
  }

  private Future<Map<Integer, OffsetDateTime>> activeBans(List<Integer> ids) {
    return pool.preparedQuery(BANS).execute(Tuple.tuple().addArrayOfInteger(ids.toArray(new Integer[0]))).map(rows -> {
      Map<Integer, OffsetDateTime> out = new LinkedHashMap<>();
      for (Row r : rows) {
        out.put(r.getInteger("player_id"), r.getOffsetDateTime("banned_until"));
      }
      return out;
    });
  }

  private static JsonObject timedOut(String queueName, Map<Integer, OffsetDateTime> bans) {
    JsonArray timeouts = new JsonArray();
    OffsetDateTime latest = null;
    for (Map.Entry<Integer, OffsetDateTime> e : bans.entrySet()) {
      timeouts.add(new JsonObject().put("player", e.getKey()).put("expires_at", iso(e.getValue())));
      latest = latest == null || e.getValue().isAfter(latest) ? e.getValue() : latest;
    }
    String text = "You can't queue: a player of your party has a matchmaker time-out until " + iso(latest)
      + " for failing to connect to a matchmade game.";
    return CommandHandlers.messages(Faf.command("search_timeout").put("timeouts", timeouts),
      Outbox.searchInfo(queueName, "stop"), Faf.infoNotice(text));
  }

  private static String iso(OffsetDateTime t) {
    return t.atZoneSameInstant(ZoneOffset.UTC).toInstant().toString();
  }

  private static JsonObject newSearch(int owner, QueueDef queue, List<Integer> ids, List<Future<JsonObject>> infos,
                                      Map<Integer, List<String>> factions) {
    JsonArray players = new JsonArray();
    for (int i = 0; i < ids.size(); i++) {
      JsonObject info = infos.get(i).result();
      double[] rating = Searches.rating(info, queue.leaderboard());
      JsonObject p = new JsonObject().put("id", ids.get(i))
        .put("login", info == null ? String.valueOf(ids.get(i)) : info.getString("login"))
        .put("mean", rating[0]).put("dev", rating[1]).put("games", (int) rating[2])
        .put("factions", new JsonArray(new ArrayList<>(factions.get(ids.get(i)))));
      if (info != null && info.getString("clan") != null) {
        p.put("clan", info.getString("clan"));
      }
      players.add(p);
    }
    return new JsonObject().put("id", UUID.randomUUID().toString()).put("owner", owner)
      .put("started", System.currentTimeMillis()).put("failed", 0).put("players", players);
  }

  // ---- cancelling and re-queueing -------------------------------------------------------------------

  /** {@code search_info stop} to the members of the removed searches, except {@code silent}. */
  private void tellStopped(String queueName, List<JsonObject> removed, int silent) {
    for (JsonObject s : removed) {
      for (int member : Searches.playerIds(s)) {
        if (member != silent) {
          outbox.push(member, Outbox.searchInfo(queueName, "stop"));
        }
      }
    }
  }

  /**
   * Removes the searches holding any of {@code players} from every queue but {@code except}; their members
   * (other than {@code silent}) get {@code search_info stop}. Completes once every queue is done.
   */
  Future<Void> cancel(Set<Integer> players, String except, int silent) {
    List<Future<Boolean>> all = new ArrayList<>();
    for (QueueDef q : queues.all()) {
      if (q.name().equals(except)) {
        continue;
      }
      all.add(searches.update(q.name(), doc -> Searches.removePlayers(doc, players)).map(removed -> {
        tellStopped(q.name(), removed, silent);
        return !removed.isEmpty();
      }));
    }
    return Future.join(all).map(done -> {
      if (all.stream().anyMatch(f -> f.succeeded() && f.result())) {
        publishQueues();
      }
      all.stream().filter(Future::failed).forEach(f -> LOG.warn("Cancelling searches failed: {}", f.cause().getMessage()));
      return null;
    });
  }
}
