package dev.skirmish.deploy;

import dev.skirmish.deploy.FafTestSupport.Player;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.skirmish.deploy.FafGameKit.closeAll;
import static dev.skirmish.deploy.FafGameKit.gameInfo;
import static dev.skirmish.deploy.FafGameKit.gpg;
import static dev.skirmish.deploy.FafGameKit.gpgMessage;
import static dev.skirmish.deploy.FafGameKit.host;
import static dev.skirmish.deploy.FafGameKit.hostCommand;
import static dev.skirmish.deploy.FafGameKit.hostOpen;
import static dev.skirmish.deploy.FafGameKit.join;
import static dev.skirmish.deploy.FafGameKit.players;
import static dev.skirmish.deploy.FafGameKit.slot;
import static dev.skirmish.deploy.FafTestSupport.players;
import static dev.skirmish.deploy.FafTestSupport.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

/** FAF custom games over real WebSockets: hosting, joining, the GPGNet state machine, game_info, results and ratings. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class FafGameTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode("GAME_INFO_TICK_MS", "100");

  @Test
  @DisplayName("host, join, peer fan-out, ICE relay, options in game_info, launch, results: both players are re-rated")
  void fullGame(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "ghost", "gjoin", "gthird", "gview").compose(ps -> {
      Player a = ps.get(0);
      Player b = ps.get(1);
      Player c = ps.get(2);
      Player viewer = ps.get(3);
      return host(a, hostCommand("Rated duel")).compose(launch -> {
        ctx.verify(() -> {
          assertThat(launch.getString("mod")).isEqualTo("faf");
          assertThat(launch.getString("name")).isEqualTo("Rated duel");
          assertThat(launch.getJsonArray("args")).isEqualTo(new JsonArray().add("/numgames").add(0));
          assertThat(launch.getString("game_type")).isEqualTo("custom");
          assertThat(launch.getString("rating_type")).isEqualTo("global");
          assertThat(launch.getInteger("init_mode")).isZero();
        });
        long uid = launch.getLong("uid");
        return FafGameKit.openLobby(a).compose(hostGame -> {
          ctx.verify(() -> assertThat(hostGame.getJsonArray("args")).isEqualTo(new JsonArray().add("scmp_007")));
          return viewer.client().inbox().next(gameInfo(uid, "open"), "open game announced");
        }).compose(info -> {
          ctx.verify(() -> {
            assertThat(info.getString("title")).isEqualTo("Rated duel");
            assertThat(info.getString("host")).isEqualTo(a.login());
            assertThat(info.getString("map_file_path")).isEqualTo("maps/scmp_007.zip");
            assertThat(info.getString("visibility")).isEqualTo("public");
            assertThat(info.getBoolean("password_protected")).isFalse();
            assertThat(info.getInteger("max_players")).isEqualTo(12);
            assertThat(info.getString("hosted_at")).isNotNull();
          });
          return join(b, uid, a);
        }).compose(v -> join(c, uid, a).compose(x -> Future.all(
          // the third player and the existing peer connect to each other
          c.client().inbox().next(gpgMessage("ConnectToPeer", b.login(), b.id(), true), "third offers to joiner"),
          b.client().inbox().next(gpgMessage("ConnectToPeer", c.login(), c.id(), false), "joiner answers third"))))
          .compose(v -> {
            a.client().send(gpg("IceMsg", b.id(), new JsonObject().put("type", "offer").put("sdp", "v=0")));
            return b.client().inbox().next(gpgMessage("IceMsg", a.id(), new JsonObject().put("type", "offer").put("sdp", "v=0")),
              "ICE message relayed with the sender's id");
          })
          .compose(v -> {
            // the third player leaves the lobby: the others disconnect from them
            c.client().send(gpg("GameState", "Ended"));
            return Future.all(a.client().inbox().next(gpgMessage("DisconnectFromPeer", c.id()), "host disconnects"),
              b.client().inbox().next(gpgMessage("DisconnectFromPeer", c.id()), "joiner disconnects"));
          })
          .compose(v -> {
            // Neither an outsider nor a player who has left the game reaches the game's players.
            viewer.client().send(gpg("IceMsg", a.id(), "from outside"));
            c.client().send(gpg("IceMsg", a.id(), "from a leaver"));
            return Future.all(roundTrip(viewer.client()), roundTrip(c.client())).compose(x -> {
              b.client().send(gpg("IceMsg", a.id(), "marker"));
              return a.client().inbox().next(gpgMessage("IceMsg", b.id(), "marker"), "marker from a member");
            }).map(x -> {
              ctx.verify(() -> assertThat(a.client().inbox().history().stream()
                .filter(gpgMessage("IceMsg")).map(m -> m.getJsonArray("args").getValue(1)))
                .containsExactly("marker"));
              return x;
            });
          })
          .compose(v -> {
            b.client().send(gpg("GameOption", "Title", "Ignored: not the host"));
            a.client().send(gpg("GameOption", "Title", "Final duel"))
              .send(gpg("GameOption", "ScenarioFile", "/maps/SCMP_009/SCMP_009_scenario.lua"))
              .send(gpg("GameOption", "Slots", 2));
            slot(a, a, 2, 1);
            slot(a, b, 3, 2);
            return viewer.client().inbox().next(gameInfo(uid, "open", m -> "Final duel".equals(m.getString("title"))
              && m.getInteger("num_players") == 2 && "scmp_009".equals(m.getString("mapname"))
              && m.getInteger("max_players") == 2), "options in game_info");
          })
          .compose(info -> {
            ctx.verify(() -> {
              assertThat(info.getJsonObject("teams")).isEqualTo(new JsonObject()
                .put("2", new JsonArray().add(a.login())).put("3", new JsonArray().add(b.login())));
              assertThat(info.getJsonArray("teams_ids")).containsExactlyInAnyOrder(
                new JsonObject().put("team_id", 2).put("player_ids", new JsonArray().add(a.id())),
                new JsonObject().put("team_id", 3).put("player_ids", new JsonArray().add(b.id())));
            });
            a.client().send(gpg("EnforceRating")).send(gpg("GameState", "Launching"));
            return viewer.client().inbox().next(gameInfo(uid, "playing"), "live game announced");
          })
          .compose(live -> {
            ctx.verify(() -> assertThat(live.getLong("launched_at")).isNotNull());
            for (Player p : List.of(a, b)) {
              p.client().send(gpg("GameResult", 1, "victory 10")).send(gpg("GameResult", 2, "defeat -10"))
                .send(gpg("GameEnded"));
            }
            return Future.all(viewer.client().inbox().next(gameInfo(uid, "closed"), "ended game announced"),
              FafTestSupport.awaitAll(viewer.client(), List.of(ratedAbove(a.id(), 1500), ratedBelow(b.id(), 1500)),
                "both new ratings"));
          })
          .compose(v -> NODE.node().database().pool().preparedQuery(
              "SELECT player_id, result, score, after_mean FROM game_player_stats WHERE game_id = $1 ORDER BY player_id")
            .execute(Tuple.of(uid)))
          .map(rows -> {
            ctx.verify(() -> {
              assertThat(rows.size()).isEqualTo(2);
              for (Row r : rows) {
                boolean winner = r.getInteger("player_id") == a.id();
                assertThat(r.getString("result")).isEqualToIgnoringCase(winner ? "victory" : "defeat");
                assertThat(r.getDouble("after_mean")).isNotNull();
              }
            });
            return ps;
          });
      });
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("hosting twice, joining an unknown game, bad fields and a wrong password get clear notices; the connection stays open")
  void errors(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "gerr", "gerj").compose(ps -> {
      Player a = ps.get(0);
      Player b = ps.get(1);
      a.client().send(new JsonObject().put("command", "game_host").put("title", "no visibility"));
      return a.client().expectNotice("error")
        .compose(n -> {
          ctx.verify(() -> assertThat(n.getString("text")).contains("visibility"));
          a.client().send(hostCommand("Caf\u00e9"));
          return a.client().expectNotice("error");
        })
        .compose(n -> {
          ctx.verify(() -> assertThat(n.getString("text")).contains("ASCII"));
          return host(a, hostCommand("Secret").put("password", "Open Sesame"));
        })
        .compose(launch -> {
          a.client().send(hostCommand("Second game"));
          return a.client().expectNotice("error").map(n -> {
            ctx.verify(() -> assertThat(n.getString("text")).startsWith("Can't host a game while in state"));
            return launch.getLong("uid");
          });
        })
        .compose(uid -> FafGameKit.openLobby(a).compose(v -> FafGameKit.sendJoin(b, uid, "open sesame")).compose(n -> {
          ctx.verify(() -> {
            assertThat(n.getString("style")).isEqualTo("info");
            assertThat(n.getString("text")).contains("Bad password");
          });
          return FafGameKit.sendJoin(b, uid + 1000, null);
        }).compose(n -> {
          ctx.verify(() -> assertThat(n.getString("style")).isEqualTo("info"));
          b.client().send(new JsonObject().put("command", "game_join").put("uid", "not a number"));
          return b.client().expectNotice("error");
        }).compose(n -> FafGameKit.sendJoin(b, uid, "Open Sesame")).map(launch -> {
          ctx.verify(() -> assertThat(launch.getString("command")).isEqualTo("game_launch"));
          return uid;
        }))
        .compose(uid -> Future.all(roundTrip(a.client()), roundTrip(b.client())))
        .map(v -> ps);
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("the host's foes neither see nor join the game; friends-only games reach friends only")
  void foesAndFriends(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "gvis", "gfoe", "gfri", "gneu").compose(ps -> {
      Player host = ps.get(0);
      Player foe = ps.get(1);
      Player friend = ps.get(2);
      Player neutral = ps.get(3);
      return FafGameKit.relate(NODE.node(), host, foe, "FOE")
        .compose(v -> FafGameKit.relate(NODE.node(), host, friend, "FRIEND"))
        .compose(v -> hostOpen(host, "No foes"))
        .compose(uid -> neutral.client().inbox().next(gameInfo(uid, "open"), "neutral sees the game")
          .compose(x -> roundTrip(foe.client()))
          .compose(x -> {
            ctx.verify(() -> assertThat(FafGameKit.sawGame(foe, uid)).as("foe saw the game").isFalse());
            return FafGameKit.sendJoin(foe, uid, null);
          })
          .compose(n -> {
            ctx.verify(() -> {
              assertThat(n.getString("style")).isEqualTo("error");
              assertThat(n.getString("text")).contains("cannot join");
            });
            host.client().send(gpg("GameState", "Ended"));
            return neutral.client().inbox().next(gameInfo(uid, "closed"), "game closed");
          }))
        .compose(v -> host(host, hostCommand("Friends only").put("visibility", "friends")))
        .compose(launch -> {
          long uid = launch.getLong("uid");
          return FafGameKit.openLobby(host)
            .compose(x -> friend.client().inbox().next(gameInfo(uid, "open"), "friend sees the game"))
            .compose(x -> roundTrip(neutral.client()))
            .map(x -> {
              ctx.verify(() -> {
                assertThat(FafGameKit.sawGame(neutral, uid)).as("neutral saw a friends-only game").isFalse();
                assertThat(FafGameKit.sawGame(foe, uid)).as("foe saw a friends-only game").isFalse();
              });
              return ps;
            });
        });
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("the host leaving before launch closes the game; everyone in it is idle again")
  void hostLeaves(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "gleave", "gstay").compose(ps -> {
      Player a = ps.get(0);
      Player b = ps.get(1);
      return hostOpen(a, "Short-lived").compose(uid -> join(b, uid, a).compose(v -> {
        a.client().send(gpg("GameState", "Ended"));
        return b.client().inbox().next(gameInfo(uid, "closed"), "closed game");
      })).compose(v -> host(b, hostCommand("Next one"))).map(launch -> ps);
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a game listed at login, and a player who reconnects restores their lobby and live game")
  void restore(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "grh", "grj").compose(ps -> {
      Player a = ps.get(0);
      Player b = ps.get(1);
      return hostOpen(a, "Come back").compose(uid -> join(b, uid, a)
        // Once the tick announced the open game, every gateway's snapshot (the login's game list) has it.
        .compose(v -> b.client().inbox().next(gameInfo(uid, "open"), "the open game announced"))
        .compose(v -> reconnect(vertx, b))
        .compose(b2 -> {
          JsonObject login = b2.client().inbox().history().stream()
            .filter(m -> "game_info".equals(m.getString("command")) && m.containsKey("games")).findFirst().orElseThrow();
          ctx.verify(() -> assertThat(login.getJsonArray("games").stream().map(g -> (JsonObject) g)
            .filter(g -> "game_info".equals(g.getString("command")) && "open".equals(g.getString("state")))
            .map(g -> g.getLong("uid"))).contains(uid));
          b2.client().send(new JsonObject().put("command", "restore_game_session").put("game_id", uid));
          b2.client().send(hostCommand("busy?"));
          return b2.client().expectNotice("error").map(n -> {
            ctx.verify(() -> assertThat(n.getString("text")).isEqualTo("Can't host a game while in state PLAYING."));
            return b2;
          });
        })
        .compose(b2 -> {
          slot(a, a, 2, 1);
          slot(a, b2, 3, 2);
          a.client().send(gpg("GameState", "Launching"));
          return b2.client().inbox().next(gameInfo(uid, "playing"), "live").compose(x -> reconnect(vertx, b2));
        })
        .compose(b3 -> {
          b3.client().send(new JsonObject().put("command", "restore_game_session").put("game_id", uid));
          b3.client().send(hostCommand("busy again?"));
          return b3.client().expectNotice("error").map(n -> {
            ctx.verify(() -> assertThat(n.getString("text")).contains("PLAYING"));
            return List.of(a, b3);
          });
        }));
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a non-participant cannot restore a live game")
  void restoreRefused(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "gnh", "gnj", "gnx").compose(ps -> {
      Player a = ps.get(0);
      Player b = ps.get(1);
      Player outsider = ps.get(2);
      return hostOpen(a, "Closed doors").compose(uid -> join(b, uid, a).compose(v -> {
        slot(a, a, 2, 1);
        slot(a, b, 3, 2);
        a.client().send(gpg("GameState", "Launching"));
        return outsider.client().inbox().next(gameInfo(uid, "playing"), "live");
      }).compose(v -> {
        outsider.client().send(new JsonObject().put("command", "restore_game_session").put("game_id", uid));
        return outsider.client().expectNotice("info");
      })).compose(v -> host(outsider, hostCommand("Still idle"))).map(v -> ps);
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  /** Closes a player's connection and logs them in again on a new one. */
  private static Future<Player> reconnect(Vertx vertx, Player p) {
    return p.client().close().compose(v -> dev.skirmish.common.testing.FafClient.webSocket(vertx, NODE.httpPort()))
      .compose(client -> FafTestSupport.loginFully(client, p.token()).map(v -> p.with(client)));
  }

  static Predicate<JsonObject> ratedAbove(int player, double mean) {
    return m -> players(m).stream().anyMatch(p -> p.getInteger("id") == player
      && p.getJsonObject("ratings").getJsonObject("global").getJsonArray("rating").getDouble(0) > mean);
  }

  static Predicate<JsonObject> ratedBelow(int player, double mean) {
    return m -> players(m).stream().anyMatch(p -> p.getInteger("id") == player
      && p.getJsonObject("ratings").getJsonObject("global").getJsonArray("rating").getDouble(0) < mean);
  }
}
