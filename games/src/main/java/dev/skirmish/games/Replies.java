package dev.skirmish.games;

import dev.skirmish.common.CommandHandlers;
import dev.skirmish.common.Faf;
import dev.skirmish.common.Failures;
import dev.skirmish.common.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** Replies of the games service's command handlers. */
final class Replies {

  private Replies() {
  }

  /** A bad request: the gateway shows {@code text} as an error notice and keeps the connection open. */
  static ServiceException bad(String text) {
    return new ServiceException(Failures.BAD_REQUEST, text);
  }

  /** A reply with one info notice for the caller. */
  static Future<JsonObject> info(String text) {
    return Future.succeededFuture(CommandHandlers.messages(Faf.infoNotice(text)));
  }

  /** A reply with nothing for the caller. */
  static Future<JsonObject> none() {
    return Future.succeededFuture(new JsonObject());
  }
}
