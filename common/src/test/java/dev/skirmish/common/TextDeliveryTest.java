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

  @Test
  @DisplayName("a batch gives back its deliveries in order, and stops at the first malformed one")
  void batches() {
    StringBuilder b = new StringBuilder();
    TextDelivery.append(b, "c1", null, "{\"a\":1}\n");
    TextDelivery.append(b, "c2", "lobby\n7:", "");
    TextDelivery.append(b, "c3", "", "x");
    assertThat(TextDelivery.decodeAll(b.toString())).containsExactly(new TextDelivery("c1", null, "{\"a\":1}\n"),
      new TextDelivery("c2", "lobby\n7:", ""), new TextDelivery("c3", "", "x"));
    assertThat(TextDelivery.decodeAll(TextDelivery.batchOf("c", null, "t"))).containsExactly(new TextDelivery("c", null, "t"));
    assertThat(TextDelivery.decodeAll(TextDelivery.batchOf("c", null, "t") + "99\nshort")).hasSize(1);
    assertThat(TextDelivery.decodeAll(null)).isEmpty();
    assertThat(TextDelivery.decodeAll("x\n")).isEmpty();
  }
}
