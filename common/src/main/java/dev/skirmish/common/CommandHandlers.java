package dev.skirmish.common;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Dispatches the command requests a service receives from the gateway to one handler per command name.
 * A handler returns the reply body; a failure is answered by {@link #fail}. Unknown names fail with
 * {@link Failures#UNSUPPORTED}.
 */
public final class CommandHandlers {

  private static final Logger LOG = LoggerFactory.getLogger(CommandHandlers.class);

  private final Map<String, Function<JsonObject, Future<JsonObject>>> handlers = new HashMap<>();
  private final Function<JsonObject, String> nameOf;

  /** @param nameOf extracts the command name from a request body */
  public CommandHandlers(Function<JsonObject, String> nameOf) {
    this.nameOf = nameOf;
  }

  /** Commands of FAF requests: {@code body.message.command}. */
  public static CommandHandlers faf() {
    return new CommandHandlers(body -> body.getJsonObject("message", new JsonObject()).getString("command"));
  }

  /** Opcodes of CL Omega requests: {@code body.packet.opcode}. */
  public static CommandHandlers omega() {
    return new CommandHandlers(body -> body.getJsonObject("packet", new JsonObject()).getString("opcode"));
  }

  public CommandHandlers on(String name, Function<JsonObject, Future<JsonObject>> handler) {
    handlers.put(name, handler);
    return this;
  }

  public void handle(Message<JsonObject> msg) {
    String name = nameOf.apply(msg.body());
    Function<JsonObject, Future<JsonObject>> handler = handlers.get(name);
    if (handler == null) {
      msg.fail(Failures.UNSUPPORTED, "unsupported: " + name);
      return;
    }
    Future<JsonObject> result;
    try {
      result = handler.apply(msg.body());
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onSuccess(msg::reply).onFailure(err -> fail(msg, name, err));
  }

  /**
   * Answers a request whose handling failed: a {@link ServiceException} with its code and text; a database
   * that cannot be reached ({@link Failures#isUnavailable}) with {@link Failures#UNAVAILABLE} and
   * {@link Failures#UNAVAILABLE_TEXT}, logged without a stack trace ({@link DatabaseHealth} logs the outage);
   * anything else is logged and answered with {@link Failures#INTERNAL}.
   *
   * @param what what was being handled, for the log
   */
  public static void fail(Message<?> msg, String what, Throwable err) {
    if (err instanceof ServiceException se) {
      msg.fail(se.code(), se.getMessage());
    } else if (Failures.isUnavailable(err)) {
      LOG.debug("{} failed: database unavailable ({})", what, err.getMessage());
      msg.fail(Failures.UNAVAILABLE, Failures.UNAVAILABLE_TEXT);
    } else {
      LOG.error("{} failed", what, err);
      msg.fail(Failures.INTERNAL, "internal error");
    }
  }

  /** A reply that sends these FAF messages to the caller. */
  public static JsonObject messages(JsonObject... messages) {
    return new JsonObject().put("messages", new io.vertx.core.json.JsonArray(java.util.List.of((Object[]) messages)));
  }
}
