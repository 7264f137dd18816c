package dev.skirmish.games;

import dev.skirmish.common.Failures;
import dev.skirmish.common.GameMembers;
import dev.skirmish.common.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import static dev.skirmish.games.GamesContext.key;

/**
 * Answers the gateways' {@link dev.skirmish.common.Addresses#GAMES_MEMBERS} requests: the players connected to
 * a game, and the game a player is in. Gateways relay {@code IceMsg} between two members of a game on this
 * word and keep it until the game's members change ({@link GameDocuments} reports every such change), so the
 * games service handles no {@code IceMsg} itself.
 */
final class MembersVouch {

  private final GamesContext ctx;
  private final PlayerStates states;

  MembersVouch(GamesContext ctx, PlayerStates states) {
    this.ctx = ctx;
    this.states = states;
  }

  Future<JsonObject> handle(JsonObject request) {
    if (request.getValue("game") instanceof Number game) {
      long id = game.longValue();
      return ctx.games.read(key(id)).map(doc -> new GameMembers(id, GameDocuments.members(doc)).toJson());
    }
    if (request.getValue("player") instanceof Number player) {
      return states.gameOf(player.intValue()).map(id -> new JsonObject().put("game", id));
    }
    return Future.failedFuture(new ServiceException(Failures.BAD_REQUEST, "games.members needs a game or a player"));
  }
}
