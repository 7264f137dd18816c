package dev.skirmish.games;

import dev.skirmish.common.Delivery;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static dev.skirmish.games.GamesContext.key;

/**
 * The {@code IceMsg [receiverId, msg]} relay between the games of two players of the same game, the busiest
 * GPGNet message: this node remembers the connected players of a game for a moment after reading them, so a
 * burst of candidates between the same players needs no cluster look-up.
 */
final class IceRelay {

  private static final Logger LOG = LoggerFactory.getLogger(IceRelay.class);

  /**
   * How long a read of a game's players vouches for IceMsg relays between them. A player who leaves the game
   * through another node may still reach its former peers for this long; changes made on this node apply at once.
   */
  private static final long MEMBERS_TTL_MS = 1000;

  /** The connected players of a game as this node last read them. */
  private record Members(Set<String> connections, long expires) {
    Members {
      connections = Set.copyOf(connections);
    }
  }

  private final GamesContext ctx;
  private final Map<Long, Members> recentMembers = new HashMap<>();

  IceRelay(GamesContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Relays at once when the gateway's hint names a game this node recently saw both players connected to;
   * null when it needs the player's game first.
   */
  Future<JsonObject> relayKnown(Object gameHint, int sender, JsonArray args) {
    if (gameHint instanceof Number hint && !args.isEmpty() && args.getValue(0) instanceof Number receiver
      && members(hint.longValue(), sender, receiver.intValue())) {
      return relay(sender, receiver.intValue(), args);
    }
    return null;
  }

  /** Relays to the receiver's game when both players are connected to game {@code id}. */
  Future<JsonObject> relay(long id, int sender, JsonArray args) {
    if (args.size() < 2 || !(args.getValue(0) instanceof Number receiver)) {
      return ignored(sender);
    }
    return ctx.games.read(key(id)).compose(game -> {
      JsonObject conns = game.getJsonObject("connections", new JsonObject());
      if (!conns.containsKey(key(receiver.intValue())) || !conns.containsKey(key(sender))) {
        return ignored(sender);
      }
      recentMembers.put(id, new Members(conns.fieldNames(), System.currentTimeMillis() + MEMBERS_TTL_MS));
      return relay(sender, receiver.intValue(), args);
    });
  }

  /** Game {@code id} changed on this node: its remembered players no longer vouch for relays. */
  void forget(long id) {
    recentMembers.remove(id);
  }

  private Future<JsonObject> relay(int sender, int receiver, JsonArray args) {
    if (args.size() < 2) {
      return ignored(sender);
    }
    Delivery.toSession(ctx.vertx, ctx.sessions, key(receiver), GameRules.gpg("IceMsg", sender, args.getValue(1)));
    return Replies.none();
  }

  /** Whether this node saw both players connected to game {@code id} within the last {@link #MEMBERS_TTL_MS}. */
  private boolean members(long id, int sender, int receiver) {
    Members m = recentMembers.get(id);
    if (m == null || m.expires() < System.currentTimeMillis()) {
      recentMembers.remove(id);
      return false;
    }
    return m.connections().contains(key(sender)) && m.connections().contains(key(receiver));
  }

  private static Future<JsonObject> ignored(int sender) {
    LOG.debug("GPGNet IceMsg from player {} ignored", sender);
    return Replies.none();
  }
}
