package dev.skirmish.matchmaker;

import dev.skirmish.common.DocumentStore;
import dev.skirmish.common.Faf;
import dev.skirmish.matchmaker.algorithm.Match;
import dev.skirmish.matchmaker.algorithm.MatchResult;
import dev.skirmish.matchmaker.algorithm.OneVsOneMatcher;
import dev.skirmish.matchmaker.algorithm.PopTimer;
import dev.skirmish.matchmaker.algorithm.Search;
import dev.skirmish.matchmaker.algorithm.TeamMatcher;
import dev.skirmish.matchmaker.algorithm.TrueSkillQuality;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pops of the queues: on each tick every queue whose pop time has come is popped under its cluster
 * lock (so once, whichever node gets there first), the matcher runs off the event loop, and each game it
 * finds whose searches are all still queued goes to the ready check or straight to launch.
 */
final class PopService {

  private static final Logger LOG = LoggerFactory.getLogger(PopService.class);

  private static final String LOCK_PREFIX = "faf.matchmaker.pop.";

  private final Vertx vertx;
  private final QueueDefinitions queues;
  private final DocumentStore searchDocs;
  private final SearchService searches;
  private final ReadyCheckService readyChecks;
  private final LaunchService launcher;
  private final Outbox outbox;
  private final PopTimer.Config popConfig;
  private final MeterRegistry meters;
  private final Set<String> popping = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> queuedPlayers = new ConcurrentHashMap<>();

  /**
   * @param searchDocs the queues' search documents, by queue name (the same as {@code searches} uses)
   * @param meters     the registry of the queue statistics, or null for none
   */
  PopService(Vertx vertx, QueueDefinitions queues, DocumentStore searchDocs, SearchService searches,
             ReadyCheckService readyChecks, LaunchService launcher, Outbox outbox, PopTimer.Config popConfig,
             MeterRegistry meters) {
    this.vertx = vertx;
    this.queues = queues;
    this.searchDocs = searchDocs;
    this.searches = searches;
    this.readyChecks = readyChecks;
    this.launcher = launcher;
    this.outbox = outbox;
    this.popConfig = popConfig;
    this.meters = meters;
  }

  /** The wait before the first pop of a queue. */
  static long firstPopMs(PopTimer.Config config) {
    return Math.round(new PopTimer(config, 1).firstPopSeconds() * 1000);
  }

  /** How often {@link #tick} should run: often enough for the shortest pop interval. */
  long tickMs() {
    return popConfig.minSeconds() < 5 ? 250 : 1000;
  }

  /** Starts the timer of each queue that has none and pops each queue whose time has come. */
  void tick() {
    long now = System.currentTimeMillis();
    for (QueueDef q : queues.all()) {
      if (popping.contains(q.name())) {
        continue;
      }
      searchDocs.read(q.name()).onSuccess(doc -> {
        queued(q.name()).set(Searches.playerCount(doc));
        Long next = Searches.nextPop(doc);
        if (next == null) {
          searchDocs.update(q.name(), d -> Searches.ensureTimer(d, now, firstPopMs(popConfig)))
            .onFailure(err -> LOG.debug("Starting the timer of {} failed: {}", q.name(), err.getMessage()));
        } else if (next <= now && popping.add(q.name())) {
          popLocked(q).onComplete(ar -> {
            popping.remove(q.name());
            if (ar.failed()) {
              LOG.warn("Pop of {} failed", q.name(), ar.cause());
            }
          });
        }
      });
    }
  }

  private Future<Void> popLocked(QueueDef queue) {
    return vertx.sharedData().getLockWithTimeout(LOCK_PREFIX + queue.name(), 10).transform(ar -> {
      if (ar.failed()) {
        return Future.succeededFuture(); // another node is popping this queue
      }
      return pop(queue).onComplete(done -> ar.result().release());
    });
  }

  /** A game proposed by the matcher: search ids, team A first, and how many of them are team A. */
  private record Proposal(List<String> ids, int teamASize) {
  }

  private Future<Void> pop(QueueDef queue) {
    return searchDocs.read(queue.name()).compose(doc -> {
      long now = System.currentTimeMillis();
      Long next = Searches.nextPop(doc);
      if (next == null || next > now) {
        return Future.succeededFuture(); // popped meanwhile by another node
      }
      Map<String, Search> byId = Searches.toSearches(doc, now);
      int players = Searches.playerCount(doc);
      long nextMs = Math.round(Searches.nextPopSeconds(doc, popConfig, queue.teamSize(), players, now) * 1000);
      long started = System.nanoTime();
      return vertx.executeBlocking(() -> propose(queue, byId, players), false).compose(proposals -> {
        if (meters != null) {
          Timer.builder("skirmish.matchmaker.pop").description("Time the matcher took for one pop of a queue")
            .tag("queue", queue.name()).register(meters).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
        List<List<String>> games = proposals.stream().map(Proposal::ids).toList();
        return searchDocs.update(queue.name(), current -> Searches.applyPop(current, games, byId.keySet(), players,
          now, nextMs, popConfig.history())).map(accepted -> {
            accepted.forEach((index, found) -> {
              int a = proposals.get(index).teamASize();
              matched(queue, found.subList(0, a), found.subList(a, found.size()));
            });
            searches.publishQueues();
            return null;
          });
      });
    });
  }

  private static List<Proposal> propose(QueueDef queue, Map<String, Search> byId, int players) {
    if (players < 2 * queue.teamSize()) {
      return List.of();
    }
    List<Search> list = new ArrayList<>(byId.values());
    MatchResult result = queue.teamSize() == 1
      ? new OneVsOneMatcher(new TrueSkillQuality()).find(list)
      : new TeamMatcher(queue.teamSize()).find(list);
    Map<Search, String> idOf = new IdentityHashMap<>();
    byId.forEach((id, s) -> idOf.put(s, id));
    List<Proposal> out = new ArrayList<>();
    for (Match m : result.matches()) {
      List<String> ids = new ArrayList<>();
      m.teamA().forEach(s -> ids.add(idOf.get(s)));
      m.teamB().forEach(s -> ids.add(idOf.get(s)));
      out.add(new Proposal(ids, m.teamA().size()));
    }
    return out;
  }

  /** A game was found and its searches removed: tell the players, cancel their other searches, start it. */
  private void matched(QueueDef queue, List<JsonObject> teamA, List<JsonObject> teamB) {
    List<Launch.Player> a = Launch.playersOf(teamA);
    List<Launch.Player> b = Launch.playersOf(teamB);
    List<Launch.Player> all = new ArrayList<>(a);
    all.addAll(b);
    Set<Integer> ids = LaunchService.ids(all);
    if (meters != null) {
      Counter.builder("skirmish.matchmaker.matches").description("Games found by the matchmaker")
        .tag("queue", queue.name()).register(meters).increment();
    }
    recordWaits(queue, teamA, teamB);
    LOG.info("Match in {}: {} vs {}", queue.name(), a.stream().map(Launch.Player::id).toList(),
      b.stream().map(Launch.Player::id).toList());
    if (queue.readyCheck()) {
      readyChecks.begin(queue, teamA, teamB, ids);
      return;
    }
    for (int id : ids) {
      outbox.push(id, Faf.command("match_found").put("queue_name", queue.name()));
    }
    searches.cancel(ids, queue.name(), -1).onComplete(done -> launcher.launch(queue, teamA, teamB));
  }

  /** Records, per search, the time from its start to this match. */
  private void recordWaits(QueueDef queue, List<JsonObject> teamA, List<JsonObject> teamB) {
    if (meters == null) {
      return;
    }
    Timer timer = Timer.builder("skirmish.matchmaker.wait").description("Time from the start of a search to its match")
      .tag("queue", queue.name()).publishPercentiles(0.5, 0.9, 0.99).register(meters);
    long now = System.currentTimeMillis();
    List<JsonObject> all = new ArrayList<>(teamA);
    all.addAll(teamB);
    for (JsonObject s : all) {
      Long started = s.getLong("started");
      if (started != null) {
        timer.record(Math.max(0, now - started), TimeUnit.MILLISECONDS);
      }
    }
  }

  /** The players this node last saw in a queue; registered as a gauge on first use. */
  private AtomicInteger queued(String queue) {
    return queuedPlayers.computeIfAbsent(queue, name -> {
      AtomicInteger value = new AtomicInteger();
      if (meters != null) {
        Gauge.builder("skirmish.matchmaker.queue.players", value, AtomicInteger::get)
          .description("Players searching in a matchmaker queue").tag("queue", name).register(meters);
      }
      return value;
    });
  }
}
