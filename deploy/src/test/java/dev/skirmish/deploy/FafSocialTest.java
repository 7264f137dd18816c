package dev.skirmish.deploy;

import dev.skirmish.common.testing.FafClient;
import dev.skirmish.deploy.FafTestSupport.Player;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.skirmish.deploy.FafTestSupport.isNotice;
import static dev.skirmish.deploy.FafTestSupport.loginFully;
import static dev.skirmish.deploy.FafTestSupport.players;
import static dev.skirmish.deploy.FafTestSupport.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * FAF friend and foe lists (also for games already hosted), avatars and the deprecated mod vault, over real
 * WebSockets and a real database.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FafSocialTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode("GAME_INFO_TICK_MS", "100");

  @Test
  @DisplayName("friend and foe: add, re-add is a no-op, friend becomes foe, remove; the lists come back at the next login")
  void friendsAndFoes(Vertx vertx, VertxTestContext ctx) {
    FafGameKit.players(vertx, NODE.node(), "me", "pal", "rival").compose(ps -> {
      Player me = ps.get(0);
      Player pal = ps.get(1);
      Player rival = ps.get(2);
      FafClient c = me.client();
      c.send(add("friend", pal.id())).send(add("friend", rival.id()));
      return roundTrip(c)
        .compose(v -> social(me))
        .compose(rows -> {
          ctx.verify(() -> assertThat(rows).isEqualTo(Map.of(pal.id(), "FRIEND", rival.id(), "FRIEND")));
          // Again with the same status: nothing changes.
          c.send(add("friend", pal.id()));
          return roundTrip(c).compose(v -> social(me));
        })
        .compose(rows -> {
          ctx.verify(() -> assertThat(rows).isEqualTo(Map.of(pal.id(), "FRIEND", rival.id(), "FRIEND")));
          // A friend becoming a foe replaces the row.
          c.send(add("foe", rival.id()));
          return roundTrip(c).compose(v -> social(me));
        })
        .compose(rows -> {
          ctx.verify(() -> assertThat(rows).isEqualTo(Map.of(pal.id(), "FRIEND", rival.id(), "FOE")));
          c.send(remove("friend", pal.id()));
          // No key at all: social_add ignores it.
          c.send(command("social_add"));
          return roundTrip(c).compose(v -> social(me));
        })
        .compose(rows -> {
          ctx.verify(() -> {
            assertThat(rows).isEqualTo(Map.of(rival.id(), "FOE"));
            assertThat(c.inbox().history()).noneMatch(m -> isNotice(m, "error"));
          });
          return c.close();
        })
        .compose(v -> FafClient.webSocket(vertx, NODE.httpPort()))
        .compose(again -> loginFully(again, me.token()).compose(v -> again.expect("social")).compose(social -> {
          ctx.verify(() -> {
            assertThat(social.getJsonArray("friends")).isEqualTo(new JsonArray());
            assertThat(social.getJsonArray("foes")).isEqualTo(new JsonArray().add(rival.id()));
          });
          return again.close();
        }))
        .compose(v -> Future.all(pal.client().close(), rival.client().close()));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a host's new foe is sent the hosted game as closed at once, can no longer join it and is not sent it again")
  void newFoeOfHostedGame(Vertx vertx, VertxTestContext ctx) {
    FafGameKit.players(vertx, NODE.node(), "hfh", "hff", "hfo").compose(ps -> {
      Player host = ps.get(0);
      Player foe = ps.get(1);
      Player onlooker = ps.get(2);
      return FafGameKit.hostOpen(host, "Before the feud").compose(uid -> foe.client().inbox()
          .next(FafGameKit.gameInfo(uid, "open"), "open game").compose(open -> {
            host.client().send(add("foe", foe.id()));
            return foe.client().inbox().next(FafGameKit.after(foe, open, FafGameKit.gameInfo(uid, "closed")), "game closed");
          })
          .compose(closed -> {
            ctx.verify(() -> assertThat(closed.getString("title")).isEqualTo("Before the feud"));
            // The error path leaves the game as it is.
            host.client().send(command("social_remove"));
            return host.client().expectNotice("error");
          })
          .compose(n -> FafGameKit.sendJoin(foe, uid, null))
          .compose(refused -> {
            ctx.verify(() -> {
              assertThat(FafTestSupport.isNotice(refused, "error")).as("join refused: %s", refused).isTrue();
              assertThat(refused.getString("text")).isEqualTo("You cannot join games hosted by this player.");
            });
            // A later change of the game reaches the others, not the new foe.
            host.client().send(FafGameKit.gpg("GameOption", "Title", "After the feud"));
            return onlooker.client().inbox().next(FafGameKit.gameInfo(uid, "open",
              m -> "After the feud".equals(m.getString("title"))), "renamed game");
          })
          .compose(renamed -> roundTrip(foe.client()))
          .compose(pong -> {
            ctx.verify(() -> assertThat(foe.client().inbox().history()).noneMatch(
              FafGameKit.gameInfo(uid, "open", m -> "After the feud".equals(m.getString("title")))));
            return FafGameKit.closeAll(ps);
          }));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a host's new friend sees their friends-only game at the next tick; removed again, the game closes for them")
  void newFriendOfHostedGame(Vertx vertx, VertxTestContext ctx) {
    FafGameKit.players(vertx, NODE.node(), "hph", "hpp").compose(ps -> {
      Player host = ps.get(0);
      Player pal = ps.get(1);
      JsonObject friendsOnly = FafGameKit.hostCommand("Friends only").put("visibility", "friends");
      return FafGameKit.host(host, friendsOnly)
        .compose(launch -> FafGameKit.openLobby(host).map(v -> launch.getLong("uid")))
        .compose(uid -> {
          host.client().send(add("friend", pal.id()));
          return pal.client().inbox().next(FafGameKit.gameInfo(uid, "open"), "friends-only game")
            .compose(open -> {
              ctx.verify(() -> assertThat(open.getString("visibility")).isEqualTo("friends"));
              host.client().send(remove("friend", pal.id()));
              return pal.client().inbox().next(FafGameKit.after(pal, open, FafGameKit.gameInfo(uid, "closed")),
                "game closed for a former friend");
            });
        })
        .compose(closed -> FafGameKit.closeAll(ps));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("social_remove without a key, adding oneself, an unknown or malformed id: error notices, the connection stays")
  void socialErrors(Vertx vertx, VertxTestContext ctx) {
    FafGameKit.players(vertx, NODE.node(), "lonely", "other").compose(ps -> {
      Player me = ps.get(0);
      Player other = ps.get(1);
      FafClient c = me.client();
      c.send(add("friend", other.id()));
      return roundTrip(c)
        .compose(v -> {
          c.send(command("social_remove"));
          return c.expectNotice("error");
        })
        .compose(n -> {
          c.send(add("friend", me.id()));
          return c.expectNotice("error");
        })
        .compose(n -> {
          ctx.verify(() -> assertThat(n.getString("text")).contains("yourself"));
          c.send(add("foe", Integer.MAX_VALUE));
          return c.expectNotice("error");
        })
        .compose(n -> {
          c.send(command("social_add").put("foe", "nobody"));
          return c.expectNotice("error");
        })
        .compose(n -> roundTrip(c))
        .compose(pong -> social(me))
        .compose(rows -> {
          ctx.verify(() -> {
            assertThat(c.isClosed()).isFalse();
            // The failed remove took nothing away, and none of the refused adds added anything.
            assertThat(rows).isEqualTo(Map.of(other.id(), "FRIEND"));
          });
          return FafGameKit.closeAll(ps);
        });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("avatar: list the owned, unexpired avatars; select one and everyone sees it; an avatar not owned is ignored")
  void avatars(Vertx vertx, VertxTestContext ctx) {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    String gold = "https://avatars.test/" + tag + "/gold.png";
    String silver = "https://avatars.test/" + tag + "/silver.png";
    String expired = "https://avatars.test/" + tag + "/expired.png";
    String foreign = "https://avatars.test/" + tag + "/foreign.png";
    FafGameKit.players(vertx, NODE.node(), "vain", "viewer").compose(ps -> {
      Player me = ps.get(0);
      Player viewer = ps.get(1);
      FafClient c = me.client();
      return sql("INSERT INTO avatars_list (url, tooltip) VALUES ($1, 'Gold'), ($2, 'Silver'), ($3, 'Old'), ($4, 'Theirs')",
        Tuple.of(gold, silver, expired, foreign))
        .compose(r -> sql("INSERT INTO avatars (user_id, avatar_id, expires_at)"
            + " SELECT $1, id, CASE WHEN url = $3 THEN now() - interval '1 day' END FROM avatars_list"
            + " WHERE url IN ($2, $3, $4)",
          Tuple.of(me.id(), gold, expired, silver)))
        .compose(r -> sql("INSERT INTO avatars (user_id, avatar_id) SELECT $1, id FROM avatars_list WHERE url = $2",
          Tuple.of(viewer.id(), foreign)))
        .compose(r -> {
          c.send(command("avatar").put("action", "list_avatar"));
          return c.expect("avatar");
        })
        .compose(list -> {
          ctx.verify(() -> assertThat(list.getJsonArray("avatarlist")).isEqualTo(new JsonArray()
            .add(new JsonObject().put("url", gold).put("tooltip", "Gold"))
            .add(new JsonObject().put("url", silver).put("tooltip", "Silver"))));
          c.send(select(silver));
          return Future.all(ps.stream().map(p -> p.client().inbox()
            .next(withAvatar(me.id(), silver), "player_info of " + me.id() + " with the silver avatar")).toList());
        })
        .compose(v -> {
          c.send(select(gold));
          return Future.all(ps.stream().map(p -> p.client().inbox()
            .next(withAvatar(me.id(), gold), "player_info of " + me.id() + " with the gold avatar")).toList());
        })
        .compose(v -> selected(me))
        .compose(sel -> {
          ctx.verify(() -> assertThat(sel).containsExactly(gold));
          // Someone else's avatar, and an expired one: ignored, no reply.
          c.send(select(foreign)).send(select(expired));
          return roundTrip(c);
        })
        .compose(pong -> selected(me))
        .compose(sel -> {
          ctx.verify(() -> assertThat(sel).containsExactly(gold));
          // null clears the selection: the sentinel for the viewer, who must have seen nothing in between.
          List<JsonObject> before = viewer.client().inbox().history();
          c.send(select(null));
          return viewer.client().inbox().next(m -> before.stream().noneMatch(b -> b == m) && players(m).stream()
            .anyMatch(p -> p.getInteger("id") == me.id() && !p.containsKey("avatar")), "player_info without avatar");
        })
        .compose(v -> selected(me))
        .compose(sel -> {
          ctx.verify(() -> {
            assertThat(sel).isEmpty();
            List<String> seen = viewer.client().inbox().history().stream().flatMap(m -> players(m).stream())
              .filter(p -> p.getInteger("id") == me.id() && p.containsKey("avatar"))
              .map(p -> p.getJsonObject("avatar").getString("url")).toList();
            assertThat(seen).containsExactly(silver, gold);
          });
          c.send(command("avatar").put("action", "wear"));
          return c.expectNotice("error");
        })
        .compose(n -> roundTrip(c))
        .compose(pong -> FafGameKit.closeAll(ps));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("modvault: start lists the latest visible version of each mod by likes; like counts once; download counts")
  void modvault(Vertx vertx, VertxTestContext ctx) {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    String popularOld = tag + "-pop-1";
    String popular = tag + "-pop-2";
    String popularHidden = tag + "-pop-3";
    String ui = tag + "-ui-1";
    FafGameKit.players(vertx, NODE.node(), "modder", "fan").compose(ps -> {
      Player me = ps.get(0);
      Player fan = ps.get(1);
      FafClient c = me.client();
      return sql("INSERT INTO mod (display_name, author) VALUES ('Popular " + tag + "', 'Alice'), ('Hud " + tag + "', 'Bob')"
        + " RETURNING id", Tuple.tuple())
        .compose(ids -> {
          List<Integer> modIds = new ArrayList<>();
          ids.forEach(r -> modIds.add(r.getInteger("id")));
          int pop = modIds.get(0);
          int hud = modIds.get(1);
          return sql("INSERT INTO mod_version (mod_id, uid, type, description, version, filename, icon, hidden, create_time)"
              + " VALUES ($1, $3, 'SIM', 'old', 1, 'mods/pop.v0001.zip', NULL, false, '2019-01-01T00:00:00Z'),"
              + " ($1, $4, 'SIM', 'Makes units popular', 2, 'mods/pop.v0002.zip', 'icons/pop.png', false, '2020-01-02T03:04:05Z'),"
              + " ($1, $5, 'SIM', 'unreleased', 3, 'mods/pop.v0003.zip', NULL, true, '2021-01-01T00:00:00Z'),"
              + " ($2, $6, 'UI', NULL, 1, 'mods/hud.v0001.zip', NULL, false, '2022-01-01T00:00:00Z')",
              Tuple.of(pop, hud, popularOld, popular, popularHidden, ui))
            .compose(r -> sql("INSERT INTO mod_stats (mod_id, likes, downloads, times_played) VALUES ($1, 1000000, 7, 42)",
              Tuple.of(pop)));
        })
        .compose(r -> {
          c.send(command("modvault").put("type", "start"));
          return roundTrip(c);
        })
        .compose(pong -> {
          List<JsonObject> infos = c.inbox().history().stream()
            .filter(m -> "modvault_info".equals(m.getString("command"))).toList();
          ctx.verify(() -> {
            assertThat(infos).hasSizeLessThanOrEqualTo(100);
            List<String> uids = infos.stream().map(m -> m.getString("uid")).toList();
            assertThat(uids).contains(popular, ui).doesNotContain(popularOld, popularHidden);
            assertThat(uids.get(0)).as("most liked first").isEqualTo(popular);
            List<Integer> likes = infos.stream().map(m -> m.getInteger("likes")).toList();
            assertThat(likes).isSortedAccordingTo((a, b) -> Integer.compare(b, a));
            assertThat(infos.get(0)).isEqualTo(new JsonObject()
              .put("command", "modvault_info")
              .put("thumbnail", "icons/pop.png")
              .put("link", "mods/pop.v0002.zip")
              .put("bugreports", new JsonArray())
              .put("comments", new JsonArray())
              .put("description", "Makes units popular")
              .put("played", 42)
              .put("likes", 1000000)
              .put("downloads", 7)
              .put("date", 1577934245L)
              .put("uid", popular)
              .put("name", "Popular " + tag)
              .put("version", 2)
              .put("author", "Alice")
              .put("ui", false));
            JsonObject hud = infos.stream().filter(m -> ui.equals(m.getString("uid"))).findFirst().orElseThrow();
            assertThat(hud.getBoolean("ui")).isTrue();
            assertThat(hud.getInteger("likes")).isZero();
            assertThat(hud.getString("thumbnail")).isEmpty();
          });
          c.send(command("modvault").put("type", "like").put("uid", ui));
          return c.inbox().next(m -> "modvault_info".equals(m.getString("command")) && ui.equals(m.getString("uid"))
            && m.getInteger("likes") == 1, "modvault_info after the first like");
        })
        .compose(liked -> {
          // Liking again: no reply, not counted.
          c.send(command("modvault").put("type", "like").put("uid", ui));
          return roundTrip(c);
        })
        .compose(pong -> {
          fan.client().send(command("modvault").put("type", "like").put("uid", ui));
          return fan.client().expect("modvault_info");
        })
        .compose(liked -> {
          ctx.verify(() -> assertThat(liked.getInteger("likes")).isEqualTo(2));
          c.send(command("modvault").put("type", "download").put("uid", popular));
          c.send(command("modvault").put("type", "download").put("uid", ui));
          return roundTrip(c);
        })
        .compose(pong -> sql("SELECT v.uid, s.likes, s.likers, s.downloads FROM mod_stats s"
          + " JOIN mod_version v ON v.mod_id = s.mod_id WHERE v.uid IN ($1, $2)", Tuple.of(popular, ui)))
        .compose(rows -> {
          Map<String, Row> byUid = new TreeMap<>();
          rows.forEach(r -> byUid.put(r.getString("uid"), r));
          ctx.verify(() -> {
            assertThat(byUid.get(ui).getInteger("likes")).isEqualTo(2);
            assertThat(Arrays.asList(byUid.get(ui).getArrayOfIntegers("likers"))).containsExactly(me.id(), fan.id());
            assertThat(byUid.get(ui).getInteger("downloads")).isEqualTo(1);
            assertThat(byUid.get(popular).getInteger("downloads")).isEqualTo(8);
            assertThat(byUid.get(popular).getInteger("likes")).isEqualTo(1000000);
            long likeReplies = c.inbox().history().stream()
              .filter(m -> "modvault_info".equals(m.getString("command")) && ui.equals(m.getString("uid"))).count();
            // One from start, one from the first like; the second like and the downloads answered nothing.
            assertThat(likeReplies).isEqualTo(2);
          });
          c.send(command("modvault").put("type", "comment").put("uid", ui));
          return c.expectNotice("error");
        })
        .compose(n -> {
          c.send(command("modvault").put("type", "like").put("uid", tag + "-missing"));
          return c.expectNotice("error");
        })
        .compose(n -> roundTrip(c))
        .compose(pong -> FafGameKit.closeAll(ps));
    }).onComplete(ctx.succeedingThenComplete());
  }

  // ---- helpers ---------------------------------------------------------------------------------------



  private static Future<RowSet<Row>> sql(String sql, Tuple args) {
    return NODE.node().database().pool().preparedQuery(sql).execute(args);
  }

  /** The caller's friends_and_foes rows: subject id → status. */
  private static Future<Map<Integer, String>> social(Player p) {
    return sql("SELECT subject_id, status FROM friends_and_foes WHERE user_id = $1", Tuple.of(p.id())).map(rows -> {
      Map<Integer, String> m = new TreeMap<>();
      rows.forEach(r -> m.put(r.getInteger("subject_id"), r.getString("status")));
      return m;
    });
  }

  /** The urls of the player's selected avatars. */
  private static Future<List<String>> selected(Player p) {
    return sql("SELECT al.url FROM avatars av JOIN avatars_list al ON al.id = av.avatar_id"
      + " WHERE av.user_id = $1 AND av.selected", Tuple.of(p.id())).map(rows -> {
        List<String> urls = new ArrayList<>();
        rows.forEach(r -> urls.add(r.getString("url")));
        return urls;
      });
  }

  private static Predicate<JsonObject> withAvatar(int playerId, String url) {
    return m -> players(m).stream().anyMatch(p -> p.getInteger("id") == playerId && p.getJsonObject("avatar") != null
      && url.equals(p.getJsonObject("avatar").getString("url")));
  }

  private static JsonObject command(String name) {
    return new JsonObject().put("command", name);
  }

  private static JsonObject add(String key, int id) {
    return command("social_add").put(key, id);
  }

  private static JsonObject remove(String key, int id) {
    return command("social_remove").put(key, id);
  }

  private static JsonObject select(String url) {
    return command("avatar").put("action", "select").put("avatar", url);
  }
}
