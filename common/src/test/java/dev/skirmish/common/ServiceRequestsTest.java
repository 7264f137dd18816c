package dev.skirmish.common;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class ServiceRequestsTest {

  private static final String ADDRESS = "test.service";

  @Test
  void aRequestNobodyCouldTakeReachesTheServiceOnceItListens(Vertx vertx, VertxTestContext ctx) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(20_000);
    var answered = ServiceRequests.request(vertx, ADDRESS, new JsonObject().put("n", 1), options);
    // The consumer registers only once the first attempt found none.
    vertx.setTimer(300, t -> vertx.eventBus().<JsonObject>consumer(ADDRESS, m -> m.reply(m.body().copy().put("ok", true))));
    answered.onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
      assertThat(reply.body().getBoolean("ok")).isTrue();
      ctx.completeNow();
    })));
  }

  @Test
  void aHandlersFailureIsNotSentAgain(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger calls = new AtomicInteger();
    vertx.eventBus().<JsonObject>consumer(ADDRESS, m -> {
      calls.incrementAndGet();
      m.fail(Failures.INTERNAL, "refused");
    }).completion()
      .compose(v -> ServiceRequests.request(vertx, ADDRESS, new JsonObject(), new DeliveryOptions().setSendTimeout(5_000)))
      .onComplete(ctx.failing(err -> ctx.verify(() -> {
        assertThat(((ReplyException) err).failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
        assertThat(calls.get()).isEqualTo(1);
        ctx.completeNow();
      })));
  }

  @Test
  void aServiceThatNeverAppearsFailsWithinTheSendTimeout(Vertx vertx, VertxTestContext ctx) {
    ServiceRequests.request(vertx, ADDRESS + ".none", new JsonObject(), new DeliveryOptions().setSendTimeout(800))
      .onComplete(ctx.failing(err -> ctx.verify(() -> {
        assertThat(((ReplyException) err).failureType()).isEqualTo(ReplyFailure.NO_HANDLERS);
        ctx.completeNow();
      })));
  }

  @Test
  void aRepeatableRequestThatTimedOutIsSentOnceMore(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger calls = new AtomicInteger();
    vertx.eventBus().<JsonObject>consumer(ADDRESS, m -> {
      // The first copy is lost, as on a node that died after it was written to it.
      if (calls.incrementAndGet() > 1) {
        m.reply(new JsonObject());
      }
    }).completion()
      .compose(v -> ServiceRequests.request(vertx, ADDRESS, new JsonObject(), new DeliveryOptions().setSendTimeout(500), true))
      .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
        assertThat(calls.get()).isEqualTo(2);
        ctx.completeNow();
      })));
  }

  @Test
  void aRequestThatTimedOutIsNotRepeatedUnlessMarked(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger calls = new AtomicInteger();
    vertx.eventBus().<JsonObject>consumer(ADDRESS, m -> calls.incrementAndGet()).completion()
      .compose(v -> ServiceRequests.request(vertx, ADDRESS, new JsonObject(), new DeliveryOptions().setSendTimeout(500)))
      .onComplete(ctx.failing(err -> ctx.verify(() -> {
        assertThat(((ReplyException) err).failureType()).isEqualTo(ReplyFailure.TIMEOUT);
        assertThat(calls.get()).isEqualTo(1);
        ctx.completeNow();
      })));
  }
}
