package dev.skirmish.deploy;

import dev.skirmish.deploy.FafTestSupport.Player;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafGameKit.closeAll;
import static dev.skirmish.deploy.FafGameKit.gpg;
import static dev.skirmish.deploy.FafGameKit.gpgMessage;
import static dev.skirmish.deploy.FafGameKit.players;
import static dev.skirmish.deploy.MatchmakerKit.numPlayers;
import static dev.skirmish.deploy.MatchmakerKit.queue;
import static dev.skirmish.deploy.MatchmakerKit.searchInfo;
import static org.assertj.core.api.Assertions.assertThat;

/** Matchmaker pops over real WebSockets, with a queue timer of at most 2 s. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class MatchmakerPopTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode("MATCHMAKER_POP_MIN_SECONDS", "1", "MATCHMAKER_POP_MAX_SECONDS", "2");

  private static Future<JsonObject> matchFound(Player p) {
    return p.client().inbox().next(m -> "match_found".equals(m.getString("command")), "match_found");
  }

  @Test
  @DisplayName("two players in ladder1v1 are matched: match_found, and their other searches stop")
  void matchFound(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "mmpopa", "mmpopb").compose(ps -> {
      Player a = ps.get(0);
      Player b = ps.get(1);
      return Future.all(queue(a, "tmm2v2"), queue(b, "tmm2v2"))
        .compose(v -> Future.all(queue(a, "ladder1v1"), queue(b, "ladder1v1")))
        .compose(v -> Future.all(matchFound(a), matchFound(b)))
        .compose(found -> {
          ctx.verify(() -> {
            assertThat(found.<JsonObject>resultAt(0)).isEqualTo(new JsonObject().put("command", "match_found").put("queue_name", "ladder1v1"));
            assertThat(found.<JsonObject>resultAt(1).getString("queue_name")).isEqualTo("ladder1v1");
          });
          return Future.all(a.client().inbox().next(searchInfo("tmm2v2", "stop"), "a's 2v2 search cancelled"),
            b.client().inbox().next(searchInfo("tmm2v2", "stop"), "b's 2v2 search cancelled"));
        })
        .compose(v -> {
          a.client().send(new JsonObject().put("command", "matchmaker_info"));
          return a.client().inbox().next(numPlayers("ladder1v1", 0).and(numPlayers("tmm2v2", 0)), "empty queues");
        })
        .compose(v -> WebClient.create(vertx).get(NODE.httpPort(), "127.0.0.1", "/metrics").send())
        .map(resp -> {
          String body = resp.bodyAsString();
          ctx.verify(() -> {
            assertThat(body).containsPattern("skirmish_matchmaker_matches_total\\{[^}]*queue=\"ladder1v1\"");
            assertThat(body).containsPattern("skirmish_matchmaker_queue_players\\{[^}]*queue=\"tmm2v2\"");
            assertThat(body).containsPattern("skirmish_matchmaker_pop_seconds_count\\{[^}]*queue=\"ladder1v1\"");
          });
          return ps;
        });
    }).compose(ps -> closeAll(ps)).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("ladder1v1: a match launches a game (host first, then guest), the game is played and both are re-rated on ladder_1v1")
  void matchPlayedAndRated(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "mmlaunch1", "mmlaunch2").compose(ps -> {
      Player a = ps.get(0);
      Player b = ps.get(1);
      Promise<Player> hostKnown = Promise.promise();
      List<Future<JsonObject>> launches = ps.stream().map(p -> p.client().expect("game_launch").onSuccess(launch -> {
        if (hostKnown.tryComplete(p)) {
          FafGameKit.openLobby(p);
        }
      })).toList();
      return Future.all(queue(a, "ladder1v1"), queue(b, "ladder1v1"))
        .compose(v -> Future.all(launches))
        .compose(all -> {
          Player host = hostKnown.future().result();
          Player guest = host == a ? b : a;
          JsonObject hostLaunch = launches.get(ps.indexOf(host)).result();
          JsonObject guestLaunch = launches.get(ps.indexOf(guest)).result();
          ctx.verify(() -> {
            for (JsonObject launch : List.of(hostLaunch, guestLaunch)) {
              assertThat(launch.getString("mod")).isEqualTo("ladder1v1");
              assertThat(launch.getString("game_type")).isEqualTo("matchmaker");
              assertThat(launch.getString("rating_type")).isEqualTo("ladder_1v1");
              assertThat(launch.getString("mapname")).isNotBlank();
              assertThat(launch.getInteger("expected_players")).isEqualTo(2);
              assertThat(launch.getValue("uid")).isEqualTo(hostLaunch.getValue("uid"));
            }
            assertThat(hostLaunch.getInteger("map_position")).isNotEqualTo(guestLaunch.getInteger("map_position"));
          });
          guest.client().send(gpg("GameState", "Idle")).send(gpg("GameState", "Lobby"));
          return guest.client().inbox().next(gpgMessage("JoinGame", host.login(), host.id()), "guest joins the host")
            .compose(v -> {
              host.client().send(gpg("GameState", "Launching"));
              int hostArmy = hostLaunch.getInteger("map_position");
              int guestArmy = guestLaunch.getInteger("map_position");
              for (Player p : ps) {
                p.client().send(gpg("GameResult", hostArmy, "victory 1")).send(gpg("GameResult", guestArmy, "defeat 0"))
                  .send(gpg("GameEnded"));
              }
              return Future.all(ladderGames(guest, host.id()), ladderGames(host, guest.id()));
            });
        })
        .map(v -> ps);
    }).compose(ps -> closeAll(ps)).onComplete(ctx.succeedingThenComplete());
  }

  /** A player_info seen by {@code viewer} in which {@code player} has one ladder_1v1 game. */
  private static Future<JsonObject> ladderGames(Player viewer, int player) {
    return viewer.client().inbox().next(m -> FafTestSupport.players(m).stream().anyMatch(p -> p.getInteger("id") == player
      && p.getJsonObject("ratings").getJsonObject("ladder_1v1").getInteger("number_of_games") == 1), "ladder rating of " + player);
  }
}
