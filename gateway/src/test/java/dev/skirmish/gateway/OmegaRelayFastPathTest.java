package dev.skirmish.gateway;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The scan of the relay fast path: what it takes, where it finds the payload, and what it leaves to the general path. */
class OmegaRelayFastPathTest {

  private static String payloadOf(String text) {
    OmegaRelayFastPath.Scan s = OmegaRelayFastPath.scan(text);
    assertThat(s).as("scan of %s", text).isNotNull();
    return text.substring(s.payloadStart(), s.payloadEnd());
  }

  @Test
  @DisplayName("a relay packet gives its envelope and the exact text of its payload, whatever the key order and spacing")
  void envelopeAndPayload() {
    String text = "{ \"recipient\" : \"01J0000000000000000000000A\", \"payload\" : {\"a\": \"}{\\\"]\", \"b\":[1, {\"c\":null}]} ,"
      + " \"opcode\":\"ICE\", \"listener\":\"l\\\"1\", \"origin\":{\"id\":\"x\"}, \"extra\":[1,2,{\"z\":3}] }";
    OmegaRelayFastPath.Scan s = OmegaRelayFastPath.scan(text);
    assertThat(s).isNotNull();
    assertThat(s.opcode()).isEqualTo("ICE");
    assertThat(s.recipient()).isEqualTo("01J0000000000000000000000A");
    assertThat(s.listener()).isEqualTo("l\"1");
    String payload = text.substring(s.payloadStart(), s.payloadEnd());
    assertThat(payload).isEqualTo("{\"a\": \"}{\\\"]\", \"b\":[1, {\"c\":null}]}");
    assertThat(new JsonObject(payload)).isEqualTo(new JsonObject(text).getJsonObject("payload"));
    assertThat(payloadOf("{\"opcode\":\"MAKE_OFFER\",\"recipient\":\"r\",\"payload\":[1,\"é\",[]]}")).isEqualTo("[1,\"é\",[]]");
    assertThat(OmegaRelayFastPath.scan("{\"opcode\":\"MAKE_ANSWER\",\"recipient\":\"r\",\"payload\":{},\"listener\":null}")
      .listener()).isNull();
  }

  @Test
  @DisplayName("anything but a well-typed relay with an object or array payload is left to the general path")
  void leftToTheGeneralPath() {
    String ok = "{\"opcode\":\"ICE\",\"recipient\":\"r\",\"payload\":{}}";
    assertThat(OmegaRelayFastPath.scan(ok)).isNotNull();
    for (String text : new String[] {
      "", "[]", "null", "{", "{\"opcode\":\"ICE\"", ok + " {}", ok + "x",
      "{\"opcode\":\"KEEPALIVE\",\"recipient\":\"r\",\"payload\":{}}",
      "{\"opcode\":\"LEAVE_LOBBY\",\"recipient\":\"r\",\"payload\":{}}",
      "{\"opcode\":1,\"recipient\":\"r\",\"payload\":{}}",
      "{\"opcode\":\"ICE\",\"recipient\":7,\"payload\":{}}",
      "{\"opcode\":\"ICE\",\"payload\":{}}",
      "{\"opcode\":\"ICE\",\"recipient\":\"r\"}",
      "{\"opcode\":\"ICE\",\"recipient\":\"r\",\"payload\":\"text\"}",
      "{\"opcode\":\"ICE\",\"recipient\":\"r\",\"payload\":12}",
      "{\"opcode\":\"ICE\",\"recipient\":\"r\",\"payload\":null}",
      "{\"opcode\":\"ICE\",\"recipient\":\"r\",\"payload\":{},\"listener\":5}",
      "{\"opcode\":\"ICE\",\"recipient\":\"r\",\"payload\":{},\"origin\":\"me\"}",
      "{\"opcode\":\"ICE\",\"recipient\":\"r\",\"payload\":{\"a\":}}",
      // a later duplicate key of the wrong type wins, as it does in a JSON tree
      "{\"opcode\":\"ICE\",\"recipient\":\"r\",\"payload\":{},\"opcode\":2}",
    }) {
      assertThat(OmegaRelayFastPath.scan(text)).as("scan of %s", text).isNull();
    }
  }

  @Test
  @DisplayName("the payload's UTF-8 length is counted exactly, and only as far as past the limit")
  void utf8Length() {
    String s = "aé€😀";
    assertThat(OmegaRelayFastPath.utf8Length(s, 0, s.length(), 100)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    assertThat(OmegaRelayFastPath.utf8Length(s, 1, 3, 100)).isEqualTo(5);
    String big = "x".repeat(10_000);
    assertThat(OmegaRelayFastPath.utf8Length(big, 0, big.length(), 10)).isEqualTo(11);
  }
}
