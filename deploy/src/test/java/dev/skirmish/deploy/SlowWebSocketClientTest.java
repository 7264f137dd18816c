package dev.skirmish.deploy;

import dev.skirmish.common.testing.FafClient;
import dev.skirmish.common.testing.OmegaClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Back-pressure over WebSocket, for both protocols: a client that completes the upgrade and then never reads,
 * while it makes the server answer it at length, is dropped, once what waits for it passes
 * SLOW_CLIENT_QUEUE_BYTES or once its queue has stayed full for SLOW_CLIENT_TIMEOUT_SECONDS; a client of the
 * same protocol that reads is answered before, throughout and after.
 *
 * <p>What makes the server send a lot: FAF names an unknown command in its answer (before login, the "needs a
 * logged-in session" notice), and CL Omega echoes the {@code listener} of a {@code KEEPALIVE}. Each request
 * below makes about {@link #ECHO_BYTES} of answer.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
class SlowWebSocketClientTest {

  private static final int ECHO_BYTES = 100_000;
  /** Far more than socket buffers and the queue bound of {@link #BY_BYTES} together: the client must be dropped before. */
  private static final int MAX_REQUESTS = 3_000;
  /**
   * Requests of the time-out tests: about 30 MB of answers, several times what the kernel's socket buffers (4 MiB at
   * most for the server's send side; the client's receive buffer is 4 KiB) and the client's paused socket can hold,
   * so the queue is full; and far below the queue bound of {@link #BY_TIME}, so only the time-out can drop it.
   */
  private static final int TIME_REQUESTS = 300;
  private static final long TIME_NODE_QUEUE_BYTES = 512L * 1024 * 1024;
  /** The reading client makes a round trip after every this many requests of the stalled one. */
  private static final int ROUND_TRIP_EVERY = 10;

  private static final String[] LONG_TIMERS = {"FAF_LOGIN_TIMEOUT_SECONDS", "600", "OMEGA_INIT_TIMEOUT_SECONDS", "600",
    "IDLE_TIMEOUT_SECONDS", "600"};

  /** Drops by size: 1 MiB may pile up; the time-out is out of reach. */
  @RegisterExtension
  static final TestNode BY_BYTES = new TestNode(with("SLOW_CLIENT_QUEUE_BYTES", "1048576", "SLOW_CLIENT_TIMEOUT_SECONDS", "600"));

  /** Drops by time: a full queue may last 2 s; the size bound is out of reach. */
  @RegisterExtension
  static final TestNode BY_TIME = new TestNode(with("SLOW_CLIENT_QUEUE_BYTES", String.valueOf(TIME_NODE_QUEUE_BYTES),
    "SLOW_CLIENT_TIMEOUT_SECONDS", "2"));

  private static String[] with(String... settings) {
    String[] all = new String[settings.length + LONG_TIMERS.length];
    System.arraycopy(settings, 0, all, 0, settings.length);
    System.arraycopy(LONG_TIMERS, 0, all, settings.length, LONG_TIMERS.length);
    return all;
  }

  /**
   * One protocol's door: where the stalled client connects, the request it repeats, and how a reading client
   * connects; the reading client comes as its round trip (completes once the client got its answer).
   */
  private record Door(String path, String request, BiFunction<Vertx, Integer, Future<Supplier<Future<Void>>>> reader) {
  }

  private static final Door FAF = new Door("/lobby",
    new JsonObject().put("command", "x".repeat(ECHO_BYTES)).encode() + "\n",
    (vertx, port) -> FafClient.webSocket(vertx, port).map(client -> () -> FafTestSupport.roundTrip(client).mapEmpty()));

  private static final Door OMEGA = new Door(OmegaSupport.path(OmegaSupport.DEMO_UGI),
    new JsonObject().put("opcode", "KEEPALIVE").put("listener", "x".repeat(ECHO_BYTES)).encode(),
    SlowWebSocketClientTest::omegaReader);

  /** A CL Omega socket whose round trip is a KEEPALIVE answered with its own listener. */
  private static Future<Supplier<Future<Void>>> omegaReader(Vertx vertx, int port) {
    AtomicInteger n = new AtomicInteger();
    return OmegaClient.connect(vertx, port, OmegaSupport.DEMO_UGI).map(client -> () -> {
      String listener = "reader-" + n.incrementAndGet();
      client.send("KEEPALIVE", null, listener);
      return client.inbox().next(m -> "KEEPALIVE".equals(m.getString("opcode")) && listener.equals(m.getString("listener")),
        "KEEPALIVE " + listener).mapEmpty();
    });
  }

  @ParameterizedTest(name = "{0}, dropped by {1}")
  @CsvSource({"FAF over WebSocket, SLOW_CLIENT_QUEUE_BYTES", "CL Omega, SLOW_CLIENT_QUEUE_BYTES",
    "FAF over WebSocket, SLOW_CLIENT_TIMEOUT_SECONDS", "CL Omega, SLOW_CLIENT_TIMEOUT_SECONDS"})
  @DisplayName("a WebSocket client that does not read is dropped by the queue bound or the time-out; a reading client is answered before, during and after")
  void stalledClientDropped(String protocol, String limit, Vertx vertx, VertxTestContext ctx) {
    dropped(vertx, ctx, protocol.startsWith("FAF") ? FAF : OMEGA, "SLOW_CLIENT_QUEUE_BYTES".equals(limit));
  }

  /**
   * A reading client makes a round trip; a stalled client floods (on {@link #BY_BYTES} until it is dropped, on
   * {@link #BY_TIME} {@link #TIME_REQUESTS} requests, then it waits without reading) while the reading client
   * keeps making round trips; the reading client makes one more once the stalled one is waiting, and one after
   * the drop.
   */
  private static void dropped(Vertx vertx, VertxTestContext ctx, Door door, boolean bySize) {
    int port = (bySize ? BY_BYTES : BY_TIME).httpPort();
    int limit = bySize ? MAX_REQUESTS : TIME_REQUESTS;
    AtomicInteger rounds = new AtomicInteger();
    door.reader().apply(vertx, port).compose(roundTrip -> roundTrip.get()
      .compose(before -> StalledWebSocket.open(vertx, port, door.path()))
      .compose(slow -> flood(slow, door.request(), limit, roundTrip, rounds).compose(sent -> bySize && sent >= limit && !slow.isClosed()
        ? Future.failedFuture("the server never dropped a client that does not read (" + sent + " requests)")
        : roundTrip.get().compose(v -> slow.closed()).map(sent)))
      .compose(sent -> roundTrip.get().map(sent))
      .map(sent -> {
        System.out.printf("%s: stalled client dropped by %s after %d requests; %d round trips of the reader meanwhile%n",
          door.path(), bySize ? "size" : "time", sent, rounds.get());
        ctx.verify(() -> {
          if (bySize) {
            assertThat(sent).as("requests sent before the drop").isLessThan(MAX_REQUESTS);
            // The drop needs more than 1 MiB queued, so more than ROUND_TRIP_EVERY answers: a round trip came between.
            assertThat(rounds.get()).as("round trips of the reading client during the flood").isPositive();
          } else {
            assertThat((long) sent * door.request().length()).as("bytes the stalled client asked for")
              .isLessThan(TIME_NODE_QUEUE_BYTES);
          }
        });
        return sent;
      }))
      .onComplete(ctx.succeedingThenComplete());
  }

  /**
   * Sends {@code request} from the stalled client, each once the last was handed to the kernel, with a round
   * trip of the reading client after every {@link #ROUND_TRIP_EVERY} requests, until the server closes the
   * stalled client or {@code limit} requests were sent; completes with the number sent.
   */
  private static Future<Integer> flood(StalledWebSocket slow, String request, int limit,
                                       Supplier<Future<Void>> roundTrip, AtomicInteger rounds) {
    Promise<Integer> done = Promise.promise();
    step(slow, request, limit, roundTrip, rounds, 0, done);
    return done.future();
  }

  private static void step(StalledWebSocket slow, String request, int limit, Supplier<Future<Void>> roundTrip,
                           AtomicInteger rounds, int sent, Promise<Integer> done) {
    if (slow.isClosed() || sent >= limit) {
      done.tryComplete(sent);
      return;
    }
    slow.sendText(request).onComplete(ar -> {
      if (ar.failed()) {
        done.tryComplete(sent);
        return;
      }
      int next = sent + 1;
      Future<Void> between = next % ROUND_TRIP_EVERY == 0
        ? roundTrip.get().onSuccess(v -> rounds.incrementAndGet())
        : Future.succeededFuture();
      between.onSuccess(v -> step(slow, request, limit, roundTrip, rounds, next, done)).onFailure(done::tryFail);
    });
  }
}
