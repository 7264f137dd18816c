package dev.skirmish.deploy;

import dev.skirmish.deploy.FafTestSupport.Player;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafGameKit.gpg;
import static dev.skirmish.deploy.FafGameKit.gpgMessage;
import static dev.skirmish.deploy.FafGameKit.host;
import static dev.skirmish.deploy.FafGameKit.hostCommand;
import static dev.skirmish.deploy.FafGameKit.hostOpen;
import static dev.skirmish.deploy.FafGameKit.join;
import static dev.skirmish.deploy.FafGameKit.players;
import static dev.skirmish.deploy.FafGameKit.relate;
import static dev.skirmish.deploy.FafGameKit.sendJoin;
import static dev.skirmish.deploy.FafTestSupport.isNotice;
import static dev.skirmish.deploy.FafTestSupport.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may enter a FAF game, over real WebSockets: {@code game_join} and {@code restore_game_session} apply the
 * same rule (friends-only visibility, the host's foes, an enforced rating range, the password, the game's
 * state), a joiner's game that reports Idle is checked again, and a restore re-attaches only a player who was in
 * the game or could join it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class FafGameAccessTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode("GAME_INFO_TICK_MS", "100");

  private static JsonObject restore(long uid) {
    return new JsonObject().put("command", "restore_game_session").put("game_id", uid);
  }

  /** The player is idle: a game_host gets its game_launch (a busy player gets "Can't host a game ..."). */
  private static Future<Void> stillIdle(Player p, String title) {
    return host(p, hostCommand(title)).mapEmpty();
  }

  @Test
  @DisplayName("a friends-only game refuses game_join by uid from a stranger and accepts the host's friend")
  void friendsOnlyJoin(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "afh", "aff", "afs").compose(ps -> {
      Player a = ps.get(0);
      Player friend = ps.get(1);
      Player stranger = ps.get(2);
      return relate(NODE.node(), a, friend, "FRIEND")
        .compose(v -> hostOpen(a, hostCommand("Friends only").put("visibility", "friends")))
        .compose(uid -> sendJoin(stranger, uid, null).compose(refused -> {
          ctx.verify(() -> {
            assertThat(refused.getString("command")).isEqualTo("notice");
            assertThat(refused.getString("style")).isEqualTo("error");
            assertThat(refused.getString("text")).contains("friends");
          });
          return sendJoin(friend, uid, null);
        }))
        .compose(accepted -> {
          ctx.verify(() -> assertThat(accepted.getString("command")).isEqualTo("game_launch"));
          return stillIdle(stranger, "Stranger's own");
        })
        .map(v -> ps);
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("an enforced rating range refuses game_join from a player outside it; an unenforced one does not")
  void ratingRangeJoin(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "arh", "arj", "aro", "ark").compose(ps -> {
      Player a = ps.get(0);
      Player low = ps.get(1);
      Player open = ps.get(2);
      Player okJoiner = ps.get(3);
      // A new player's displayed rating is 1500 - 3 * 500 = 0.
      return hostOpen(a, hostCommand("High only").put("rating_min", 1000.0).put("enforce_rating_range", true))
        .compose(uid -> sendJoin(low, uid, null))
        .compose(refused -> {
          ctx.verify(() -> {
            assertThat(refused.getString("command")).isEqualTo("notice");
            assertThat(refused.getString("style")).isEqualTo("error");
            assertThat(refused.getString("text")).contains("rating");
          });
          return hostOpen(open, hostCommand("Advisory range").put("rating_min", 1000.0));
        })
        .compose(uid -> sendJoin(okJoiner, uid, null))
        .map(accepted -> {
          ctx.verify(() -> assertThat(accepted.getString("command")).isEqualTo("game_launch"));
          return ps;
        });
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a password game refuses game_join without or with a wrong password and accepts the right one")
  void passwordJoin(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "aph", "apj").compose(ps -> {
      Player a = ps.get(0);
      Player b = ps.get(1);
      return hostOpen(a, hostCommand("Locked").put("password", "Secret"))
        .compose(uid -> sendJoin(b, uid, null).compose(none -> sendJoin(b, uid, "secret").compose(wrong -> {
          ctx.verify(() -> {
            for (JsonObject refused : List.of(none, wrong)) {
              assertThat(refused.getString("command")).isEqualTo("notice");
              assertThat(refused.getString("text")).isEqualTo("Bad password (it's case sensitive).");
            }
          });
          return sendJoin(b, uid, "Secret");
        })))
        .map(accepted -> {
          ctx.verify(() -> assertThat(accepted.getString("command")).isEqualTo("game_launch"));
          return ps;
        });
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("restore_game_session of a lobby the player was never in and may not join: 'You are not part of this game'")
  void restoreStrangerRefused(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "ash", "ass", "asf", "asp").compose(ps -> {
      Player a = ps.get(0);
      Player stranger = ps.get(1);
      Player friendsHost = ps.get(2);
      Player passwordHost = ps.get(3);
      Future<Long> open = hostOpen(a, "Open doors");
      Future<Long> friends = open.compose(x -> hostOpen(friendsHost, hostCommand("Friends").put("visibility", "friends")));
      Future<Long> locked = friends.compose(x -> hostOpen(passwordHost, hostCommand("Locked").put("password", "pw")));
      return locked.compose(x -> {
        for (long uid : List.of(friends.result(), locked.result())) {
          stranger.client().send(restore(uid));
        }
        return roundTrip(stranger.client());
      }).compose(pong -> {
        List<JsonObject> notices = stranger.client().inbox().history().stream()
          .filter(m -> "notice".equals(m.getString("command"))).toList();
        ctx.verify(() -> assertThat(notices).extracting(n -> n.getString("style") + ": " + n.getString("text"))
          .containsExactly("info: You are not part of this game", "info: You are not part of this game"));
        // A public lobby without a password is one the stranger could join: restore places them in it.
        stranger.client().send(restore(open.result()));
        stranger.client().send(hostCommand("busy?"));
        return stranger.client().expectNotice("error");
      }).map(busy -> {
        ctx.verify(() -> assertThat(busy.getString("text")).startsWith("Can't host a game while in state"));
        return ps;
      });
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("restore_game_session of a game hidden from the player leaves them idle")
  void restoreHiddenLeavesIdle(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "aih", "ais").compose(ps -> {
      Player a = ps.get(0);
      Player stranger = ps.get(1);
      return hostOpen(a, hostCommand("Hidden").put("visibility", "friends")).compose(uid -> {
        stranger.client().send(restore(uid));
        return stranger.client().expectNotice("info");
      }).compose(notice -> {
        ctx.verify(() -> assertThat(notice.getString("text")).isEqualTo("You are not part of this game"));
        return stillIdle(stranger, "Idle after all");
      }).map(v -> ps);
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a joiner the host makes a foe after game_join is refused when their game reports Idle: error notice, kill notice, idle again; the host never connects to them")
  void foeBeforeIdleRefused(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "aqh", "aqf", "aqo").compose(ps -> {
      Player a = ps.get(0);
      Player foe = ps.get(1);
      Player other = ps.get(2);
      return hostOpen(a, "Change of heart").compose(uid -> sendJoin(foe, uid, null)
        .compose(launch -> {
          ctx.verify(() -> assertThat(launch.getString("command")).isEqualTo("game_launch"));
          a.client().send(new JsonObject().put("command", "social_add").put("foe", foe.id()));
          // The host's commands are handled in order: after the pong the host's game knows the new foe.
          return roundTrip(a.client());
        })
        .compose(pong -> {
          foe.client().send(gpg("GameState", "Idle")).send(gpg("GameState", "Lobby"));
          return foe.client().inbox().next(m -> isNotice(m, "error") || gpgMessage("JoinGame").test(m),
            "a refusal or JoinGame");
        })
        .compose(first -> {
          ctx.verify(() -> {
            assertThat(first.getString("command")).isEqualTo("notice");
            assertThat(first.getString("text")).isEqualTo("You cannot join games hosted by this player.");
          });
          return foe.client().expectNotice("kill");
        })
        // Free again: the refused joiner can host a game of their own.
        .compose(kill -> stillIdle(foe, "Foe's own game"))
        // The game itself is unharmed: another player joins and connects to the host.
        .compose(v -> join(other, uid, a))
        .map(v -> {
          ctx.verify(() -> {
            assertThat(a.client().inbox().history()).noneMatch(gpgMessage("ConnectToPeer", foe.login(), foe.id(), true));
            assertThat(foe.client().inbox().history()).noneMatch(gpgMessage("JoinGame"));
          });
          return ps;
        }));
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }
}
