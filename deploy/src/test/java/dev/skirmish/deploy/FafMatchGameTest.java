package dev.skirmish.deploy;

import dev.skirmish.common.Addresses;
import dev.skirmish.deploy.FafTestSupport.Player;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafGameKit.gameInfo;
import static dev.skirmish.deploy.FafGameKit.gpg;
import static dev.skirmish.deploy.FafGameKit.gpgMessage;
import static dev.skirmish.deploy.FafGameKit.players;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Matchmade games as the matchmaker starts them ({@link Addresses#GAMES_MATCH}): the host launches first,
 * the guests once the host's lobby is open, a ladder result re-rates on ladder_1v1; a host that never opens
 * the lobby cancels the match and is blamed. Each is announced in game_info from its creation to its end.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class FafMatchGameTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode("GAME_INFO_TICK_MS", "100", "MATCH_HOST_TIMEOUT_SECONDS", "2");

  /** A ladder 1v1 match request of {@code host} and {@code guest}, as the matchmaker sends it. */
  static JsonObject match(Player host, Player guest) {
    return new JsonObject().put("queue", "ladder1v1").put("queueId", 1).put("featuredMod", "ladder1v1")
      .put("ratingType", "ladder_1v1").put("mapname", "SCMP_015").put("title", host.login() + " Vs " + guest.login())
      .put("gameOptions", new JsonObject().put("Share", "ShareUntilDeath"))
      .put("players", new JsonArray()
        .add(new JsonObject().put("id", host.id()).put("login", host.login()).put("team", 2).put("faction", 1).put("startSpot", 1))
        .add(new JsonObject().put("id", guest.id()).put("login", guest.login()).put("team", 3).put("faction", 3).put("startSpot", 2)));
  }

  private static Future<Long> startMatch(JsonObject request) {
    return NODE.node().vertx().eventBus().<JsonObject>request(Addresses.GAMES_MATCH, request)
      .map(reply -> reply.body().getLong("game"));
  }

  /** The game_info fields of the reference, no more, no less. */
  private static final Set<String> GAME_INFO_FIELDS = Set.of("command", "visibility", "password_protected", "uid", "title",
    "state", "game_type", "featured_mod", "sim_mods", "mapname", "map_file_path", "host", "num_players", "max_players",
    "hosted_at", "launched_at", "rating_type", "rating_min", "rating_max", "enforce_rating_range", "teams_ids", "teams");

  /** Both players and an onlooker get the new matchmade game's game_info, closed, with the queue's fields. */
  private static Future<Void> announcedAtCreation(VertxTestContext ctx, long uid, Player host, Player guest, Player onlooker) {
    List<Future<JsonObject>> infos = List.of(host, guest, onlooker).stream()
      .map(p -> p.client().inbox().next(gameInfo(uid, "closed"), "new match's game_info")).toList();
    return Future.all(infos).map(all -> {
      ctx.verify(() -> {
        for (Future<JsonObject> f : infos) {
          JsonObject info = f.result();
          assertThat(info.fieldNames()).containsExactlyInAnyOrderElementsOf(GAME_INFO_FIELDS);
          assertThat(info.getString("game_type")).isEqualTo("matchmaker");
          assertThat(info.getString("rating_type")).isEqualTo("ladder_1v1");
          assertThat(info.getString("featured_mod")).isEqualTo("ladder1v1");
          assertThat(info.getString("mapname")).isEqualTo("scmp_015");
          assertThat(info.getString("map_file_path")).isEqualTo("maps/scmp_015.zip");
          assertThat(info.getInteger("num_players")).isZero();
          assertThat(info.getInteger("max_players")).isEqualTo(2);
          assertThat(info.getString("visibility")).isEqualTo("public");
          assertThat(info.getString("host")).isEqualTo(host.login());
          assertThat(info.getString("title")).isEqualTo(host.login() + " Vs " + guest.login());
          assertThat(info.getValue("hosted_at")).isNull();
          assertThat(info.getValue("launched_at")).isNull();
        }
      });
      return null;
    });
  }

  @Test
  @DisplayName("host launches, guest launches after HostGame with its slot, the game is played and rated on ladder_1v1;"
    + " game_info follows it from its creation (closed, to the players and an onlooker) through open and playing to closed")
  void matchPlayed(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "mh", "mg", "mo").compose(ps -> {
      Player host = ps.get(0);
      Player guest = ps.get(1);
      Player onlooker = ps.get(2);
      JsonObject[] live = new JsonObject[2];
      return startMatch(match(host, guest)).compose(uid -> announcedAtCreation(ctx, uid, host, guest, onlooker)
        .compose(v -> host.client().expect("game_launch")).compose(launch -> {
        ctx.verify(() -> {
          assertThat(launch.getLong("uid")).isEqualTo(uid);
          assertThat(launch.getString("game_type")).isEqualTo("matchmaker");
          assertThat(launch.getString("rating_type")).isEqualTo("ladder_1v1");
          assertThat(launch.getString("mapname")).isEqualTo("scmp_015");
          assertThat(launch.getInteger("expected_players")).isEqualTo(2);
          assertThat(launch.getInteger("team")).isEqualTo(2);
          assertThat(launch.getInteger("map_position")).isEqualTo(1);
          assertThat(launch.getInteger("init_mode")).isEqualTo(1);
          assertThat(launch.getJsonObject("game_options").getString("Share")).isEqualTo("ShareUntilDeath");
          assertThat(guest.client().inbox().history().stream().anyMatch(m -> "game_launch".equals(m.getString("command"))))
            .as("guest launched before the host's lobby").isFalse();
        });
        return FafGameKit.openLobby(host);
      }).compose(v -> Future.all(guest.client().inbox().next(gameInfo(uid, "open"), "open match"),
          onlooker.client().inbox().next(gameInfo(uid, "open"), "open match")))
        .compose(v -> guest.client().expect("game_launch")).compose(launch -> {
        ctx.verify(() -> {
          assertThat(launch.getInteger("faction")).isEqualTo(3);
          assertThat(launch.getInteger("map_position")).isEqualTo(2);
        });
        guest.client().send(new JsonObject().put("command", "game_join").put("uid", uid));
        return guest.client().expectNotice("error");
      }).compose(n -> {
        ctx.verify(() -> assertThat(n.getString("text")).isEqualTo("You can't join a matchmaker game."));
        guest.client().send(gpg("GameState", "Idle")).send(gpg("GameState", "Lobby"));
        return guest.client().inbox().next(gpgMessage("JoinGame", host.login(), host.id()), "JoinGame");
      }).compose(v -> {
        host.client().send(gpg("GameState", "Launching"));
        return Future.all(
          guest.client().inbox().next(gameInfo(uid, "playing", m -> "matchmaker".equals(m.getString("game_type"))), "live match"),
          onlooker.client().inbox().next(gameInfo(uid, "playing"), "live match"));
      }).compose(all -> {
        live[0] = all.resultAt(0);
        live[1] = all.resultAt(1);
        for (Player p : ps) {
          p.client().send(gpg("GameResult", 1, "victory 1")).send(gpg("GameResult", 2, "defeat 0")).send(gpg("GameEnded"));
        }
        return guest.client().inbox().next(m -> FafTestSupport.players(m).stream().anyMatch(p -> p.getInteger("id") == host.id()
          && p.getJsonObject("ratings").getJsonObject("ladder_1v1").getInteger("number_of_games") == 1
          && p.getJsonObject("ratings").getJsonObject("ladder_1v1").getJsonArray("rating").getDouble(0) > 1500),
          "host's new ladder rating");
      }).compose(v -> Future.all(
        guest.client().inbox().next(FafGameKit.after(guest, live[0], gameInfo(uid, "closed")), "ended match"),
        onlooker.client().inbox().next(FafGameKit.after(onlooker, live[1], gameInfo(uid, "closed")), "ended match"))))
        .map(v -> ps);
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a host who never opens the lobby: match_cancelled and the game closed in game_info to both, the host is"
    + " blamed, both can play again")
  void hostTimeout(Vertx vertx, VertxTestContext ctx) {
    Promise<JsonObject> failed = Promise.promise();
    // Watched on its way out, so that the matchmaker still gets the event.
    Handler<DeliveryContext<Object>> watch = d -> {
      if (Addresses.MATCH_FAILED.equals(d.message().address())) {
        failed.tryComplete((JsonObject) d.message().body());
      }
      d.next();
    };
    NODE.node().vertx().eventBus().addOutboundInterceptor(watch);
    players(vertx, NODE.node(), "mth", "mtg").compose(ps -> {
      Player host = ps.get(0);
      Player guest = ps.get(1);
      return startMatch(match(host, guest)).compose(uid -> host.client().expect("game_launch")
        .compose(v -> cancelledBlamingHost(ctx, uid, host, guest, failed.future()))
        // nobody is left in a game: a new match for the same players starts
        .compose(v -> startMatch(match(guest, host)))
        .compose(next -> guest.client().expect("game_launch")))
        .map(v -> ps);
    }).compose(FafGameKit::closeAll).onComplete(ar -> {
      NODE.node().vertx().eventBus().removeOutboundInterceptor(watch);
      if (ar.failed()) {
        ctx.failNow(ar.cause());
      } else {
        ctx.completeNow();
      }
    });
  }

  /**
   * The host of match {@code uid} never opened the lobby: both players get match_cancelled, then game_info closed,
   * and {@code failed} (the matchmaker.match.failed event) blames the host.
   */
  static Future<Void> cancelledBlamingHost(VertxTestContext ctx, long uid, Player host, Player guest, Future<JsonObject> failed) {
    return Future.all(host.client().expect("match_cancelled"), guest.client().expect("match_cancelled"), failed)
      .compose(all -> Future.all(
          host.client().inbox().next(FafGameKit.after(host, all.resultAt(0), gameInfo(uid, "closed")), "cancelled match"),
          guest.client().inbox().next(FafGameKit.after(guest, all.resultAt(1), gameInfo(uid, "closed")), "cancelled match"))
        .map(closed -> all))
      .map(all -> {
        JsonObject cancelled = all.resultAt(0);
        JsonObject event = all.resultAt(2);
        ctx.verify(() -> {
          assertThat(cancelled.getLong("game_id")).isEqualTo(uid);
          assertThat(event.getLong("game")).isEqualTo(uid);
          assertThat(event.getString("queue")).isEqualTo("ladder1v1");
          assertThat(event.getJsonArray("guilty")).isEqualTo(new JsonArray().add(host.id()));
          assertThat(event.getJsonArray("players")).isEqualTo(new JsonArray().add(host.id()).add(guest.id()));
        });
        return null;
      });
  }

  @Test
  @DisplayName("a player already in a game makes the match fail with a conflict, and nobody is left claimed")
  void busyPlayer(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "mbh", "mbg").compose(ps -> {
      Player free = ps.get(0);
      Player busy = ps.get(1);
      return FafGameKit.host(busy, FafGameKit.hostCommand("Busy elsewhere"))
        .compose(v -> startMatch(match(free, busy)).transform(ar -> {
          ctx.verify(() -> {
            assertThat(ar.failed()).isTrue();
            assertThat(((ReplyException) ar.cause()).failureCode()).isEqualTo(409);
          });
          return FafGameKit.host(free, FafGameKit.hostCommand("Still free"));
        }))
        .map(v -> List.of(free, busy));
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }
}
