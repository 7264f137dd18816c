package dev.skirmish.common;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class AckedEventsTest {

  private static final String ADDRESS = "test.acked";

  @Test
  void anEventSentWhileNobodyListensReachesTheFirstConsumer(Vertx vertx, VertxTestContext ctx) {
    AckedEvents events = new AckedEvents(vertx, 30_000, 1_000);
    Promise<JsonObject> handled = Promise.promise();
    Future<Void> sent = events.send(ADDRESS, new JsonObject().put("player", 7));
    // The consumer appears only after the first attempt has failed for want of one.
    vertx.setTimer(400, t -> AckedEvents.consume(vertx, ADDRESS, event -> {
      handled.tryComplete(event);
      return Future.succeededFuture();
    }));
    Future.all(sent, handled.future()).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      assertThat(handled.future().result().getInteger("player")).isEqualTo(7);
      ctx.completeNow();
    })));
  }

  @Test
  void aFailedHandlerSeesTheEventAgainUntilItSucceeds(Vertx vertx, VertxTestContext ctx) {
    AckedEvents events = new AckedEvents(vertx, 30_000, 1_000);
    AtomicInteger calls = new AtomicInteger();
    AckedEvents.consume(vertx, ADDRESS, event -> calls.incrementAndGet() < 3
        ? Future.failedFuture("the database is down")
        : Future.succeededFuture())
      .completion()
      .compose(v -> events.send(ADDRESS, new JsonObject()))
      .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        assertThat(calls.get()).isEqualTo(3);
        ctx.completeNow();
      })));
  }

  @Test
  void anExceptionCountsAsAFailure(Vertx vertx, VertxTestContext ctx) {
    AckedEvents events = new AckedEvents(vertx, 30_000, 1_000);
    AtomicInteger calls = new AtomicInteger();
    AckedEvents.consume(vertx, ADDRESS, event -> {
        if (calls.incrementAndGet() == 1) {
          throw new IllegalStateException("boom");
        }
        return Future.succeededFuture();
      })
      .completion()
      .compose(v -> events.send(ADDRESS, new JsonObject()))
      .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        assertThat(calls.get()).isEqualTo(2);
        ctx.completeNow();
      })));
  }

  @Test
  void anEventNobodyAcknowledgesIsGivenUpWhenItsWindowEnds(Vertx vertx, VertxTestContext ctx) {
    AckedEvents events = new AckedEvents(vertx, 1_000, 200);
    AtomicInteger calls = new AtomicInteger();
    AckedEvents.consume(vertx, ADDRESS, event -> {
        calls.incrementAndGet();
        return Future.failedFuture("never");
      })
      .completion()
      .compose(v -> events.send(ADDRESS, new JsonObject()))
      .onComplete(ctx.failing(err -> ctx.verify(() -> {
        // Retried after 0.25 s and 0.5 s (fewer on a slow machine), then given up: the next pause ends after the window.
        assertThat(calls.get()).isBetween(2, 3);
        ctx.completeNow();
      })));
  }
}
