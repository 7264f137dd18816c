package dev.skirmish.common;

import java.util.List;

/**
 * Every event-bus address of the system. Request/reply addresses answer with a {@code JsonObject} or fail
 * with a {@link Failures} code; publish addresses carry events fanned out to every subscriber.
 */
public final class Addresses {

  private Addresses() {
  }

  /**
   * Publish: an FAF lobby message for every logged-in FAF connection of every gateway node, sent at once
   * (notices; presence goes through {@link #FAF_PRESENCE}). Body: {@code {"message": {...}}}.
   */
  public static final String FAF_BROADCAST = "gateway.faf.broadcast";

  /**
   * Publish: FAF presence changes. Body: {@code {"online": [{"connection": id, "player": {document}}...],
   * "offline": [...the same...]}} (either may be absent); an offline change only applies to the session of
   * that connection, so a late one never hides a newer login of the same player. Every gateway applies them
   * to its snapshot of online players at once (the login sequence lists that snapshot) and sends the changed
   * players to its logged-in connections in one {@code player_info} at its next presence tick, offline ones
   * with {@code "state": "offline"}. Published by the gateway at login and logout, and by services that change
   * what a player document shows (ratings, avatar, clan) through {@link Players#refresh}.
   */
  public static final String FAF_PRESENCE = "gateway.faf.presence";

  /**
   * Publish: matchmaker queues whose {@code matchmaker_info} entry changed. Body: {@code {"queues":
   * [queue entry...]}}. Gateways keep the latest entry per queue and send the changed ones in one
   * {@code matchmaker_info} at their next presence tick.
   */
  public static final String FAF_MATCHMAKER_INFO = "gateway.faf.matchmakerinfo";

  /**
   * Publish: a CL Omega message for the connections of one game (UGI) that are not in a lobby.
   * Body: {@code {"ugi": "...", "message": {...}}}.
   */
  public static final String OMEGA_BROADCAST = "gateway.omega.broadcast";

  /** Request: FAF commands owned by the games service (game_host, game_join, GPGNet ...). */
  public static final String GAMES_COMMAND = "games.command";

  /**
   * Request, the games service vouching for the members of a FAF game so that gateways can relay
   * {@code IceMsg} between their games themselves ({@link GameMembers}): {@code {"game": id}} is answered
   * with {@code {"game": id, "players": [ids]}}, the players connected to that game (none when it is gone or
   * ended); {@code {"player": id}} with {@code {"game": id or null}}, the game that player is in.
   */
  public static final String GAMES_MEMBERS = "games.members";

  /**
   * Publish {@code {"game": id}}: the connected players of a FAF game changed (a game joined, left,
   * disconnected, restored, ended or cancelled). Sent by the games node that stored the change, before it
   * carries out the change's effects; gateways drop what they cached about that game's members.
   */
  public static final String FAF_GAME_MEMBERS_CHANGED = "gateway.faf.gamemembers";

  /**
   * Request {@code {"viewer": playerId}}: reply {@code {"games": [{"info": {...}, "audience": {...}}]}}, every
   * open or live game; the gateway keeps those its player may see ({@link GameVisibility}).
   */
  public static final String GAMES_VISIBLE = "games.visible";

  /**
   * Publish: the FAF games that changed since the last tick, once per tick and games node. Each gateway
   * sends every logged-in connection the games its player may see ({@link GameVisibility}).
   * Body: {@code {"games": [{"info": {game_info...}, "audience": {...}}]}}.
   */
  public static final String FAF_GAME_INFO = "gateway.faf.gameinfo";

  /**
   * Request: start a matchmade game. Body: {@code {"queue": technical name, "queueId": int, "featuredMod":
   * gamemod, "ratingType": leaderboard, "mapname": folder, "title": name, "gameOptions": {...}, "players":
   * [{"id", "login", "team", "faction", "startSpot"}]}}; the first player hosts. Reply {@code {"game": id}};
   * fails with {@link Failures#CONFLICT} when a player is already in a game. The host gets
   * {@code game_launch} at once, the others once the host's lobby is open; a game not launched within the
   * set-up time-outs is cancelled ({@code match_cancelled} to every player, then {@link #MATCH_FAILED}).
   */
  public static final String GAMES_MATCH = "games.match";

  /**
   * Event ({@link AckedEvents}, one matchmaker node) {@code {"game": id, "queue": name, "players": [ids],
   * "guilty": [ids]}}: a matchmade game failed to start; {@code guilty} are the players whose game did not
   * connect in time.
   */
  public static final String MATCH_FAILED = "matchmaker.match.failed";

  /**
   * Event ({@link AckedEvents}, one matchmaker node) {@code {"players": [ids]}}: these players' parties changed
   * (left, kicked, joined another); the matchmaker cancels every search that holds one of them, telling each
   * member with {@code search_info stop}.
   */
  public static final String FAF_SEARCHES_CANCEL = "matchmaker.searches.cancel";

  /**
   * Publish (or request, for one node) an empty body: every matchmaker node reloads its queue definitions
   * from the database now instead of at its next periodic reload (players whose stored map vetoes no longer
   * fit get {@code vetoes_info {forced: true}} and leave their queues); a request is answered once that is done.
   * For operators after a queue change, and used by tests.
   */
  public static final String MATCHMAKER_RELOAD = "matchmaker.reload";

  /** Request: FAF matchmaking commands. */
  public static final String MATCHMAKER_COMMAND = "matchmaker.command";

  /** Request: FAF party commands. */
  public static final String PARTY_COMMAND = "party.command";

  /** Request: CL Omega lobby opcodes of an authenticated connection. */
  public static final String SIGNALING_COMMAND = "signaling.command";

  /** Request {@code {"ugi": "..."}}: reply {@code {"game": name, "developer": name}} or fail 404. */
  public static final String SIGNALING_GAME_LOOKUP = "signaling.game.lookup";

  /**
   * Events ({@link AckedEvents}, one node of each service) {@code {"player": id, "connection": id}}: a FAF
   * player's connection closed; each service drops what it holds for that connection of the player. One
   * address per service, so that every service gets the event even while another has no node running.
   */
  public static final String GAMES_PLAYER_OFFLINE = "games.player.offline";
  /** See {@link #GAMES_PLAYER_OFFLINE}: the matchmaker's copy (searches, vetoes). */
  public static final String MATCHMAKER_PLAYER_OFFLINE = "matchmaker.player.offline";
  /** See {@link #GAMES_PLAYER_OFFLINE}: the party service's copy (the player's party and invites). */
  public static final String PARTY_PLAYER_OFFLINE = "party.player.offline";

  /** Every service address that hears of a FAF player's closed connection. */
  public static final List<String> FAF_PLAYER_OFFLINE =
    List.of(GAMES_PLAYER_OFFLINE, MATCHMAKER_PLAYER_OFFLINE, PARTY_PLAYER_OFFLINE);

  /**
   * Publish {@code {"node": id}}: the origins registered for CL Omega games changed (a game created, its origins
   * replaced, or deleted) through the registry of gateway node {@code node}; every other gateway node reloads
   * the origins its CORS answers come from.
   */
  public static final String GAME_ORIGINS_CHANGED = "gateway.game.origins.changed";

  /**
   * Publish {@code {"ids": [ulid...]}}: the directory entries of these CL Omega sessions changed (a new
   * session, or a lobby joined or left); gateways drop what they cached about them.
   */
  public static final String OMEGA_SESSION_CHANGED = "omega.session.changed";

  /**
   * Publish {@code {"id": ulid, "ugi", "node", "connection"}}: a CL Omega session ended (its socket closed);
   * gateways drop what they cached about it. The signaling service gets the same body as an event on
   * {@link #SIGNALING_SESSION_CLOSED}.
   */
  public static final String OMEGA_SESSION_CLOSED = "omega.session.closed";

  /**
   * Event ({@link AckedEvents}, one signaling node), the body of {@link #OMEGA_SESSION_CLOSED}: the socket
   * leaves its lobby ({@code PEER_GONE}, host reclaim ...).
   */
  public static final String SIGNALING_SESSION_CLOSED = "signaling.session.closed";

  /**
   * Publish: the status of one node, every {@code STATUS_INTERVAL_MS} ({@link NodeStatus}). Body: {@code {node,
   * roles: [...], started: epoch ms, uptime_ms, heap_used, heap_max, cpu: 0..1 or -1, interval_ms, sections:
   * {role: {...}}}}; a section is what the node's service of that role answered on {@link #statusSection}.
   * Gateways keep the latest of each node for the operator console.
   */
  public static final String NODE_STATUS = "node.status";

  /**
   * Request, local to one node ({@code DeliveryOptions#setLocalOnly}): the status section of that node's
   * service of {@code role} ({@code gateway}, {@code signaling}, {@code matchmaker}, {@code party}); answered
   * with a JSON object ({@link NodeStatus#serveSection}).
   */
  public static String statusSection(String role) {
    return "status.section." + role;
  }

  /**
   * Request, an operator's action on CL Omega lobbies, answered by any signaling node:
   * {@code {"action": "close_lobby", "ugi", "lobby", "admin": playerId}} closes the lobby as if its host had left
   * without reclaim (every member gets {@code LOBBY_CLOSE}); reply {@code {"closed": name, "members": n}}, or
   * fails {@link Failures#NOT_FOUND} when the game has no such lobby.
   */
  public static final String SIGNALING_ADMIN = "signaling.admin";

  private static final String GATEWAY_NODE_PREFIX = "gateway.node.";

  /**
   * Request or send: the one consumer of a gateway node, which routes to its local connections.
   * Body: {@code {"type": "deliver"|"kick"|"alive"|"close", "connection": id, "message": {...}}}.
   */
  public static String gatewayNode(String nodeId) {
    return GATEWAY_NODE_PREFIX + nodeId;
  }

  /**
   * The one text consumer of a gateway node: protocol messages already encoded, each for one connection
   * ({@link Delivery#toConnection(io.vertx.core.Vertx, String, String, String, String)}, {@link TextDelivery}),
   * written as they are. For relays that pass many messages a second: CL Omega relays and FAF {@code IceMsg}.
   */
  public static String gatewayNodeText(String nodeId) {
    return GATEWAY_NODE_PREFIX + nodeId + ".text";
  }
}
