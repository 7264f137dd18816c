package dev.skirmish.deploy;

import dev.skirmish.common.Addresses;
import dev.skirmish.deploy.FafTestSupport.Player;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafGameKit.closeAll;
import static dev.skirmish.deploy.FafGameKit.players;
import static dev.skirmish.deploy.MatchmakerKit.entry;
import static dev.skirmish.deploy.MatchmakerKit.numPlayers;
import static dev.skirmish.deploy.MatchmakerKit.queue;
import static dev.skirmish.deploy.MatchmakerKit.searchInfo;
import static dev.skirmish.deploy.MatchmakerKit.start;
import static dev.skirmish.deploy.MatchmakerKit.stop;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Matchmaker searches over real WebSockets, without pops (the default timer pops first after 45 s, and the
 * 2v2 queue never holds enough players here): start/stop, matchmaker_info, refusals, disconnects, time-outs.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class MatchmakerQueueTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode();

  @Test
  @DisplayName("start and stop answer search_info; several queues at once; legacy mod names the queue")
  void startStop(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "mmstart").compose(ps -> {
      Player a = ps.get(0);
      return queue(a, "tmm2v2")
        .compose(v -> {
          a.client().send(new JsonObject().put("command", "game_matchmaking").put("state", "start").put("mod", "ladder1v1")
            .put("faction", "aeon"));
          return a.client().inbox().next(searchInfo("ladder1v1", "start"), "ladder start");
        })
        .compose(v -> {
          a.client().send(stop("tmm2v2"));
          return a.client().inbox().next(searchInfo("tmm2v2", "stop"), "tmm stop");
        })
        .compose(v -> {
          a.client().send(stop("ladder1v1"));
          return a.client().inbox().next(searchInfo("ladder1v1", "stop"), "ladder stop");
        })
        .map(v -> ps);
    }).compose(ps -> closeAll(ps)).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("matchmaker_info lists every queue with its players; a disconnect removes the search")
  void infoAndDisconnect(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "mmwatch", "mmleaver").compose(ps -> {
      Player watcher = ps.get(0);
      Player leaver = ps.get(1);
      return queue(leaver, "tmm2v2")
        .compose(v -> {
          watcher.client().send(new JsonObject().put("command", "matchmaker_info"));
          return watcher.client().inbox().next(numPlayers("tmm2v2", 1), "tmm2v2 with one player");
        })
        .compose(info -> {
          JsonObject e = entry(info, "tmm2v2");
          ctx.verify(() -> {
            assertThat(e.getInteger("team_size")).isEqualTo(2);
            assertThat(Instant.parse(e.getString("queue_pop_time"))).isAfter(Instant.now().minusSeconds(5));
            assertThat(e.getDouble("queue_pop_time_delta")).isBetween(0.0, 90.0);
            assertThat(e.getJsonArray("boundary_80s")).hasSize(1);
            assertThat(e.getJsonArray("boundary_75s")).hasSize(1);
            assertThat(entry(info, "ladder1v1")).isNotNull();
            assertThat(entry(info, "ladder1v1").getInteger("team_size")).isEqualTo(1);
          });
          return leaver.client().close();
        })
        .compose(v -> watcher.client().inbox().next(numPlayers("tmm2v2", 0), "tmm2v2 empty after the disconnect"))
        .map(v -> List.of(watcher));
    }).compose(ps -> closeAll(ps)).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a search start and stop reach another player as matchmaker_info without asking")
  void changesAreBroadcast(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "mmbwatch", "mmbsearch").compose(ps -> {
      Player watcher = ps.get(0);
      Player searcher = ps.get(1);
      Future<JsonObject> started = MatchmakerKit.broadcast(watcher, "tmm2v2", 1);
      return queue(searcher, "tmm2v2")
        .compose(v -> started)
        .compose(v -> {
          Future<JsonObject> stopped = MatchmakerKit.broadcast(watcher, "tmm2v2", 0);
          searcher.client().send(stop("tmm2v2"));
          return stopped;
        })
        .map(v -> {
          ctx.verify(() -> assertThat(watcher.client().inbox().history())
            .noneMatch(m -> "search_info".equals(m.getString("command"))));
          return ps;
        });
    }).compose(ps -> closeAll(ps)).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("unknown queue, unknown faction, a member who does not own the party, a party too big: error notices")
  void refusals(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "mmowner", "mmmember").compose(ps -> {
      Player owner = ps.get(0);
      Player member = ps.get(1);
      owner.client().send(start("no_such_queue"));
      return owner.client().expectNotice("error")
        .compose(n -> {
          ctx.verify(() -> assertThat(n.getString("text")).contains("no_such_queue"));
          owner.client().send(start("ladder1v1").put("faction", "cylons"));
          return owner.client().expectNotice("error");
        })
        .compose(n -> MatchmakerKit.party(owner, member))
        .compose(v -> {
          member.client().send(start("tmm2v2"));
          return member.client().expectNotice("error");
        })
        .compose(n -> {
          ctx.verify(() -> assertThat(n.getString("text")).contains("owner"));
          owner.client().send(start("ladder1v1"));
          return owner.client().expectNotice("error");
        })
        .compose(n -> {
          ctx.verify(() -> assertThat(n.getString("text")).contains("2 players"));
          // The whole party queues for 2v2: both members are told.
          owner.client().send(start("tmm2v2"));
          return Future.all(owner.client().inbox().next(searchInfo("tmm2v2", "start"), "owner start"),
            member.client().inbox().next(searchInfo("tmm2v2", "start"), "member start"));
        })
        .compose(v -> {
          owner.client().send(stop("tmm2v2"));
          return Future.all(owner.client().inbox().next(searchInfo("tmm2v2", "stop"), "owner stop"),
            member.client().inbox().next(searchInfo("tmm2v2", "stop"), "member stop"));
        })
        .compose(v -> FafTestSupport.roundTrip(owner.client()))
        .map(v -> {
          ctx.verify(() -> assertThat(owner.client().isClosed()).isFalse());
          return ps;
        });
    }).compose(ps -> closeAll(ps)).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a player in a game cannot queue: the error names the player and the state")
  void busyPlayer(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "mmbusy").compose(ps -> {
      Player a = ps.get(0);
      return FafGameKit.host(a, FafGameKit.hostCommand("busy")).compose(launch -> {
        a.client().send(start("ladder1v1"));
        return a.client().expectNotice("error");
      }).map(n -> {
        ctx.verify(() -> assertThat(n.getString("text")).contains(a.login()));
        return ps;
      });
    }).compose(ps -> closeAll(ps)).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a timed-out player gets search_timeout and an info notice instead of a search")
  void timedOut(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "mmbanned").compose(ps -> {
      Player a = ps.get(0);
      OffsetDateTime until = OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(10);
      return NODE.node().database().pool()
        .preparedQuery("INSERT INTO matchmaker_violation (player_id, count, last_time, banned_until) VALUES ($1, 2, now(), $2)")
        .execute(Tuple.of(a.id(), until))
        .compose(rows -> {
          a.client().send(start("ladder1v1"));
          return a.client().expect("search_timeout");
        })
        .compose(t -> {
          ctx.verify(() -> {
            JsonArray timeouts = t.getJsonArray("timeouts");
            assertThat(timeouts).hasSize(1);
            assertThat(timeouts.getJsonObject(0).getInteger("player")).isEqualTo(a.id());
            assertThat(Instant.parse(timeouts.getJsonObject(0).getString("expires_at"))).isAfter(Instant.now());
          });
          return a.client().expectNotice("info");
        })
        .map(n -> {
          ctx.verify(() -> assertThat(a.client().inbox().history()).noneMatch(searchInfo("ladder1v1", "start")));
          return ps;
        });
    }).compose(ps -> closeAll(ps)).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a failed matchmade game gives its guilty players a violation: a warning, then a time-out")
  void violations(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "mmguilty").compose(ps -> {
      Player a = ps.get(0);
      JsonObject failed = new JsonObject().put("queue", "ladder1v1").put("players", new JsonArray().add(a.id()))
        .put("guilty", new JsonArray().add(a.id()));
      NODE.node().vertx().eventBus().request(Addresses.MATCH_FAILED, failed.copy().put("game", 900_001));
      return a.client().expect("search_violation")
        .compose(v -> {
          ctx.verify(() -> assertThat(v.getInteger("count")).isEqualTo(1));
          return a.client().expectNotice("info");
        })
        .compose(n -> {
          NODE.node().vertx().eventBus().request(Addresses.MATCH_FAILED, failed.copy().put("game", 900_002));
          return a.client().expect("search_violation");
        })
        .compose(v -> {
          ctx.verify(() -> assertThat(v.getInteger("count")).isEqualTo(2));
          return a.client().expectNotice("info");
        })
        .compose(n -> {
          a.client().send(start("ladder1v1"));
          return a.client().expect("search_timeout");
        })
        .map(t -> ps);
    }).compose(ps -> closeAll(ps)).onComplete(ctx.succeedingThenComplete());
  }
}
