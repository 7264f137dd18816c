package dev.skirmish.gateway;

import dev.skirmish.common.Addresses;
import dev.skirmish.common.Faf;
import dev.skirmish.common.Failures;
import dev.skirmish.common.ServiceRequests;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * Where the commands of a logged-in FAF connection go: each command owned by a service becomes an
 * event-bus request to that service, whose reply messages go back to the connection; failures become the
 * protocol's error notices.
 */
final class FafRoutes {

  /** Commands owned by a service, and the address that owns them. */
  private static final Map<String, String> ROUTES = Map.ofEntries(
    Map.entry("game_host", Addresses.GAMES_COMMAND),
    Map.entry("game_join", Addresses.GAMES_COMMAND),
    Map.entry("restore_game_session", Addresses.GAMES_COMMAND),
    Map.entry("social_add", Addresses.GAMES_COMMAND),
    Map.entry("social_remove", Addresses.GAMES_COMMAND),
    Map.entry("avatar", Addresses.GAMES_COMMAND),
    Map.entry("admin", Addresses.GAMES_COMMAND),
    Map.entry("coop_list", Addresses.GAMES_COMMAND),
    Map.entry("modvault", Addresses.GAMES_COMMAND),
    Map.entry("game_matchmaking", Addresses.MATCHMAKER_COMMAND),
    Map.entry("matchmaker_info", Addresses.MATCHMAKER_COMMAND),
    Map.entry("set_player_vetoes", Addresses.MATCHMAKER_COMMAND),
    Map.entry("match_ready", Addresses.MATCHMAKER_COMMAND),
    Map.entry("is_ready_response", Addresses.MATCHMAKER_COMMAND),
    Map.entry("invite_to_party", Addresses.PARTY_COMMAND),
    Map.entry("accept_party_invite", Addresses.PARTY_COMMAND),
    Map.entry("kick_player_from_party", Addresses.PARTY_COMMAND),
    Map.entry("leave_party", Addresses.PARTY_COMMAND),
    Map.entry("set_party_factions", Addresses.PARTY_COMMAND),
    Map.entry("ready_party", Addresses.PARTY_COMMAND),
    Map.entry("unready_party", Addresses.PARTY_COMMAND));

  private FafRoutes() {
  }

  /** The address of the service that owns {@code command}, or null for a command no service owns. */
  static String owner(String command) {
    return ROUTES.get(command);
  }

  /** Sends a command of {@code session} to {@code address} and delivers the reply's messages to it. */
  static Future<Void> route(Gateway gw, FafSession session, String address, JsonObject msg) {
    JsonObject request = new JsonObject()
      .put("player", session.playerId())
      .put("login", session.login())
      .put("node", gw.nodeId())
      .put("connection", session.id())
      .put("message", msg);
    if (session.gameHint() != null && "game".equals(msg.getValue("target"))) {
      request.put("game", session.gameHint());
    }
    // Messages of the player's game (GPGNet) may be handled twice without harm: results are one vote per
    // reporter and army, states and options are set, not added. So a game message that timed out, say because
    // it was written to a games node just before it died, is sent once more.
    boolean repeatable = "game".equals(msg.getValue("target"));
    return ServiceRequests.request(gw.vertx(), address, request, gw.requestOptions(), repeatable)
      .map(reply -> {
        JsonObject body = reply.body();
        if (body != null) {
          for (Object m : body.getJsonArray("messages", new JsonArray())) {
            session.send((JsonObject) m);
          }
          if (body.getBoolean("close", false)) {
            session.close();
          }
        }
        return (Void) null;
      })
      .recover(err -> failed(gw, session, msg.getString("command"), err));
  }

  /** Tells {@code session} that a service did not handle its {@code command} (an error notice). */
  static Future<Void> failed(Gateway gw, FafSession session, String command, Throwable err) {
    session.send(gw.unavailable(err) ? Faf.errorNotice(Failures.UNAVAILABLE_TEXT) : replyError(command, err));
    return Future.succeededFuture();
  }

  private static JsonObject replyError(String command, Throwable err) {
    if (err instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.NO_HANDLERS || re.failureType() == ReplyFailure.TIMEOUT) {
        return Faf.errorNotice("The service for '" + command + "' is unavailable right now; try again shortly.");
      }
      if (re.failureCode() == Failures.UNSUPPORTED) {
        return Faf.command("invalid").put("text", "Unsupported command: " + command);
      }
      if (re.failureCode() != Failures.INTERNAL) {
        return Faf.errorNotice(re.getMessage());
      }
    }
    return Faf.errorNotice("The server could not process " + command + ".");
  }
}
