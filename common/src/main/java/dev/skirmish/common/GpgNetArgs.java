package dev.skirmish.common;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The argument limits of every GPGNet message from a player's game (settings {@link Setting#GPGNET_ARGS_MAX}
 * and {@link Setting#GPGNET_ARG_MAX_LENGTH}), checked by whoever handles the message: the games service, or
 * the gateway for the {@code IceMsg} it relays itself.
 */
public final class GpgNetArgs {

  private GpgNetArgs() {
  }

  /**
   * Null when {@code args} fit, else the text of the error notice: more than {@code maxArgs} arguments, or one
   * longer than {@code maxLength} characters (JSON values as encoded; {@code JsonStats} has no length limit).
   */
  public static String tooLarge(String command, JsonArray args, int maxArgs, int maxLength) {
    if (args.size() > maxArgs) {
      return command + " has more than " + maxArgs + " arguments.";
    }
    if (!"JsonStats".equals(command)) {
      for (Object v : args) {
        if (length(v) > maxLength) {
          return "An argument of " + command + " is longer than " + maxLength + " characters.";
        }
      }
    }
    return null;
  }

  /** The length of a value as the limits count it: a string's characters, a JSON value's encoding. */
  public static int length(Object value) {
    if (value instanceof String s) {
      return s.length();
    }
    if (value instanceof JsonObject o) {
      return o.encode().length();
    }
    if (value instanceof JsonArray a) {
      return a.encode().length();
    }
    return value == null ? 0 : String.valueOf(value).length();
  }
}
