package dev.skirmish.deploy;

import dev.skirmish.common.testing.FafClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafTestSupport.account;
import static dev.skirmish.deploy.FafTestSupport.auth;
import static dev.skirmish.deploy.FafTestSupport.loggedIn;
import static dev.skirmish.deploy.FafTestSupport.offline;
import static dev.skirmish.deploy.FafTestSupport.online;
import static dev.skirmish.deploy.FafTestSupport.players;
import static dev.skirmish.deploy.FafTestSupport.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

/** FAF presence on the tick, the country of players and operator-disabled commands. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class FafPresenceTest {

  @Test
  @DisplayName("TCP: after the login sequence the newcomer gets its own player_info, and others get its login and logout")
  void ownPlayerInfoAndLogoutOverTcp(Vertx vertx, VertxTestContext ctx) {
    TestNodes.start().compose(node -> loggedIn(vertx, node, "seer").compose(seer -> account(vertx, node, "tcpself")
        .compose(p -> FafClient.tcp(vertx, node.fafTcpPort()).compose(client -> {
          client.send(auth(p.token()));
          return client.expect("game_info")
            .compose(list -> client.inbox().next(online(p.id()), "own player_info"))
            .compose(own -> seer.client().inbox().next(online(p.id()), "the newcomer, seen by another player"))
            .compose(seen -> client.close())
            .compose(v -> seer.client().inbox().next(offline(p.id()), "the newcomer offline"))
            .map(off -> {
              ctx.verify(() -> assertThat(players(off)).filteredOn(pl -> pl.getInteger("id") == p.id())
                .singleElement().satisfies(pl -> {
                  assertThat(pl.getString("login")).isEqualTo(p.login());
                  assertThat(pl.getString("state")).isEqualTo("offline");
                }));
              return null;
            });
        }))
        .eventually(() -> seer.client().close()))
      .eventually(node::close))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("GEOIP_DB: the country of the player's address is in welcome, in the online list and in player_info")
  void countryFromTheDatabase(Vertx vertx, VertxTestContext ctx, @TempDir Path dir) throws Exception {
    Path db = CountryDatabaseFile.write(dir.resolve("country.mmdb"), 127, "DE");
    TestNodes.start("GEOIP_DB", db.toString()).compose(node -> account(vertx, node, "geo").compose(p ->
        FafClient.webSocket(vertx, node.httpPort()).compose(client -> {
          client.send(auth(p.token()));
          Future<JsonObject> welcome = client.expect("welcome");
          Future<JsonObject> list = welcome.compose(w -> client.expect("player_info"));
          return list.compose(l -> client.inbox().next(online(p.id()), "own player_info")).map(own -> {
            ctx.verify(() -> {
              assertThat(welcome.result().getJsonObject("me").getString("country")).isEqualTo("DE");
              assertThat(players(list.result())).filteredOn(pl -> pl.getInteger("id") == p.id())
                .allSatisfy(pl -> assertThat(pl.getString("country")).isEqualTo("DE"));
              assertThat(players(own)).filteredOn(pl -> pl.getInteger("id") == p.id())
                .allSatisfy(pl -> assertThat(pl.getString("country")).isEqualTo("DE"));
            });
            return client;
          }).compose(FafClient::close);
        }))
      .eventually(node::close))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("GEOIP_DB naming a file that is not a country database stops the node at start with the setting's name")
  void badCountryDatabase(VertxTestContext ctx, @TempDir Path dir) throws Exception {
    Path bogus = java.nio.file.Files.writeString(dir.resolve("bogus.mmdb"), "not a database");
    TestNodes.start("GEOIP_DB", bogus.toString()).onComplete(ar -> ctx.verify(() -> {
      assertThat(ar.failed()).isTrue();
      assertThat(ar.cause().getMessage()).contains("GEOIP_DB");
      ctx.completeNow();
    }));
  }

  @Test
  @DisplayName("FAF_DISABLED_COMMANDS: a switched-off command gets disabled with the request; other commands still work")
  void disabledCommands(Vertx vertx, VertxTestContext ctx) {
    TestNodes.start("FAF_DISABLED_COMMANDS", "coop_list, game_host").compose(node -> loggedIn(vertx, node, "dis")
        .compose(p -> {
          p.client().send(new JsonObject().put("command", "game_host").put("visibility", "public"));
          return p.client().expect("disabled").compose(d -> {
            ctx.verify(() -> assertThat(d).isEqualTo(new JsonObject().put("command", "disabled").put("request", "game_host")));
            p.client().send(new JsonObject().put("command", "coop_list"));
            return p.client().expect("disabled");
          }).compose(d -> {
            ctx.verify(() -> assertThat(d.getString("request")).isEqualTo("coop_list"));
            p.client().send(new JsonObject().put("command", "avatar").put("action", "list_avatar"));
            return p.client().expect("avatar");
          }).compose(avatar -> roundTrip(p.client())).map(pong -> {
            ctx.verify(() -> assertThat(p.client().inbox().history())
              .noneMatch(m -> "invalid".equals(m.getString("command")) || FafTestSupport.isNotice(m, "error")));
            return p;
          }).compose(v -> p.client().close());
        })
        .eventually(node::close))
      .onComplete(ctx.succeedingThenComplete());
  }
}
