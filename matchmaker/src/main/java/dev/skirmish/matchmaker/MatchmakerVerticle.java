package dev.skirmish.matchmaker;

import dev.skirmish.common.AckedEvents;
import dev.skirmish.common.Addresses;
import dev.skirmish.common.CommandHandlers;
import dev.skirmish.common.Delivery;
import dev.skirmish.common.DocumentStore;
import dev.skirmish.common.Failures;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.NodeStatus;
import dev.skirmish.common.SessionDirectory;
import dev.skirmish.common.Setting;
import dev.skirmish.matchmaker.algorithm.PopTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The FAF matchmaker service: wires the event bus to the matchmaker's parts. Any matchmaker node serves any
 * queue: each queue's searches and pop timer live in one cluster-wide document ({@link DocumentStore},
 * rules in {@link Searches}); every node checks the timers, and the node that gets a queue's cluster lock
 * pops it ({@link PopService}), so a queue pops once however many nodes run and another node takes over
 * when a popper dies. Every node's tick also expires the overdue ready checks ({@link ReadyCheckService}),
 * whichever node began them.
 */
public final class MatchmakerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MatchmakerVerticle.class);

  /** Cluster-wide map of the queue documents, keyed by queue name. */
  static final String SEARCHES_MAP = "faf.matchmaker.searches";
  private static final String PARTIES_MAP = "faf.parties";
  private static final String PLAYER_GAMES_MAP = "faf.player.games";
  /** Cluster-wide map of the players' map vetoes ({@code set_player_vetoes}), keyed by player id; memory only. */
  static final String VETOES_MAP = "faf.matchmaker.vetoes";
  /** Cluster-wide map holding one document of the matches waiting for match_ready ({@link ReadyCheckService}). */
  static final String READY_MAP = "faf.matchmaker.ready";
  private static final long RELOAD_MS = 10 * 60 * 1000L;

  private final NodeConfig config;
  private final Pool pool;
  private final String metricsRegistry;
  private QueueDefinitions queues;
  private SearchService searches;
  private VetoService vetoes;
  private MatchFailureService failures;
  private ReadyCheckService readyChecks;
  private PopService pops;
  private long tickTimer = -1;
  private long reloadTimer = -1;

  public MatchmakerVerticle(NodeConfig config, Pool pool) {
    this(config, pool, null);
  }

  /** @param metricsRegistry name of the node's Micrometer registry for queue statistics (null = none) */
  public MatchmakerVerticle(NodeConfig config, Pool pool, String metricsRegistry) {
    this.config = config;
    this.pool = pool;
    this.metricsRegistry = metricsRegistry;
  }

  @Override
  public Future<?> start() {
    double max = Math.max(1, config.getInt(Setting.MATCHMAKER_POP_MAX_SECONDS));
    double min = Math.min(max, Math.max(1, config.getInt(Setting.MATCHMAKER_POP_MIN_SECONDS)));
    PopTimer.Config popConfig = new PopTimer.Config(max, min, PopTimer.Config.DEFAULT.desiredMatches(),
      PopTimer.Config.DEFAULT.history());
    MeterRegistry meters = metricsRegistry == null ? null : BackendRegistries.getNow(metricsRegistry);
    DocumentStore searchDocs = new DocumentStore(vertx, SEARCHES_MAP, Searches::empty, Searches::isEmpty);
    DocumentStore playerGames = new DocumentStore(vertx, PLAYER_GAMES_MAP, JsonObject::new, JsonObject::isEmpty);
    DocumentStore readyDocs = new DocumentStore(vertx, READY_MAP, JsonObject::new, JsonObject::isEmpty);
    SessionDirectory sessions = new SessionDirectory(vertx, Delivery.FAF_SESSIONS);
    Outbox outbox = new Outbox(vertx, sessions);
    queues = new QueueDefinitions(pool);
    searches = new SearchService(vertx, pool, queues, searchDocs,
      new DocumentStore(vertx, PARTIES_MAP, JsonObject::new, JsonObject::isEmpty), playerGames,
      outbox, PopService.firstPopMs(popConfig));
    vetoes = new VetoService(new DocumentStore(vertx, VETOES_MAP, VetoService::none, VetoService::isEmpty), queues,
      searches, outbox);
    ViolationService violations = new ViolationService(pool, outbox);
    LaunchedMatches launched = new LaunchedMatches(vertx);
    LaunchService launcher = new LaunchService(vertx, pool, config, vetoes, outbox, launched);
    RequeueService requeues = new RequeueService(queues, searchDocs, playerGames, readyDocs, sessions, searches, outbox);
    failures = new MatchFailureService(vertx, launched, requeues, violations);
    readyChecks = new ReadyCheckService(vertx, readyDocs, queues, searches, requeues, launcher, violations, outbox,
      config.getInt(Setting.MATCHMAKER_READY_SECONDS));
    pops = new PopService(vertx, queues, searchDocs, searches, readyChecks, launcher, outbox, popConfig, meters);
    CommandHandlers commands = CommandHandlers.faf()
      .on("matchmaker_info", searches::info)
      .on("game_matchmaking", searches::matchmaking)
      .on("set_player_vetoes", vetoes::set)
      .on("match_ready", readyChecks::accept)
      .on("is_ready_response", readyChecks::accept);
    return queues.load().compose(v -> {
      Future<Void> cmd = vertx.eventBus().<JsonObject>consumer(Addresses.MATCHMAKER_COMMAND, commands::handle).completion();
      Future<Void> offline = AckedEvents.consume(vertx, Addresses.MATCHMAKER_PLAYER_OFFLINE,
        event -> offline(event.getValue("player"))).completion();
      Future<Void> failed = AckedEvents.consume(vertx, Addresses.MATCH_FAILED, failures::failed).completion();
      Future<Void> partyChanged = AckedEvents.consume(vertx, Addresses.FAF_SEARCHES_CANCEL,
        event -> partyChanged(event.getJsonArray("players", new JsonArray()))).completion();
      Future<Void> reload = vertx.eventBus().<JsonObject>consumer(Addresses.MATCHMAKER_RELOAD, msg -> reload()
        .onSuccess(done -> msg.reply(new JsonObject()))
        .onFailure(err -> msg.fail(Failures.INTERNAL, "reloading the queues failed"))).completion();
      QueueStatus status = new QueueStatus(queues, searchDocs);
      Future<Void> section = NodeStatus.serveSection(vertx, "matchmaker", status::section).completion();
      return Future.all(List.of(cmd, offline, failed, partyChanged, reload, section));
    }).onSuccess(v -> {
      tickTimer = vertx.setPeriodic(pops.tickMs(), id -> {
        pops.tick();
        readyChecks.expireOverdue();
      });
      reloadTimer = vertx.setPeriodic(RELOAD_MS, id -> reload()
        .onFailure(err -> LOG.warn("Reloading the matchmaker queues failed: {}", err.getMessage())));
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(tickTimer);
    vertx.cancelTimer(reloadTimer);
    return Future.succeededFuture();
  }

  /**
   * Reloads the queues (publishing their entries when the definitions changed), then fits the players'
   * stored vetoes to them.
   */
  private Future<Void> reload() {
    Map<String, QueueDef> before = queues.current();
    return queues.load().compose(loaded -> {
      if (!loaded.equals(before)) {
        searches.publishQueues();
      }
      return vetoes.refit().recover(err -> {
        LOG.warn("Vetoes not fitted to the reloaded queues: {}", err.getMessage());
        return Future.succeededFuture();
      });
    });
  }

  /** A player went offline: their searches end (without telling them) and their vetoes are forgotten. */
  private Future<?> offline(Object value) {
    if (!(value instanceof Number n)) {
      return Future.succeededFuture();
    }
    int player = n.intValue();
    return Future.all(searches.cancel(Set.of(player), null, player), vetoes.clear(player));
  }

  /** A party changed: searches made for its old membership are cancelled (every member is told). */
  private Future<?> partyChanged(JsonArray ids) {
    Set<Integer> players = new HashSet<>();
    for (Object o : ids) {
      if (o instanceof Number n) {
        players.add(n.intValue());
      }
    }
    return players.isEmpty() ? Future.succeededFuture() : searches.cancel(players, null, -1);
  }
}
