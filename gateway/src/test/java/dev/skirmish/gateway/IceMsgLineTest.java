package dev.skirmish.gateway;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IceMsgLineTest {

  private static IceMsgLine read(String line) {
    return IceMsgLine.read(line, 16, 16384);
  }

  @Test
  @DisplayName("the receiver and the payload's text exactly as sent, whatever its JSON type and the field order")
  void readsPlainIceMsg() {
    String candidate = "{\"type\":\"candidate\",\"candidate\":{\"sdpMid\":\"0\",\"n\":[1,2,{\"x\":null}]},\"t\":12}";
    IceMsgLine ice = read("{\"command\":\"IceMsg\",\"target\":\"game\",\"args\":[42," + candidate + "]}");
    assertThat(ice).isEqualTo(new IceMsgLine(42, candidate));
    assertThat(new JsonObject(ice.payload())).isEqualTo(new JsonObject(candidate));

    assertThat(read("{\"args\":[7, \"a \\\"quoted\\\" text\" ],\"target\":\"game\",\"command\":\"IceMsg\"}"))
      .isEqualTo(new IceMsgLine(7, "\"a \\\"quoted\\\" text\""));
    assertThat(read("{ \"command\" : \"IceMsg\" , \"target\" : \"game\" , \"args\" : [ 3 , [1, 2] , true ] }"))
      .isEqualTo(new IceMsgLine(3, "[1, 2]"));
    assertThat(read("{\"command\":\"IceMsg\",\"target\":\"game\",\"args\":[3,12.5]}")).isEqualTo(new IceMsgLine(3, "12.5"));
    assertThat(read("{\"command\":\"IceMsg\",\"target\":\"game\",\"args\":[3,null]}")).isEqualTo(new IceMsgLine(3, "null"));
  }

  @Test
  @DisplayName("anything but a plain IceMsg to the game is left to the general path")
  void leavesTheRestToTheGeneralPath() {
    assertThat(read("{\"command\":\"GameState\",\"target\":\"game\",\"args\":[\"Idle\"]}")).isNull();
    assertThat(read("{\"command\":\"IceMsg\",\"args\":[1,\"x\"]}")).isNull();
    assertThat(read("{\"command\":\"IceMsg\",\"target\":\"lobby\",\"args\":[1,\"x\"]}")).isNull();
    assertThat(read("{\"command\":\"IceMsg\",\"target\":\"game\",\"args\":[1]}")).isNull();
    assertThat(read("{\"command\":\"IceMsg\",\"target\":\"game\",\"args\":[\"1\",\"x\"]}")).isNull();
    assertThat(read("{\"command\":\"IceMsg\",\"target\":\"game\",\"args\":[1.0,\"x\"]}")).isNull();
    assertThat(read("{\"command\":\"IceMsg\",\"target\":\"game\",\"args\":[99999999999,\"x\"]}")).isNull();
    assertThat(read("{\"command\":\"IceMsg\",\"target\":\"game\",\"args\":{\"a\":1}}")).isNull();
    assertThat(read("{\"command\":\"IceMsg\",\"target\":\"game\",\"args\":[1,\"x\"],\"extra\":1}")).isNull();
    assertThat(read("{\"command\":\"IceMsg\",\"command\":\"IceMsg\",\"target\":\"game\",\"args\":[1,\"x\"]}")).isNull();
    assertThat(read("{\"command\":\"IceMsg\",\"target\":\"game\",\"args\":[1,\"x\"]} trailing")).isNull();
    assertThat(read("{\"command\":\"IceMsg\",\"target\":\"game\",\"args\":[1,\"x\"]")).isNull();
    assertThat(read("{\"command\":\"IceMsg\",\"target\":\"game\",\"args\":[1,{\"x\":]}")).isNull();
    assertThat(read("[\"IceMsg\"]")).isNull();
    assertThat(read("not json \"IceMsg\"")).isNull();
  }

  @Test
  @DisplayName("a line that might be over the GPGNet argument limits is left to the general path, which checks them exactly")
  void leavesPossiblyTooLargeToTheGeneralPath() {
    String line = "{\"command\":\"IceMsg\",\"target\":\"game\",\"args\":[1,\"" + "x".repeat(100) + "\",3]}";
    assertThat(IceMsgLine.read(line, 3, 408)).isNotNull();
    assertThat(IceMsgLine.read(line, 2, 408)).isNull();
    assertThat(IceMsgLine.read(line, 3, 407)).isNull();
  }
}
