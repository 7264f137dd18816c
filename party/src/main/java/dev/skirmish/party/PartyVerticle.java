package dev.skirmish.party;

import dev.skirmish.common.AckedEvents;
import dev.skirmish.common.Addresses;
import dev.skirmish.common.CommandHandlers;
import dev.skirmish.common.Delivery;
import dev.skirmish.common.DocumentStore;
import dev.skirmish.common.Failures;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.NodeStatus;
import dev.skirmish.common.ServiceException;
import dev.skirmish.common.ServiceMetrics;
import dev.skirmish.common.SessionDirectory;
import dev.skirmish.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The FAF party service. Any party node serves any party: the state lives in one cluster-wide document
 * ({@link DocumentStore}, one document for all parties), the rules are pure functions ({@link Parties}), and the messages they produce are
 * sent only after the change is stored. The caller's own messages go back in the reply; everyone else's
 * are pushed through the FAF session directory.
 */
public final class PartyVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PartyVerticle.class);
  /** Cluster-wide map holding the party document. */
  static final String PARTIES_MAP = "faf.parties";
  /** The key of the one document that holds every party. */
  static final String PARTIES_KEY = "parties";

  /** How long a party invite stays valid. */
  public static final Duration INVITE_TTL = Duration.ofHours(24);

  private static final String FOE_QUERY =
    "SELECT 1 FROM friends_and_foes WHERE user_id = $1 AND subject_id = $2 AND status = 'FOE'";

  private final NodeConfig config;
  private final Pool pool;
  private final Duration inviteTtl;
  private final Parties.Limits limits;
  private final ServiceMetrics metrics;
  private DocumentStore store;
  private SessionDirectory sessions;
  private AckedEvents events;

  /** A party service that ignores invites from players on the recipient's foe list. */
  public PartyVerticle(NodeConfig config, Pool pool) {
    this(config, pool, INVITE_TTL, ServiceMetrics.none());
  }

  /** @param metrics the node's registry for the {@code skirmish.parties} gauge */
  public PartyVerticle(NodeConfig config, Pool pool, ServiceMetrics metrics) {
    this(config, pool, INVITE_TTL, metrics);
  }

  PartyVerticle(NodeConfig config, Pool pool, Duration inviteTtl) {
    this(config, pool, inviteTtl, ServiceMetrics.none());
  }

  private PartyVerticle(NodeConfig config, Pool pool, Duration inviteTtl, ServiceMetrics metrics) {
    this.config = config;
    this.pool = pool;
    this.inviteTtl = inviteTtl;
    this.metrics = metrics;
    this.limits = new Parties.Limits(config.getInt(Setting.FAF_PARTY_MAX_MEMBERS), config.getInt(Setting.FAF_PARTY_MAX_INVITES));
  }

  @Override
  public Future<?> start() {
    store = new DocumentStore(vertx, PARTIES_MAP, Parties::emptyDocument, Parties::isEmpty);
    sessions = new SessionDirectory(vertx, Delivery.FAF_SESSIONS);
    events = AckedEvents.from(vertx, config);
    AtomicLong parties = metrics.gauge("skirmish.parties", "FAF parties held by this node");
    metrics.watch(vertx, PARTIES_MAP, docs -> parties.set(docs.stream().mapToLong(Parties::count).sum()));
    // Party readiness is not part of the protocol: clients that send it get a harmless no-op.
    CommandHandlers commands = CommandHandlers.faf()
      .on("invite_to_party", this::invite)
      .on("accept_party_invite", this::accept)
      .on("kick_player_from_party", this::kick)
      .on("leave_party", this::leave)
      .on("set_party_factions", this::setFactions)
      .on("ready_party", r -> Future.succeededFuture(new JsonObject()))
      .on("unready_party", r -> Future.succeededFuture(new JsonObject()));
    Future<Void> commandsReady = vertx.eventBus().<JsonObject>consumer(Addresses.PARTY_COMMAND, commands::handle).completion();
    Future<Void> offlineReady = AckedEvents.consume(vertx, Addresses.PARTY_PLAYER_OFFLINE, event -> {
      Integer player = intOrNull(event.getValue("player"));
      return player == null ? Future.succeededFuture() : store.update(PARTIES_KEY, doc -> Parties.offline(doc, player))
        .onSuccess(outcome -> deliver(outcome, -1))
        .onFailure(err -> LOG.warn("Party clean-up of offline player {} failed", player, err));
    }).completion();
    int maxItems = config.getInt(Setting.STATUS_MAX_ITEMS);
    Future<Void> sectionReady = NodeStatus.serveSection(vertx, "party",
      () -> store.read(PARTIES_KEY).map(doc -> Parties.status(doc, maxItems))).completion();
    return Future.all(commandsReady, offlineReady, sectionReady);
  }

  private Future<JsonObject> invite(JsonObject request) {
    int sender = request.getInteger("player");
    int recipient = requiredId(request, "recipient_id");
    if (recipient == sender) {
      return Future.failedFuture(new ServiceException(Failures.BAD_REQUEST, "You can't invite yourself to a party."));
    }
    return requireOnline(recipient, "The player you invited is offline.")
      .compose(v -> isFoe(recipient, sender))
      .compose(foe -> foe
        ? Future.succeededFuture(new JsonObject())
        : run(sender, doc -> Parties.invite(doc, sender, recipient, System.currentTimeMillis(), inviteTtl.toMillis(), limits)));
  }

  private Future<JsonObject> accept(JsonObject request) {
    int recipient = request.getInteger("player");
    int sender = requiredId(request, "sender_id");
    return requireOnline(sender, "The player who invited you is offline.")
      .compose(v -> run(recipient, doc -> Parties.accept(doc, recipient, sender, System.currentTimeMillis(), limits)))
      .onSuccess(v -> partyChanged(recipient, sender));
  }

  private Future<JsonObject> kick(JsonObject request) {
    int kicker = request.getInteger("player");
    int kicked = requiredId(request, "kicked_player_id");
    return run(kicker, doc -> Parties.kick(doc, kicker, kicked)).onSuccess(v -> partyChanged(kicker, kicked));
  }

  private Future<JsonObject> leave(JsonObject request) {
    int player = request.getInteger("player");
    // Leaving cancels the caller's searches, so the whole party leaves the queue (as the reference does).
    return run(player, doc -> Parties.leave(doc, player)).onSuccess(v -> partyChanged(player));
  }

  private Future<JsonObject> setFactions(JsonObject request) {
    int player = request.getInteger("player");
    List<String> factions = Parties.parseFactions(request.getJsonObject("message").getValue("factions"));
    return run(player, doc -> Parties.setFactions(doc, player, factions));
  }

  /** Searches made for a party that has just changed no longer hold: the matchmaker cancels them. */
  private void partyChanged(Integer... players) {
    events.send(Addresses.FAF_SEARCHES_CANCEL, new JsonObject().put("players", new JsonArray(List.of(players))));
  }

  /** Applies a rule to the stored document, then sends its messages; the caller's come back as the reply. */
  private Future<JsonObject> run(int caller, Function<JsonObject, DocumentStore.Change<Parties.Outcome>> rule) {
    return store.update(PARTIES_KEY, rule).compose(outcome -> {
      if (outcome.error() != null) {
        return Future.failedFuture(outcome.error());
      }
      return Future.succeededFuture(deliver(outcome, caller));
    });
  }

  /** Pushes every message not meant for {@code caller}; returns the reply carrying the caller's. */
  private JsonObject deliver(Parties.Outcome outcome, int caller) {
    JsonArray own = new JsonArray();
    for (Parties.Push push : outcome.pushes()) {
      if (push.player() == caller) {
        own.add(push.message());
      } else {
        Delivery.toSession(vertx, sessions, String.valueOf(push.player()), push.message())
          .onFailure(err -> LOG.debug("Party message to {} not delivered: {}", push.player(), err.getMessage()));
      }
    }
    return new JsonObject().put("messages", own);
  }

  private Future<Void> requireOnline(int player, String text) {
    return sessions.get(String.valueOf(player)).compose(entry -> entry == null
      ? Future.failedFuture(new ServiceException(Failures.NOT_FOUND, text))
      : Future.succeededFuture());
  }

  /** Whether {@code subject} is on {@code user}'s foe list. */
  private Future<Boolean> isFoe(int user, int subject) {
    return pool.preparedQuery(FOE_QUERY).execute(Tuple.of(user, subject)).map(rows -> rows.size() > 0);
  }

  private static int requiredId(JsonObject request, String field) {
    Integer id = intOrNull(request.getJsonObject("message").getValue(field));
    if (id == null) {
      throw new ServiceException(Failures.BAD_REQUEST, "'" + field + "' must be a player id.");
    }
    return id;
  }

  private static Integer intOrNull(Object value) {
    if (value instanceof Number n && n.doubleValue() == n.longValue()
      && n.longValue() >= Integer.MIN_VALUE && n.longValue() <= Integer.MAX_VALUE) {
      return n.intValue();
    }
    if (value instanceof String s) {
      try {
        return Integer.parseInt(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
