package dev.skirmish.gateway;

import dev.skirmish.common.Addresses;
import dev.skirmish.common.Faf;
import dev.skirmish.common.GameMembers;
import dev.skirmish.common.GpgNetArgs;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.ServiceRequests;
import dev.skirmish.common.SessionDirectory;
import dev.skirmish.common.SessionDirectory.Entry;
import dev.skirmish.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * {@code IceMsg [receiverId, msg]} from a FAF player's game, relayed by the sender's gateway straight to the
 * receiver's gateway node as {@code IceMsg [senderId, msg]}: one event-bus hop, none when both connections are
 * on this node. Only between two players connected to the same game, as the reference does; anything else is
 * ignored, and a message over the GPGNet argument limits gets an error notice.
 *
 * <p>The games service vouches for the members of a game ({@link Addresses#GAMES_MEMBERS}) and the session
 * directory for the receiver's connection; this gateway keeps both answers ({@link VouchCache}) until the games
 * service announces a change of that game's members ({@link Addresses#FAF_GAME_MEMBERS_CHANGED}, published before
 * the change's effects reach any player) or a gateway announces a new or ended session of that player
 * ({@link Addresses#FAF_PRESENCE}). So steady ICE traffic asks nobody. The sender's game is the one the
 * connection was last launched into ({@link FafSession#gameHint}); when that is not the game the sender is
 * connected to, the games service is asked which game it is. A refusal is never taken from the cache: the
 * members are asked again first.
 *
 * <p>A connection's messages are handled one at a time and a relay from the cache completes at once, so the
 * messages of one sender reach each receiver in the order sent.
 */
final class FafGameRelay {

  private static final Logger LOG = LoggerFactory.getLogger(FafGameRelay.class);

  static final String ICE_MSG = "IceMsg";
  /** The relayed message up to the sender's id: {@code IceMsg [senderId, msg]} to the receiver's game. */
  private static final String LINE_HEAD = "{\"command\":\"IceMsg\",\"target\":\"game\",\"args\":[";

  /** Past this many games or players a cache starts again empty. */
  private static final int MAX_ENTRIES = 100_000;
  /** How long an answer is trusted without a change announcement: the net for one lost with a dying node. */
  private static final long MAX_AGE_MS = 60_000;

  private final Vertx vertx;
  private final NodeTextBatches batches;
  private final GatewayMeters meters;
  private final String nodeId;
  private final ConnectionRegistry connections;
  private final SessionDirectory sessions;
  private final int maxArgs;
  private final int maxArgLength;
  private final DeliveryOptions requestOptions;
  private final VouchCache<Long, Set<Integer>> members = new VouchCache<>(MAX_ENTRIES, MAX_AGE_MS, System::currentTimeMillis);
  private final VouchCache<Integer, Entry> receivers = new VouchCache<>(MAX_ENTRIES, MAX_AGE_MS, System::currentTimeMillis);


  FafGameRelay(Vertx vertx, NodeConfig config, String nodeId, ConnectionRegistry connections, SessionDirectory sessions,
               NodeTextBatches batches, GatewayMeters meters) {
    this.vertx = vertx;
    this.meters = meters;
    this.batches = batches;
    this.nodeId = nodeId;
    this.connections = connections;
    this.sessions = sessions;
    this.maxArgs = config.getInt(Setting.GPGNET_ARGS_MAX);
    this.maxArgLength = config.getInt(Setting.GPGNET_ARG_MAX_LENGTH);
    this.requestOptions = new DeliveryOptions().setSendTimeout(config.getLong(Setting.REQUEST_TIMEOUT_MS));
  }

  /** Relays an {@code IceMsg} of {@code from}'s game; completes once it is delivered, refused or ignored. */
  Future<Void> relay(FafSession from, JsonObject msg) {
    JsonArray args = msg.getValue("args") instanceof JsonArray a ? a : new JsonArray();
    if (args.size() < 2 || args.size() > maxArgs) {
      String tooLarge = GpgNetArgs.tooLarge(ICE_MSG, args, maxArgs, maxArgLength);
      if (tooLarge != null) {
        from.send(Faf.errorNotice(tooLarge));
        return Future.succeededFuture();
      }
      return ignored(from.playerId());
    }
    // The payload is encoded once: the limit counts that length, and it goes out as it is.
    Object payload = args.getValue(1);
    String payloadJson = Json.encode(payload);
    if (anyTooLong(args, payload, payloadJson)) {
      from.send(Faf.errorNotice("An argument of " + ICE_MSG + " is longer than " + maxArgLength + " characters."));
      return Future.succeededFuture();
    }
    if (!(args.getValue(0) instanceof Number to)) {
      return ignored(from.playerId());
    }
    return relay(from, to.intValue(), payloadJson);
  }

  /** The plain {@code IceMsg} in {@code line}, read without building its JSON tree; null for anything else. */
  IceMsgLine read(String line) {
    return IceMsgLine.read(line, maxArgs, maxArgLength);
  }

  /** Relays an {@code IceMsg} of {@code from}'s game read by {@link #read}. */
  Future<Void> relay(FafSession from, IceMsgLine ice) {
    return relay(from, ice.receiver(), ice.payload());
  }

  /** Relays {@code payloadJson} (within the limits) from {@code from}'s game to {@code receiver}'s. */
  private Future<Void> relay(FafSession from, int receiver, String payloadJson) {
    int sender = from.playerId();
    String out = LINE_HEAD + sender + "," + payloadJson + "]}";
    Long game = from.gameHint();
    Set<Integer> known = game == null ? null : members.get(game);
    if (known != null && known.contains(sender) && known.contains(receiver)) {
      Entry cached = receivers.get(receiver);
      if (cached != null) {
        deliver(receiver, cached, out);
        return Future.succeededFuture();
      }
      return deliver(receiver, out);
    }
    return vouched(from, game, sender, receiver).compose(yes -> yes ? deliver(receiver, out) : ignored(sender));
  }

  /** Whether an argument is longer than the limit ({@link GpgNetArgs#length}), the payload's length from its encoding. */
  private boolean anyTooLong(JsonArray args, Object payload, String payloadJson) {
    for (int i = 0; i < args.size(); i++) {
      Object v = args.getValue(i);
      int length = i == 1 && (payload instanceof JsonObject || payload instanceof JsonArray)
        ? payloadJson.length()
        : GpgNetArgs.length(v);
      if (length > maxArgLength) {
        return true;
      }
    }
    return false;
  }

  /** The games service announced that the members of a game changed. */
  void onMembersChanged(JsonObject body) {
    if (body != null && body.getValue("game") instanceof Number game) {
      members.invalidate(game.longValue());
    }
  }

  /** A presence publish: every player with a new, changed or ended session is looked up again. */
  void onPresence(JsonObject body) {
    for (String change : new String[] {"online", "offline"}) {
      for (Object o : body.getJsonArray(change, new JsonArray())) {
        if (o instanceof JsonObject c && c.getJsonObject("player") != null
          && c.getJsonObject("player").getValue("id") instanceof Number id) {
          receivers.invalidate(id.intValue());
        }
      }
    }
  }

  /**
   * Whether the games service vouches that sender and receiver are connected to the sender's game: the hinted
   * game's members, asked afresh; if the sender is not among them, the game the sender is in and its members.
   */
  private Future<Boolean> vouched(FafSession from, Long hint, int sender, int receiver) {
    Future<Set<Integer>> hinted = hint == null ? Future.succeededFuture(Set.of()) : members.load(hint, this::askMembers);
    return hinted.compose(players -> {
      if (players.contains(sender)) {
        return Future.succeededFuture(players.contains(receiver));
      }
      return askGameOf(sender).compose(game -> {
        if (game == null || game.equals(hint)) {
          return Future.succeededFuture(false);
        }
        from.playsIn(game);
        return members.load(game, this::askMembers).map(p -> p.contains(sender) && p.contains(receiver));
      });
    });
  }

  private Future<Set<Integer>> askMembers(long game) {
    return ServiceRequests.request(vertx, Addresses.GAMES_MEMBERS, GameMembers.ofGame(game), requestOptions, true)
      .map(reply -> GameMembers.fromJson(reply.body()).players());
  }

  private Future<Long> askGameOf(int player) {
    return ServiceRequests.request(vertx, Addresses.GAMES_MEMBERS, GameMembers.gameOf(player), requestOptions, true)
      .map(reply -> reply.body().getLong("game"));
  }

  /** Delivers to the receiver's session, read from the directory; nothing when the receiver is offline. */
  private Future<Void> deliver(int receiver, String out) {
    return receivers.load(receiver, id -> sessions.get(String.valueOf(id))).map(entry -> {
      if (entry != null) {
        deliver(receiver, entry, out);
      }
      return null;
    });
  }

  /** Writes {@code line} (the message's JSON text) to the receiver's connection here, or sends it to the receiver's node as it is. */
  private void deliver(int receiver, Entry entry, String line) {
    if (!nodeId.equals(entry.node())) {
      batches.send(entry.node(), entry.connection(), null, line);
      meters.relayed(GatewayMeters.Protocol.FAF, line.length());
      return;
    }
    if (connections.get(entry.connection()) instanceof FafSession local && local.isOpen()) {
      local.sendText(line);
      meters.relayed(GatewayMeters.Protocol.FAF, line.length());
    } else {
      // Closed here, and the directory not yet told: the receiver is read from the directory next time.
      receivers.invalidate(receiver);
    }
  }

  private static Future<Void> ignored(int sender) {
    LOG.debug("GPGNet IceMsg from player {} ignored", sender);
    return Future.succeededFuture();
  }
}
