package dev.skirmish.gateway;

import dev.skirmish.common.Addresses;
import dev.skirmish.common.TextDelivery;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class NodeTextBatchesTest {

  @Test
  @DisplayName("deliveries made in one event-loop turn go to each node as one message, in order; later ones in the next")
  void onePerNodePerTurn(Vertx vertx, VertxTestContext ctx) {
    List<List<TextDelivery>> toA = new CopyOnWriteArrayList<>();
    List<List<TextDelivery>> toB = new CopyOnWriteArrayList<>();
    vertx.eventBus().<String>consumer(Addresses.gatewayNodeText("a"), m -> toA.add(TextDelivery.decodeAll(m.body())));
    vertx.eventBus().<String>consumer(Addresses.gatewayNodeText("b"), m -> {
      toB.add(TextDelivery.decodeAll(m.body()));
      if (toB.size() == 2) {
        ctx.verify(() -> {
          assertThat(toA).containsExactly(List.of(new TextDelivery("c1", "room", "one"),
            new TextDelivery("c2", null, "two"), new TextDelivery("c1", "room", "three")));
          assertThat(toB).containsExactly(List.of(new TextDelivery("c9", null, "x")),
            List.of(new TextDelivery("c9", null, "later")));
        });
        ctx.completeNow();
      }
    });
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      NodeTextBatches batches = new NodeTextBatches(vertx, context);
      batches.send("a", "c1", "room", "one");
      batches.send("b", "c9", null, "x");
      batches.send("a", "c2", null, "two");
      batches.send("a", "c1", "room", "three");
      vertx.setTimer(50, t -> batches.send("b", "c9", null, "later"));
    });
  }

  @Test
  @DisplayName("a delivery made off the gateway's event loop is sent at once, alone")
  void offTheLoop(Vertx vertx, VertxTestContext ctx) {
    vertx.eventBus().<String>consumer(Addresses.gatewayNodeText("n"), m -> {
      ctx.verify(() -> assertThat(TextDelivery.decodeAll(m.body())).containsExactly(new TextDelivery("c", null, "t")));
      ctx.completeNow();
    });
    NodeTextBatches batches = new NodeTextBatches(vertx, vertx.getOrCreateContext());
    new Thread(() -> batches.send("n", "c", null, "t")).start();
  }
}
