package dev.skirmish.deploy;

import dev.skirmish.common.Addresses;
import dev.skirmish.deploy.FafTestSupport.Player;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafGameKit.closeAll;
import static dev.skirmish.deploy.FafGameKit.players;
import static dev.skirmish.deploy.FafTestSupport.isNotice;
import static dev.skirmish.deploy.FafTestSupport.roundTrip;
import static dev.skirmish.deploy.MatchmakerKit.broadcast;
import static dev.skirmish.deploy.MatchmakerKit.numPlayers;
import static dev.skirmish.deploy.MatchmakerKit.queue;
import static dev.skirmish.deploy.MatchmakerKit.queuedNow;
import static dev.skirmish.deploy.MatchmakerKit.searchInfos;
import static dev.skirmish.deploy.MatchmakerKit.searchInfo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ready check of a queue over real WebSockets: ladder1v1 gets {@code ready_check} for the time of this
 * class (the shared test database is restored afterwards), pops within 2 s and gives 2 s to accept.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class MatchmakerReadyTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode("MATCHMAKER_POP_MIN_SECONDS", "1", "MATCHMAKER_POP_MAX_SECONDS", "2",
    "MATCHMAKER_READY_SECONDS", "2");

  private static Future<Void> readyCheck(boolean on) {
    return NODE.node().database().pool()
      .query("UPDATE matchmaker_queue SET ready_check = " + on + " WHERE technical_name = 'ladder1v1'").execute()
      .compose(done -> NODE.node().vertx().eventBus().request(Addresses.MATCHMAKER_RELOAD, new JsonObject()))
      .mapEmpty();
  }

  @BeforeAll
  static void enable(VertxTestContext ctx) {
    readyCheck(true).onComplete(ctx.succeedingThenComplete());
  }

  @AfterAll
  static void disable(VertxTestContext ctx) {
    readyCheck(false).onComplete(ctx.succeedingThenComplete());
  }

  private static Future<JsonObject> readyFound(Player p) {
    JsonObject expected = new JsonObject().put("command", "match_found").put("queue_name", "ladder1v1")
      .put("ready_check", true).put("expires_in", 2);
    return p.client().inbox().next(m -> "match_found".equals(m.getString("command")), "match_found")
      .compose(m -> m.equals(expected) ? Future.succeededFuture(m) : Future.failedFuture("unexpected " + m));
  }

  private static void accept(Player p) {
    p.client().send(new JsonObject().put("command", "match_ready"));
  }

  /**
   * Queues both players in ladder1v1 until both got the ready check's match_found, then sends their answers;
   * completes with the first game_launch.
   */
  private static Future<JsonObject> answerReadyCheck(Player a, Player b, Runnable answers) {
    Future<JsonObject> launch = Future.any(a.client().expect("game_launch"), b.client().expect("game_launch"))
      .map(f -> (JsonObject) null);
    return Future.all(queue(a, "ladder1v1"), queue(b, "ladder1v1"))
      .compose(v -> Future.all(readyFound(a), readyFound(b)))
      .compose(v -> {
        answers.run();
        return launch;
      });
  }

  @Test
  @DisplayName("all players send match_ready in time: the game launches, and the wait time is in /metrics with percentiles")
  void allAccept(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "mmready1", "mmready2").compose(ps -> {
      Player a = ps.get(0);
      Player b = ps.get(1);
      return answerReadyCheck(a, b, () -> {
        accept(a);
        accept(b);
      })
        .compose(v -> WebClient.create(vertx).get(NODE.httpPort(), "127.0.0.1", "/metrics").send())
        .map(resp -> {
          List<String> lines = resp.bodyAsString().lines().filter(l -> l.startsWith("skirmish_matchmaker_wait_seconds")
            && l.contains("queue=\"ladder1v1\"")).toList();
          ctx.verify(() -> {
            assertThat(lines).anyMatch(l -> l.contains("quantile=\"0.5\""));
            assertThat(lines).anyMatch(l -> l.contains("quantile=\"0.9\""));
            assertThat(lines).anyMatch(l -> l.contains("quantile=\"0.99\""));
            assertThat(lines).anyMatch(l -> l.startsWith("skirmish_matchmaker_wait_seconds_count"));
          });
          return ps;
        });
    }).compose(ps -> closeAll(ps)).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("is_ready_response counts as acceptance: one player answers match_ready, the other is_ready_response, the game launches")
  void isReadyResponseAccepts(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "mmreadyr1", "mmreadyr2").compose(ps -> {
      Player a = ps.get(0);
      Player b = ps.get(1);
      return answerReadyCheck(a, b, () -> {
        accept(a);
        b.client().send(new JsonObject().put("command", "is_ready_response"));
      })
        .map(v -> {
          ctx.verify(() -> assertThat(b.client().inbox().history()).noneMatch(MatchmakerReadyTest::refusal));
          return ps;
        });
    }).compose(ps -> closeAll(ps)).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("is_ready_response without a pending ready check is accepted silently: no invalid, no error before the pong")
  void isReadyResponseWithoutCheck(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "mmreadyidle").compose(ps -> {
      Player p = ps.get(0);
      int before = p.client().inbox().history().size();
      p.client().send(new JsonObject().put("command", "is_ready_response").put("state", "ready"));
      return roundTrip(p.client()).map(pong -> {
        List<JsonObject> after = p.client().inbox().history();
        List<JsonObject> between = after.subList(before, after.lastIndexOf(pong));
        ctx.verify(() -> assertThat(between).noneMatch(MatchmakerReadyTest::refusal));
        return ps;
      });
    }).compose(ps -> closeAll(ps)).onComplete(ctx.succeedingThenComplete());
  }

  /** An answer refusing a command: {@code invalid} or an error notice. */
  private static boolean refusal(JsonObject m) {
    return "invalid".equals(m.getString("command")) || isNotice(m, "error");
  }

  @Test
  @DisplayName("a player who does not answer in time: match_cancelled to both, the acceptor is re-queued, the other gets a violation;"
    + " the found match and the re-queue are both published as matchmaker_info")
  void oneDoesNotAccept(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "mmreadyok", "mmreadyno").compose(ps -> {
      Player ok = ps.get(0);
      Player no = ps.get(1);
      List<Future<JsonObject>> requeuePublished = new ArrayList<>();
      return Future.all(queue(ok, "ladder1v1"), queue(no, "ladder1v1"))
        .compose(v -> Future.all(readyFound(ok), readyFound(no)))
        .compose(v -> {
          requeuePublished.add(broadcast(no, "ladder1v1", 1));
          accept(ok);
          return Future.all(ok.client().expect("match_cancelled"), no.client().expect("match_cancelled"));
        })
        .compose(cancelled -> {
          ctx.verify(() -> assertThat(cancelled.<JsonObject>resultAt(0))
            .isEqualTo(new JsonObject().put("command", "match_cancelled").putNull("game_id")));
          return Future.all(ok.client().inbox().next(searchInfo("ladder1v1", "start"), "acceptor re-queued"),
            no.client().expect("search_violation"), requeuePublished.get(0));
        })
        .map(v -> {
          ctx.verify(() -> {
            assertThat(no.client().inbox().history().stream().filter(searchInfo("ladder1v1", "start")))
              .as("the player who did not accept is not re-queued").hasSize(1);
            assertThat(ok.client().inbox().history()).noneMatch(m -> "search_violation".equals(m.getString("command")));
            assertThat(ok.client().inbox().history()).noneMatch(m -> "game_launch".equals(m.getString("command")));
            List<JsonObject> seen = no.client().inbox().history();
            int queued = seen.indexOf(seen.stream().filter(searchInfo("ladder1v1", "start")).findFirst().orElseThrow());
            assertThat(seen.subList(queued, seen.size())).as("the found match emptied the queue, published")
              .anyMatch(numPlayers("ladder1v1", 0));
          });
          return ps;
        });
    }).compose(ps -> closeAll(ps)).onComplete(ctx.succeedingThenComplete());
  }

  /**
   * Both players get the ready check; {@code ok} accepts (stored once its pong is back) and then does
   * {@code meanwhile}, {@code no} never answers. Completes once {@code no} has its violation, which comes
   * after the re-queue decision.
   */
  private static Future<JsonObject> acceptThen(Player ok, Player no, java.util.function.Function<Player, Future<?>> meanwhile) {
    return Future.all(queue(ok, "ladder1v1"), queue(no, "ladder1v1"))
      .compose(v -> Future.all(readyFound(ok), readyFound(no)))
      .compose(v -> {
        accept(ok);
        return roundTrip(ok.client());
      })
      .compose(v -> meanwhile.apply(ok))
      .compose(v -> no.client().expect("match_cancelled"))
      .compose(v -> no.client().expect("search_violation"));
  }

  @Test
  @DisplayName("an acceptor who queued in another queue during the ready check is not put back into the first")
  void acceptorSearchingElsewhereIsNotRequeued(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "mmreadyel", "mmreadyen").compose(ps -> {
      Player ok = ps.get(0);
      Player no = ps.get(1);
      return acceptThen(ok, no, p -> queue(p, "tmm2v2"))
        .compose(v -> Future.all(queuedNow(no, "ladder1v1"), queuedNow(ok, "tmm2v2")))
        .map(counts -> {
          ctx.verify(() -> {
            assertThat(counts.<List<Integer>>resultAt(0)).as("ladder1v1").isNotEmpty().containsOnly(0);
            assertThat(counts.<List<Integer>>resultAt(1)).as("tmm2v2 keeps the new search").isNotEmpty().containsOnly(1);
            assertThat(searchInfos(ok, "ladder1v1", "start")).isEqualTo(1);
            assertThat(ok.client().inbox().history()).noneMatch(m -> "search_violation".equals(m.getString("command")));
          });
          return ps;
        });
    }).compose(ps -> closeAll(ps)).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("an acceptor who went offline during the ready check is not re-queued")
  void offlineAcceptorIsNotRequeued(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "mmreadyof", "mmreadyon").compose(ps -> {
      Player ok = ps.get(0);
      Player no = ps.get(1);
      // Offline for the cluster once its session is gone: the others are told with player_info.
      return acceptThen(ok, no, p -> p.client().close().compose(v -> no.client().inbox().next(m ->
          "player_info".equals(m.getString("command")) && m.getJsonArray("players").stream().map(JsonObject.class::cast)
            .anyMatch(info -> ok.login().equals(info.getString("login")) && "offline".equals(info.getString("state"))),
          "player_info with the acceptor offline")))
        .compose(v -> queuedNow(no, "ladder1v1"))
        .map(counts -> {
          ctx.verify(() -> assertThat(counts).isNotEmpty().containsOnly(0));
          return ps;
        });
    }).compose(ps -> closeAll(ps)).onComplete(ctx.succeedingThenComplete());
  }
}
