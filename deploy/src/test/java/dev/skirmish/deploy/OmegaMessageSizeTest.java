package dev.skirmish.deploy;

import dev.skirmish.common.testing.OmegaClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.OmegaSupport.DEMO_UGI;
import static dev.skirmish.deploy.OmegaSupport.path;
import static org.assertj.core.api.Assertions.assertThat;

/** CL Omega frames larger than MAX_MESSAGE_BYTES (4096 bytes here) are a VIOLATION. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class OmegaMessageSizeTest {

  private static final int LIMIT = 4096;
  private static final short POLICY_VIOLATION = 1008;

  @RegisterExtension
  static final TestNode NODE = new TestNode("MAX_MESSAGE_BYTES", String.valueOf(LIMIT));

  /** A KEEPALIVE frame of exactly {@code bytes} UTF-8 bytes, padded with {@code filler} in its payload. */
  private static String keepaliveOfBytes(int bytes, String filler) {
    String head = "{\"opcode\":\"KEEPALIVE\",\"listener\":\"big\",\"payload\":\"";
    String tail = "\"}";
    int fixed = (head + tail).getBytes(StandardCharsets.UTF_8).length;
    int unit = filler.getBytes(StandardCharsets.UTF_8).length;
    int room = bytes - fixed;
    StringBuilder sb = new StringBuilder(head).append(filler.repeat(room / unit)).append("a".repeat(room % unit)).append(tail);
    String frame = sb.toString();
    assertThat(frame.getBytes(StandardCharsets.UTF_8).length).isEqualTo(bytes);
    return frame;
  }

  private static Future<OmegaClient> connect(Vertx vertx) {
    return OmegaClient.connect(vertx, NODE.httpPort(), path(DEMO_UGI), null);
  }

  private static Future<Void> expectAnswered(VertxTestContext ctx, Vertx vertx, String frame) {
    return connect(vertx).compose(client -> {
      client.sendRaw(frame);
      return client.next().compose(p -> {
        ctx.verify(() -> assertThat(p).isEqualTo(new JsonObject().put("opcode", "KEEPALIVE").put("listener", "big")));
        return client.close();
      });
    });
  }

  private static Future<Void> expectViolation(VertxTestContext ctx, Vertx vertx, String frame) {
    return connect(vertx).compose(client -> {
      client.sendRaw(frame);
      return client.next().compose(p -> {
        ctx.verify(() -> {
          assertThat(p.getString("opcode")).isEqualTo("VIOLATION");
          assertThat(p.getString("payload")).startsWith("[Signaling] Error reading packet: ");
          assertThat(p.containsKey("listener")).isFalse();
        });
        return client.expectClosed();
      }).map(v -> {
        ctx.verify(() -> {
          assertThat(client.closeStatus()).isEqualTo(POLICY_VIOLATION);
          assertThat(client.inbox().history()).hasSize(1);
        });
        return null;
      });
    });
  }

  @Test
  @DisplayName("a frame of exactly MAX_MESSAGE_BYTES is handled normally")
  void atLimit(Vertx vertx, VertxTestContext ctx) {
    expectAnswered(ctx, vertx, keepaliveOfBytes(LIMIT, "a"))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a frame one byte over MAX_MESSAGE_BYTES is VIOLATION and closed with 1008")
  void overLimit(Vertx vertx, VertxTestContext ctx) {
    expectViolation(ctx, vertx, keepaliveOfBytes(LIMIT + 1, "a"))
      .compose(v -> expectViolation(ctx, vertx, keepaliveOfBytes(3 * LIMIT, "a")))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("the limit counts UTF-8 bytes, not characters")
  void multiByteCharacters(Vertx vertx, VertxTestContext ctx) {
    // 2-byte (é), 3-byte (€) and 4-byte (surrogate pair) characters: fewer characters than bytes
    expectViolation(ctx, vertx, keepaliveOfBytes(LIMIT + 1, "\u00e9"))
      .compose(v -> expectViolation(ctx, vertx, keepaliveOfBytes(LIMIT + 2, "\u20ac")))
      .compose(v -> expectViolation(ctx, vertx, keepaliveOfBytes(2 * LIMIT, "\ud83d\ude00")))
      .compose(v -> expectAnswered(ctx, vertx, keepaliveOfBytes(LIMIT, "\u20ac")))
      .compose(v -> expectAnswered(ctx, vertx, keepaliveOfBytes(LIMIT, "\ud83d\ude00")))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a message beyond the WebSocket message size limit (several frames) is also VIOLATION and closed with 1008")
  void farOverLimit(Vertx vertx, VertxTestContext ctx) {
    // 200 kB: more than the server's WebSocket message limit, sent by the client as several frames
    expectViolation(ctx, vertx, keepaliveOfBytes(200_000, "a"))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("packets before an oversized message are answered first; nothing after it is")
  void oversizedInTurn(Vertx vertx, VertxTestContext ctx) {
    connect(vertx).compose(client -> {
      client.send("KEEPALIVE", null, "before");
      client.sendRaw(keepaliveOfBytes(200_000, "a"));
      client.send("KEEPALIVE", null, "after");
      return client.expectClosed().map(v -> {
        ctx.verify(() -> {
          assertThat(client.inbox().history()).extracting(m -> m.getString("opcode") + "/" + m.getString("listener"))
            .containsExactly("KEEPALIVE/before", "VIOLATION/null");
          assertThat(client.closeStatus()).isEqualTo(POLICY_VIOLATION);
        });
        return null;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("an oversized binary frame is refused like a text frame")
  void oversizedBinary(Vertx vertx, VertxTestContext ctx) {
    OmegaSupport.connectWithoutOrigin(vertx, NODE.httpPort(), path(DEMO_UGI)).compose(raw -> {
      raw.ws().writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer(keepaliveOfBytes(LIMIT + 1, "a")));
      return raw.inbox().next().compose(p -> {
        ctx.verify(() -> assertThat(p.getString("opcode")).isEqualTo("VIOLATION"));
        return raw.inbox().expectClosed();
      }).map(v -> {
        ctx.verify(() -> assertThat(raw.ws().closeStatusCode()).isEqualTo(POLICY_VIOLATION));
        return null;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }
}
