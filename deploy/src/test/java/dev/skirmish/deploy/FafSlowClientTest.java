package dev.skirmish.deploy;

import dev.skirmish.common.testing.FafClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.skirmish.deploy.FafTestSupport.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Back-pressure: a raw TCP client that never reads while it makes the server answer it at length is dropped once
 * what waits for it passes SLOW_CLIENT_QUEUE_BYTES; a client that reads is served throughout.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class FafSlowClientTest {

  /** Each request makes the server echo about this many bytes (an unknown command before login is named in the answer). */
  private static final int ECHO_BYTES = 100_000;
  /** Far more than the socket buffers and the queue bound together: the client must be dropped before. */
  private static final int MAX_REQUESTS = 3_000;

  @RegisterExtension
  static final TestNode NODE = new TestNode("SLOW_CLIENT_QUEUE_BYTES", "1048576", "SLOW_CLIENT_TIMEOUT_SECONDS", "600",
    "FAF_LOGIN_TIMEOUT_SECONDS", "600", "IDLE_TIMEOUT_SECONDS", "600");

  private static final Buffer REQUEST = Buffer.buffer(new JsonObject().put("command", "x".repeat(ECHO_BYTES)).encode() + "\n");

  @Test
  @DisplayName("a client that does not read is disconnected once its queue passes the bound; a reading client keeps getting answers")
  void slowClientIsDropped(Vertx vertx, VertxTestContext ctx) {
    Runtime rt = Runtime.getRuntime();
    long heapBefore = rt.totalMemory() - rt.freeMemory();
    AtomicInteger sent = new AtomicInteger();
    FafClient.tcp(vertx, NODE.fafTcpPort()).compose(reader -> roundTrip(reader)
      .compose(pong -> vertx.createNetClient(new NetClientOptions().setReceiveBufferSize(4096))
        .connect(NODE.fafTcpPort(), "127.0.0.1"))
      .compose(slow -> {
        slow.pause();
        Promise<Void> closed = Promise.promise();
        slow.closeHandler(v -> closed.tryComplete());
        slow.exceptionHandler(err -> { });
        flood(slow, sent, closed);
        // The reading client is answered while the other one floods.
        return roundTrip(reader).compose(pong -> closed.future());
      })
      .compose(v -> roundTrip(reader))
      .map(pong -> {
        long heapAfter = rt.totalMemory() - rt.freeMemory();
        System.out.printf("slow client dropped after %d requests of %d bytes; test JVM heap in use %d MiB before, %d MiB after%n",
          sent.get(), REQUEST.length(), heapBefore >> 20, heapAfter >> 20);
        ctx.verify(() -> {
          assertThat(sent.get()).isLessThan(MAX_REQUESTS);
          assertThat(reader.isClosed()).isFalse();
        });
        return reader;
      }))
      .compose(FafClient::close)
      .onComplete(ctx.succeedingThenComplete());
  }

  /** Writes requests one after the other (each once the last was handed to the kernel) until the socket closes. */
  private static void flood(NetSocket slow, AtomicInteger sent, Promise<Void> closed) {
    if (closed.future().isComplete()) {
      return;
    }
    if (sent.incrementAndGet() > MAX_REQUESTS) {
      closed.tryFail("the server never dropped a client that does not read");
      return;
    }
    slow.write(REQUEST).onComplete(ar -> {
      if (ar.failed()) {
        closed.tryComplete();
      } else {
        flood(slow, sent, closed);
      }
    });
  }
}
