package dev.skirmish.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.skirmish.common.SessionDirectory.Entry;
import dev.skirmish.common.Setting;

import java.io.IOException;

/**
 * The common case of MAKE_OFFER, MAKE_ANSWER and ICE, relayed without building a JSON tree: the packet is scanned
 * once with a streaming parser for its envelope (opcode, recipient, listener) and the position of its payload, and
 * the relayed packet is the payload's own text between an envelope this gateway writes, with the sender's
 * {@code origin} encoded once per session. Across the cluster it travels as that text and is written to the
 * recipient's socket as it arrives, so a relay is decoded once and encoded once in all.
 *
 * <p>It takes a packet only when everything is known to be fine: a well-formed object whose envelope has the
 * right types, a payload that is an object or array within its size limit, and a recipient whose directory entry
 * this gateway has cached in the sender's lobby (see {@link RelayCache}), live on this node or on another. Anything
 * else (a bad packet, an error to report, a recipient to look up) goes the general way, {@link OmegaRelay}, which
 * decides what the protocol answers. The answers and the relayed packet are the same either way.
 */
final class OmegaRelayFastPath {

  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final String RELAY_OK = "{\"opcode\":\"RELAY_OK\"}";

  private final Gateway gw;
  private final int iceMaxBytes;
  private final int sdpMaxBytes;

  OmegaRelayFastPath(Gateway gw) {
    this.gw = gw;
    this.iceMaxBytes = gw.config().getInt(Setting.OMEGA_ICE_MAX_BYTES);
    this.sdpMaxBytes = gw.config().getInt(Setting.OMEGA_SDP_MAX_BYTES);
  }

  /** What the relay needs of a packet: its envelope and where its payload's text is. */
  record Scan(String opcode, String recipient, String listener, int payloadStart, int payloadEnd) {
  }

  /**
   * Relays {@code text} from {@code sender} if the fast path can take it, and sends the sender its reply.
   *
   * @return false when the packet must go the general way (nothing was sent)
   */
  boolean tryRelay(OmegaSession sender, String text) {
    Scan scan = scan(text);
    if (scan == null || scan.recipient().equals(sender.accountId())) {
      return false;
    }
    int max = "ICE".equals(scan.opcode()) ? iceMaxBytes : sdpMaxBytes;
    if (utf8Length(text, scan.payloadStart(), scan.payloadEnd(), max) > max) {
      return false;
    }
    Entry entry = gw.relayCache().get(scan.recipient());
    if (entry == null || !OmegaRelay.inLobby(entry, sender.ugi(), sender.lobby())) {
      return false;
    }
    String out = "{\"opcode\":\"" + scan.opcode() + "\",\"payload\":"
      + text.substring(scan.payloadStart(), scan.payloadEnd()) + ",\"origin\":" + sender.originJson() + "}";
    if (!OmegaRelay.deliver(gw, entry, sender.lobby(), out)) {
      return false;
    }
    sender.sendText(scan.listener() == null ? RELAY_OK
      : "{\"opcode\":\"RELAY_OK\",\"listener\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(scan.listener())) + "\"}");
    return true;
  }

  /**
   * Scans a relay packet: null unless it is one JSON object whose {@code opcode} is a relay opcode, whose
   * {@code recipient} is a string, whose {@code listener} is absent or a string, whose {@code origin} is absent or
   * an object, and whose {@code payload} is an object or an array.
   */
  static Scan scan(String text) {
    try (JsonParser p = JSON.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String opcode = null;
      String recipient = null;
      String listener = null;
      int start = -1;
      int end = -1;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "opcode" -> opcode = v == JsonToken.VALUE_STRING ? p.getText() : null;
          case "recipient" -> recipient = v == JsonToken.VALUE_STRING ? p.getText() : null;
          case "listener" -> {
            if (v == JsonToken.VALUE_STRING) {
              listener = p.getText();
            } else if (v != JsonToken.VALUE_NULL) {
              return null;
            } else {
              listener = null;
            }
          }
          case "origin" -> {
            if (v != JsonToken.START_OBJECT && v != JsonToken.VALUE_NULL) {
              return null;
            }
            p.skipChildren();
          }
          case "payload" -> {
            if (v != JsonToken.START_OBJECT && v != JsonToken.START_ARRAY) {
              return null;
            }
            start = (int) p.currentTokenLocation().getCharOffset();
            p.skipChildren();
            end = (int) p.currentLocation().getCharOffset();
          }
          default -> p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null || start < 0 || recipient == null
        || opcode == null || !OmegaRelay.OPCODES.contains(opcode)) {
        return null;
      }
      return new Scan(opcode, recipient, listener, start, end);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The UTF-8 length of {@code text[from, to)}, counted only as far as past {@code max}. */
  static int utf8Length(String text, int from, int to, int max) {
    int bytes = 0;
    for (int i = from; i < to && bytes <= max; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
