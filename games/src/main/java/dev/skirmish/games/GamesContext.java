package dev.skirmish.games;

import dev.skirmish.common.AckedEvents;
import dev.skirmish.common.Addresses;
import dev.skirmish.common.Delivery;
import dev.skirmish.common.DocumentStore;
import dev.skirmish.common.GameMembers;
import dev.skirmish.common.Ids;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.SessionDirectory;
import dev.skirmish.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What every part of the games service shares: the node's settings and database, the cluster-wide game
 * documents ({@value #GAMES_MAP}, ended games hidden until recorded; a change of a game's members is published to
 * the gateways at once) and player documents ({@value #PLAYERS_MAP}),
 * the games with a pending deadline ({@link DueGames}), the FAF session directory, the game records, new game ids,
 * and the database writes in flight.
 */
final class GamesContext {

  static final String GAMES_MAP = "faf.games";
  static final String PLAYERS_MAP = "faf.player.games";
  private static final String NEXT_GAME_ID = "SELECT nextval('game_id_seq')";

  final Vertx vertx;
  final NodeConfig config;
  final Pool pool;
  final GameDocuments games;
  final DocumentStore players;
  final DueGames due;
  final SessionDirectory sessions;
  final GameRecords records;
  /** Events other services must act on ({@link AckedEvents}). */
  final AckedEvents events;
  /** Launch and end records being written. */
  private final Set<Future<?>> writes = new HashSet<>();

  GamesContext(Vertx vertx, NodeConfig config, Pool pool) {
    this.vertx = vertx;
    this.config = config;
    this.pool = pool;
    this.games = new GameDocuments(vertx, GAMES_MAP, Ids.ulid(), config.getLong(Setting.GAME_RECORD_LEASE_MS),
      id -> vertx.eventBus().publish(Addresses.FAF_GAME_MEMBERS_CHANGED, GameMembers.changed(id)));
    this.players = new DocumentStore(vertx, PLAYERS_MAP, JsonObject::new, JsonObject::isEmpty);
    this.due = new DueGames(vertx);
    this.sessions = new SessionDirectory(vertx, Delivery.FAF_SESSIONS);
    this.records = new GameRecords(pool);
    this.events = AckedEvents.from(vertx, config);
  }

  /** The key of a game or player document. */
  static String key(long id) {
    return String.valueOf(id);
  }

  /**
   * A new game id from the database's game id sequence: unique for the life of the database, whichever node
   * asks and however often nodes restart.
   */
  Future<Long> nextId() {
    return pool.query(NEXT_GAME_ID).execute().map(rows -> rows.iterator().next().getLong(0));
  }

  /** Tracks a database write until it completes, so that a stopping node can wait for it. */
  <T> Future<T> tracked(Future<T> write) {
    writes.add(write);
    return write.onComplete(ar -> writes.remove(write));
  }

  /** The writes in flight now. */
  List<Future<?>> inFlight() {
    return List.copyOf(writes);
  }
}
