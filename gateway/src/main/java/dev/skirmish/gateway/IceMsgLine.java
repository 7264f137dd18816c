package dev.skirmish.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * A FAF {@code IceMsg} line from a player's game, read in one pass of the JSON tokens without building its tree:
 * the receiver's id and the payload's text exactly as sent, which the relay passes on as it is. Only the plain
 * form is read here, {@code {"command": "IceMsg", "target": "game", "args": [receiverId, msg, ...]}} (fields in
 * any order), with an int receiver and every argument short enough that it is within the GPGNet length limit
 * however it is encoded; anything else, or anything in doubt, is left to the general path (null), which decides
 * what it is with the same rules.
 */
record IceMsgLine(int receiver, String payload) {

  private static final JsonFactory JSON = new JsonFactory();

  /**
   * A JSON value re-encoded is at most this many times as long as its text: a number such as {@code 1e5} grows
   * to {@code 100000.0}; whitespace and escapes only shrink.
   */
  private static final int ENCODED_GROWTH = 4;

  /** The IceMsg in {@code line}, or null when the line must take the general path. */
  static IceMsgLine read(String line, int maxArgs, int maxArgLength) {
    if (!line.contains("\"IceMsg\"")) {
      return null;
    }
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      boolean command = false;
      boolean target = false;
      IceMsgLine ice = null;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        if (t != JsonToken.FIELD_NAME) {
          return null;
        }
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("command".equals(name) && !command && value == JsonToken.VALUE_STRING && "IceMsg".equals(p.getText())) {
          command = true;
        } else if ("target".equals(name) && !target && value == JsonToken.VALUE_STRING && "game".equals(p.getText())) {
          target = true;
        } else if ("args".equals(name) && ice == null && value == JsonToken.START_ARRAY) {
          ice = args(p, line, maxArgs, maxArgLength);
          if (ice == null) {
            return null;
          }
        } else {
          return null;
        }
      }
      return command && target && p.nextToken() == null ? ice : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The arguments, the parser on their START_ARRAY; null when they are not plainly within the limits. */
  private static IceMsgLine args(JsonParser p, String line, int maxArgs, int maxArgLength) throws IOException {
    int count = 0;
    int receiver = 0;
    String payload = null;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t == null || ++count > maxArgs) {
        return null;
      }
      long start = p.currentTokenLocation().getCharOffset();
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        p.skipChildren();
      } else {
        p.finishToken();
      }
      long end = p.currentLocation().getCharOffset();
      if (start < 0 || end <= start || end > line.length() || (end - start) * ENCODED_GROWTH > maxArgLength) {
        return null;
      }
      if (count == 1) {
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
          return null;
        }
        receiver = p.getIntValue();
      } else if (count == 2) {
        payload = line.substring((int) start, (int) end);
      }
    }
    return count < 2 ? null : new IceMsgLine(receiver, payload);
  }
}
