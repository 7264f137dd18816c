package dev.skirmish.deploy;

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

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.skirmish.deploy.FafTestSupport.account;
import static dev.skirmish.deploy.FafTestSupport.isNotice;
import static dev.skirmish.deploy.FafTestSupport.offline;
import static dev.skirmish.deploy.FafTestSupport.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * FAF admin commands over real WebSockets: each with the permission (granted through the seeded groups) and
 * without it (a silent no-op: the caller's round trip completes, the target receives nothing).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FafAdminTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode();

  @Test
  @DisplayName("closeFA: an admin's sends the target a kill notice and keeps it connected; anyone else's does nothing")
  void closeFa(Vertx vertx, VertxTestContext ctx) {
    FafGameKit.players(vertx, NODE.node(), "admin", "user", "target").compose(ps -> {
      Player admin = ps.get(0);
      Player user = ps.get(1);
      Player target = ps.get(2);
      return grant(admin, "faf_server_administrators")
        .compose(v -> {
          user.client().send(admin("closeFA").put("user_id", target.id()));
          return roundTrip(user.client());
        })
        .compose(pong -> {
          admin.client().send(admin("closeFA").put("user_id", target.id()));
          return target.client().expectNotice("kill");
        })
        .compose(kill -> roundTrip(target.client()))
        .compose(pong -> {
          ctx.verify(() -> {
            assertThat(target.client().isClosed()).isFalse();
            assertThat(target.client().inbox().history().stream().filter(m -> isNotice(m, "kill"))).hasSize(1);
            assertThat(user.client().inbox().history()).noneMatch(m -> "notice".equals(m.getString("command")));
          });
          return FafGameKit.closeAll(ps);
        });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("closelobby: an admin's kicks and disconnects the target; a player without the permission changes nothing")
  void closeLobby(Vertx vertx, VertxTestContext ctx) {
    FafGameKit.players(vertx, NODE.node(), "admin", "user", "target").compose(ps -> {
      Player admin = ps.get(0);
      Player user = ps.get(1);
      Player target = ps.get(2);
      return grant(admin, "faf_server_administrators")
        .compose(v -> {
          user.client().send(admin("closelobby").put("user_id", target.id()));
          return roundTrip(user.client());
        })
        .compose(pong -> roundTrip(target.client()))
        .compose(pong -> {
          ctx.verify(() -> assertThat(target.client().inbox().history()).noneMatch(m -> isNotice(m, "kick")));
          admin.client().send(admin("closelobby").put("user_id", target.id()));
          return target.client().expectNotice("kick");
        })
        .compose(kick -> target.client().expectClosed())
        .compose(v -> admin.client().inbox().next(offline(target.id()), "target offline"))
        .compose(v -> roundTrip(admin.client()))
        .compose(pong -> Future.all(admin.client().close(), user.client().close()));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("broadcast: an admin's reaches everyone as an info notice; blank, unpermitted and moderator broadcasts do not")
  void broadcast(Vertx vertx, VertxTestContext ctx) {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    FafGameKit.players(vertx, NODE.node(), "admin", "mod", "user").compose(ps -> {
      Player admin = ps.get(0);
      Player moderator = ps.get(1);
      Player user = ps.get(2);
      Predicate<JsonObject> real = m -> isNotice(m, "info") && ("Maintenance " + tag).equals(m.getString("text"));
      return grant(admin, "faf_server_administrators")
        .compose(v -> grant(moderator, "faf_moderators_global"))
        .compose(v -> {
          user.client().send(admin("broadcast").put("message", "from a user " + tag));
          moderator.client().send(admin("broadcast").put("message", "from a moderator " + tag));
          admin.client().send(admin("broadcast").put("message", "   "));
          return Future.all(roundTrip(user.client()), roundTrip(moderator.client()), roundTrip(admin.client()));
        })
        .compose(v -> {
          admin.client().send(admin("broadcast").put("message", "Maintenance " + tag));
          return Future.all(ps.stream().map(p -> p.client().inbox().next(real, "the admin's broadcast")).toList());
        })
        .compose(v -> {
          ctx.verify(() -> {
            for (Player p : ps) {
              // The admin's broadcast is the only info notice anyone received since login.
              assertThat(p.client().inbox().history().stream().filter(m -> isNotice(m, "info")).toList())
                .as("info notices of %s", p.login()).singleElement().matches(real);
            }
          });
          admin.client().send(admin("broadcast").put("message", 42));
          return admin.client().expectNotice("error");
        })
        .compose(n -> roundTrip(admin.client()))
        .compose(pong -> FafGameKit.closeAll(ps));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("join_channel: an admin's makes each online target autojoin the channel; without the permission nothing happens")
  void joinChannel(Vertx vertx, VertxTestContext ctx) {
    account(vertx, NODE.node(), "absent").compose(absent -> FafGameKit.players(vertx, NODE.node(), "admin", "user", "target").compose(ps -> {
      Player admin = ps.get(0);
      Player user = ps.get(1);
      Player target = ps.get(2);
      Predicate<JsonObject> joined = autojoin("#admins");
      return grant(admin, "faf_server_administrators")
        .compose(v -> {
          user.client().send(admin("join_channel").put("user_ids", new JsonArray().add(target.id())).put("channel", "#nope"));
          return roundTrip(user.client());
        })
        .compose(pong -> {
          admin.client().send(admin("join_channel")
            .put("user_ids", new JsonArray().add(target.id()).add(user.id()).add(absent.id()))
            .put("channel", "#admins"));
          return Future.all(target.client().inbox().next(joined, "autojoin #admins"),
            user.client().inbox().next(joined, "autojoin #admins"));
        })
        .compose(v -> {
          ctx.verify(() -> {
            assertThat(target.client().inbox().history()).noneMatch(autojoin("#nope"));
            assertThat(target.client().inbox().history().stream().filter(joined)).hasSize(1);
            assertThat(admin.client().inbox().history()).noneMatch(joined);
          });
          admin.client().send(admin("join_channel").put("user_ids", "everyone").put("channel", "#x"));
          return admin.client().expectNotice("error");
        })
        .compose(n -> {
          admin.client().send(admin("join_channel").put("user_ids", new JsonArray().add(user.id())));
          return admin.client().expectNotice("error");
        })
        .compose(n -> roundTrip(admin.client()))
        .compose(pong -> FafGameKit.closeAll(ps));
    })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("an unknown action or a malformed user_id is an error notice; the connection stays open")
  void malformed(Vertx vertx, VertxTestContext ctx) {
    FafGameKit.players(vertx, NODE.node(), "admin", "user").compose(ps -> {
      Player admin = ps.get(0);
      Player user = ps.get(1);
      return grant(admin, "faf_server_administrators")
        .compose(v -> {
          admin.client().send(admin("reboot"));
          return admin.client().expectNotice("error");
        })
        .compose(n -> {
          user.client().send(admin("reboot"));
          return user.client().expectNotice("error");
        })
        .compose(n -> {
          admin.client().send(admin("closeFA").put("user_id", "someone"));
          return admin.client().expectNotice("error");
        })
        .compose(n -> {
          admin.client().send(new JsonObject().put("command", "admin"));
          return admin.client().expectNotice("error");
        })
        .compose(n -> Future.all(roundTrip(admin.client()), roundTrip(user.client())))
        .compose(v -> {
          ctx.verify(() -> assertThat(user.client().inbox().history()).noneMatch(m -> isNotice(m, "kill")));
          return FafGameKit.closeAll(ps);
        });
    }).onComplete(ctx.succeedingThenComplete());
  }

  // ---- helpers ---------------------------------------------------------------------------------------



  /** Puts the player in a seeded user group; permissions are read per command, so it works while logged in. */
  private static Future<Void> grant(Player p, String group) {
    return NODE.node().database().pool()
      .preparedQuery("INSERT INTO user_group_assignment (user_id, group_id) SELECT $1, id FROM user_group WHERE technical_name = $2")
      .execute(Tuple.of(p.id(), group))
      .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture() : Future.failedFuture("no group " + group));
  }

  private static JsonObject admin(String action) {
    return new JsonObject().put("command", "admin").put("action", action);
  }

  private static Predicate<JsonObject> autojoin(String channel) {
    return m -> "social".equals(m.getString("command")) && !m.containsKey("friends")
      && new JsonArray().add(channel).equals(m.getJsonArray("autojoin"));
  }
}
