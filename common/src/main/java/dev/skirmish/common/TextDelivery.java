package dev.skirmish.common;

/**
 * A text delivery to a gateway node ({@link Addresses#gatewayNodeText}): one message already encoded, for one
 * connection. Encoded as the connection id, a newline, the length of the CL Omega lobby the connection must still be
 * in (-1 for none) and a colon, that lobby, then the message's JSON text. A batch (the body sent) is a sequence of
 * deliveries, each preceded by its length and a newline. One string, so it crosses the cluster with Vert.x's string
 * codec and no JSON work.
 *
 * @param lobby null when the message goes to the connection whatever lobby it is in
 */
public record TextDelivery(String connection, String lobby, String text) {

  /** The body for {@code text} to {@code connection}. */
  public static String encode(String connection, String lobby, String text) {
    int length = lobby == null ? -1 : lobby.length();
    return connection + "\n" + length + ":" + (lobby == null ? "" : lobby) + text;
  }

  /** Appends one delivery to a batch. */
  public static void append(StringBuilder batch, String connection, String lobby, String text) {
    String item = encode(connection, lobby, text);
    batch.append(item.length()).append('\n').append(item);
  }

  /** A batch of one delivery. */
  public static String batchOf(String connection, String lobby, String text) {
    StringBuilder b = new StringBuilder();
    append(b, connection, lobby, text);
    return b.toString();
  }

  /** The deliveries of a batch, in order, up to the first that is malformed. */
  public static java.util.List<TextDelivery> decodeAll(String batch) {
    java.util.List<TextDelivery> out = new java.util.ArrayList<>();
    int at = 0;
    while (batch != null && at < batch.length()) {
      int nl = batch.indexOf('\n', at);
      if (nl < 0) {
        break;
      }
      int length;
      try {
        length = Integer.parseInt(batch, at, nl, 10);
      } catch (NumberFormatException e) {
        break;
      }
      if (length < 0 || nl + 1 + length > batch.length()) {
        break;
      }
      TextDelivery d = decode(batch.substring(nl + 1, nl + 1 + length));
      if (d == null) {
        break;
      }
      out.add(d);
      at = nl + 1 + length;
    }
    return out;
  }

  /** The delivery in {@code body}, or null when it is not one. */
  public static TextDelivery decode(String body) {
    if (body == null) {
      return null;
    }
    int cut = body.indexOf('\n');
    int colon = cut < 0 ? -1 : body.indexOf(':', cut);
    if (cut <= 0 || colon < 0) {
      return null;
    }
    try {
      int length = Integer.parseInt(body, cut + 1, colon, 10);
      int textStart = colon + 1 + Math.max(length, 0);
      if (length < -1 || textStart > body.length()) {
        return null;
      }
      String lobby = length < 0 ? null : body.substring(colon + 1, textStart);
      return new TextDelivery(body.substring(0, cut), lobby, body.substring(textStart));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
