package dev.skirmish.common;

/**
 * The body of a text delivery to a gateway node ({@link Addresses#gatewayNodeText}): the connection id, a newline,
 * the length of the CL Omega lobby the connection must still be in (-1 for none) and a colon, that lobby, then the
 * message's JSON text. One string, so it crosses the cluster with Vert.x's string codec and no JSON work.
 *
 * @param lobby null when the message goes to the connection whatever lobby it is in
 */
public record TextDelivery(String connection, String lobby, String text) {

  /** The body for {@code text} to {@code connection}. */
  public static String encode(String connection, String lobby, String text) {
    int length = lobby == null ? -1 : lobby.length();
    return connection + "\n" + length + ":" + (lobby == null ? "" : lobby) + text;
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
