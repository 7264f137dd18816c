package dev.skirmish.deploy;

import dev.skirmish.deploy.OmegaLobbyKit.Player;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.OmegaLobbyKit.lobbyName;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Relays written to other sockets than the one being read, in bursts, with the client sockets flushed once per
 * event-loop turn ({@code WRITE_FLUSH_PER_TURN=true}, the default) and once per message ({@code false}): nothing is
 * held back for good, nothing is reordered.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class FlushPerTurnTest {

  private static final int BURST = 300;

  @RegisterExtension
  static final TestNode PER_TURN = new TestNode();
  @RegisterExtension
  static final TestNode PER_MESSAGE = new TestNode("WRITE_FLUSH_PER_TURN", "false");

  @ParameterizedTest(name = "WRITE_FLUSH_PER_TURN={0}")
  @ValueSource(booleans = {true, false})
  @DisplayName("two peers stream relays to their host at once: the host gets every packet, each sender's in the order sent, and each sender every RELAY_OK in order")
  void burstsArriveWholeAndInOrder(boolean perTurn, Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, (perTurn ? PER_TURN : PER_MESSAGE).node());
    String lobby = lobbyName("burst");
    kit.openLobby(lobby, "fph", "fpa", "fpb").compose(ps -> {
      Player h = ps.get(0);
      Player a = ps.get(1);
      Player b = ps.get(2);
      return kit.relay(a, h, "ICE", new JsonObject().put("warm", 1))
        .compose(v -> kit.relay(b, h, "ICE", new JsonObject().put("warm", 2)))
        .compose(v -> {
          for (int i = 0; i < BURST; i++) {
            for (Player p : List.of(a, b)) {
              p.client.send(new JsonObject().put("opcode", "ICE").put("recipient", h.id)
                .put("payload", new JsonObject().put("seq", i)).put("listener", p.user + "-" + i));
            }
          }
          Map<String, List<Integer>> received = new HashMap<>();
          Future<Void> host = OmegaLobbyKit.times(2 * BURST, () -> h.client.inbox()
            .next(m -> "ICE".equals(m.getString("opcode")), "ICE for the host")
            .map(m -> {
              received.computeIfAbsent(m.getJsonObject("origin").getString("id"), k -> new ArrayList<>())
                .add(m.getJsonObject("payload").getInteger("seq"));
              return null;
            }));
          return Future.all(host, acks(kit, a), acks(kit, b))
            .compose(x -> kit.check(() -> {
              List<Integer> expected = new ArrayList<>();
              for (int i = 0; i < BURST; i++) {
                expected.add(i);
              }
              assertThat(received.get(a.id)).as("what the host got from %s", a.user).isEqualTo(expected);
              assertThat(received.get(b.id)).as("what the host got from %s", b.user).isEqualTo(expected);
            }))
            .compose(x -> kit.quiet(h));
        });
    }).compose(v -> kit.closeAll()).onComplete(ctx.succeedingThenComplete());
  }

  /** {@code p}'s next {@value #BURST} messages are its RELAY_OKs, in the order of its burst. */
  private static Future<Void> acks(OmegaLobbyKit kit, Player p) {
    Future<?> chain = Future.succeededFuture();
    for (int i = 0; i < BURST; i++) {
      String l = p.user + "-" + i;
      chain = chain.compose(v -> kit.next(p, OmegaLobbyKit.packet("RELAY_OK", null, l)));
    }
    return chain.mapEmpty();
  }
}
