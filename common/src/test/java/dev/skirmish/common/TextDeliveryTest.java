package dev.skirmish.common;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TextDeliveryTest {

  @Test
  @DisplayName("a text delivery keeps its connection, lobby and text, whatever characters the lobby and text hold")
  void roundTrip() {
    for (String lobby : new String[] {null, "", "room", "a:b\nc", "12:", "é😀"}) {
      for (String text : new String[] {"", "{\"opcode\":\"ICE\"}", "line\nwith:colons\n"}) {
        TextDelivery d = TextDelivery.decode(TextDelivery.encode("01J0000000000000000000000A", lobby, text));
        assertThat(d).isEqualTo(new TextDelivery("01J0000000000000000000000A", lobby, text));
      }
    }
  }

  @Test
  @DisplayName("a body that is not a text delivery decodes to null")
  void malformed() {
    for (String body : new String[] {null, "", "conn", "\n-1:x", "conn\nx:text", "conn\n5:ab", "conn\n-2:x", "conn\n-1"}) {
      assertThat(TextDelivery.decode(body)).as("decode of %s", body).isNull();
    }
  }
}
