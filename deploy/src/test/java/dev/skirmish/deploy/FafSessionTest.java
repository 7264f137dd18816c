package dev.skirmish.deploy;

import dev.skirmish.common.testing.FafClient;
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
import java.util.function.Predicate;

import static dev.skirmish.deploy.FafTestSupport.account;
import static dev.skirmish.deploy.FafTestSupport.auth;
import static dev.skirmish.deploy.FafTestSupport.commands;
import static dev.skirmish.deploy.FafTestSupport.commandsIgnoringTicks;
import static dev.skirmish.deploy.FafTestSupport.count;
import static dev.skirmish.deploy.FafTestSupport.hello;
import static dev.skirmish.deploy.FafTestSupport.isNotice;
import static dev.skirmish.deploy.FafTestSupport.loggedIn;
import static dev.skirmish.deploy.FafTestSupport.offline;
import static dev.skirmish.deploy.FafTestSupport.online;
import static dev.skirmish.deploy.FafTestSupport.players;
import static dev.skirmish.deploy.FafTestSupport.roundTrip;
import static dev.skirmish.deploy.FafTestSupport.sha256Hex;
import static org.assertj.core.api.Assertions.assertThat;

/** One session per account: double login, logout broadcast, re-login on the same connection. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FafSessionTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode();

  @Test
  @DisplayName("a second login of the same account kicks the first; the account stays online until the second leaves")
  void doubleLoginKicksTheFirst(Vertx vertx, VertxTestContext ctx) {
    loggedIn(vertx, NODE.node(), "watcher").compose(watcher -> account(vertx, NODE.node(), "twice").compose(p ->
      FafClient.webSocket(vertx, NODE.httpPort()).compose(first -> FafTestSupport.loginFully(first, p.token())
        .compose(v -> FafClient.tcp(vertx, NODE.fafTcpPort()))
        .compose(second -> FafTestSupport.loginFully(second, p.token())
          .compose(v -> first.expectNotice("kick"))
          .compose(kick -> first.expectClosed())
          .compose(v -> roundTrip(second))
          .compose(pong -> loggedIn(vertx, NODE.node(), "third"))
          .compose(third -> {
            JsonObject list = third.client().inbox().history().stream()
              .filter(m -> "player_info".equals(m.getString("command"))).findFirst().orElseThrow();
            ctx.verify(() -> {
              assertThat(second.isClosed()).isFalse();
              assertThat(second.inbox().history()).noneMatch(m -> isNotice(m, "kick"));
              assertThat(players(list)).as("online list seen by a later login")
                .anyMatch(pl -> pl.getInteger("id") == p.id() && !pl.containsKey("state"));
            });
            // Sentinel: the second session leaves, and that offline message must be the first about the account.
            return second.close()
              .compose(v -> third.client().inbox().next(offline(p.id()), "offline after the second session left"))
              .compose(off -> watcher.client().inbox().next(offline(p.id()), "offline seen by the early watcher"))
              .map(off -> {
                ctx.verify(() -> {
                  assertThat(count(third.client(), offline(p.id()))).isEqualTo(1);
                  assertThat(count(watcher.client(), offline(p.id()))).isEqualTo(1);
                  List<JsonObject> seen = watcher.client().inbox().history();
                  int lastOnline = lastIndex(seen, online(p.id()));
                  int firstOffline = firstIndex(seen, offline(p.id()));
                  assertThat(firstOffline).isGreaterThan(lastOnline);
                  assertThat(count(second, m -> players(m).stream().anyMatch(
                    pl -> pl.getInteger("id") == p.id() && "offline".equals(pl.getString("state"))))).isZero();
                });
                return third;
              });
          })
          .compose(third -> third.client().close())
          .compose(v -> watcher.client().close())))))
      .onComplete(ctx.succeedingThenComplete());
  }

  private static int firstIndex(List<JsonObject> messages, Predicate<JsonObject> p) {
    for (int i = 0; i < messages.size(); i++) {
      if (p.test(messages.get(i))) {
        return i;
      }
    }
    return -1;
  }

  private static int lastIndex(List<JsonObject> messages, Predicate<JsonObject> p) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (p.test(messages.get(i))) {
        return i;
      }
    }
    return -1;
  }

  @Test
  @DisplayName("the kicked session's messages stop at the kick: the kick notice is the last thing it receives")
  void kickIsTheLastMessage(Vertx vertx, VertxTestContext ctx) {
    account(vertx, NODE.node(), "kicked").compose(p -> FafClient.tcp(vertx, NODE.fafTcpPort())
      .compose(first -> FafTestSupport.loginFully(first, p.token())
        .compose(v -> FafClient.webSocket(vertx, NODE.httpPort()))
        .compose(second -> FafTestSupport.loginFully(second, p.token())
          .compose(v -> first.expectClosed())
          .map(v -> {
            List<JsonObject> got = first.inbox().history();
            ctx.verify(() -> {
              assertThat(got.get(got.size() - 1).getString("command")).isEqualTo("notice");
              assertThat(got.get(got.size() - 1).getString("style")).isEqualTo("kick");
              assertThat(count(first, m -> isNotice(m, "kick"))).isEqualTo(1);
            });
            return second;
          }))
        .compose(FafClient::close)))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a logged-in player who disconnects is broadcast as offline to the other players")
  void logoutBroadcastsOffline(Vertx vertx, VertxTestContext ctx) {
    loggedIn(vertx, NODE.node(), "stayer").compose(stayer -> loggedIn(vertx, NODE.node(), "leaver").compose(leaver ->
        stayer.client().inbox().next(online(leaver.id()), "leaver online")
          .compose(m -> leaver.client().close())
          .compose(v -> stayer.client().inbox().next(offline(leaver.id()), "leaver offline"))
          .map(m -> {
            ctx.verify(() -> {
              JsonObject entry = players(m).get(0);
              assertThat(entry.getInteger("id")).isEqualTo(leaver.id());
              assertThat(entry.getString("login")).isEqualTo(leaver.login());
              assertThat(entry.getString("state")).isEqualTo("offline");
            });
            return stayer;
          }))
      .compose(s -> s.client().close()))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a disconnect before login broadcasts nothing")
  void anonymousDisconnectIsSilent(Vertx vertx, VertxTestContext ctx) {
    loggedIn(vertx, NODE.node(), "quiet").compose(watcher -> FafClient.webSocket(vertx, NODE.httpPort())
      .compose(anon -> roundTrip(anon).compose(p -> anon.close()))
      // Sentinel: a later logout; only its offline message may be there.
      .compose(v -> loggedIn(vertx, NODE.node(), "quietSent"))
      .compose(sentinel -> sentinel.client().close()
        .compose(v -> watcher.client().inbox().next(offline(sentinel.id()), "sentinel offline")))
      .map(m -> {
        // A session that never logged in has no player id or login to announce.
        ctx.verify(() -> assertThat(watcher.client().inbox().history().stream().flatMap(msg -> players(msg).stream()))
          .allMatch(pl -> pl.getInteger("id", 0) > 0 && pl.getString("login") != null));
        return watcher;
      })
      .compose(w -> w.client().close()))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a second auth on a logged-in connection: info notice, no second welcome")
  void reLoginOnSameConnection(Vertx vertx, VertxTestContext ctx) {
    account(vertx, NODE.node(), "again").compose(p -> FafClient.webSocket(vertx, NODE.httpPort()).compose(client ->
      client.login(p.token())
        .compose(w -> {
          client.send(auth(p.token()));
          return client.expectNotice("info");
        })
        .compose(n -> {
          client.send(hello(p.login(), sha256Hex(p.account().password())));
          return client.expectNotice("info");
        })
        .compose(n -> roundTrip(client))
        .map(pong -> {
          ctx.verify(() -> {
            assertThat(count(client, m -> "welcome".equals(m.getString("command")))).isEqualTo(1);
            assertThat(count(client, m -> "irc_password".equals(m.getString("command")))).isEqualTo(1);
            assertThat(client.isClosed()).isFalse();
          });
          return client;
        })))
      .compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("two auth commands in one frame: one login, then the info notice")
  void pipelinedDoubleAuth(Vertx vertx, VertxTestContext ctx) {
    account(vertx, NODE.node(), "pipe").compose(p -> FafClient.webSocket(vertx, NODE.httpPort()).compose(client -> {
      client.sendRaw(auth(p.token()).encode() + "\n" + auth(p.token()).encode() + "\n");
      return client.expectNotice("info").compose(n -> roundTrip(client)).map(pong -> {
        ctx.verify(() -> {
          assertThat(commandsIgnoringTicks(client))
            .containsExactly("irc_password", "welcome", "player_info", "social", "game_info", "notice", "pong");
        });
        return client;
      });
    })).compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }
}
