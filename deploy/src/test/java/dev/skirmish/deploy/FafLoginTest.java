package dev.skirmish.deploy;

import dev.skirmish.common.testing.FafClient;
import dev.skirmish.common.testing.TestAccounts;
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

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FafLoginTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode();

  @Test
  @DisplayName("auth with a token answers irc_password, welcome, player_info (everyone online), social, game_info in that order;"
    + " the newcomer's own player_info follows at the next presence tick")
  void loginSequence(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    accounts.register("seq").compose(account -> accounts.fafToken(account).compose(token ->
        FafClient.webSocket(vertx, NODE.httpPort()).compose(client -> {
          client.send(new JsonObject().put("command", "auth").put("token", token).put("unique_id", "u"));
          return client.expect("game_info").compose(last -> {
            List<JsonObject> got = client.inbox().history();
            ctx.verify(() -> {
              assertThat(got).extracting(m -> m.getString("command"))
                .containsExactly("irc_password", "welcome", "player_info", "social", "game_info");
              JsonObject welcome = got.get(1);
              assertThat(welcome.getString("login")).isEqualTo(account.username());
              assertThat(welcome.getJsonObject("me").getString("login")).isEqualTo(account.username());
              assertThat(welcome.getJsonObject("me").getString("country")).isEmpty();
              assertThat(welcome.getJsonObject("me").getJsonObject("ratings").getJsonObject("global")
                .getJsonArray("rating").getList()).containsExactly(1500.0, 500.0);
              assertThat(got.get(2).getJsonArray("players").stream().map(p -> ((JsonObject) p).getString("login")))
                .contains(account.username());
              assertThat(got.get(4).getJsonArray("games").size()).isZero();
            });
            int me = welcome(got).getInteger("id");
            // A client that skips to the login's game_info then waits for its own player_info gets it from the tick.
            return client.inbox().next(FafTestSupport.online(me), "own player_info after the login sequence");
          }).map(own -> {
            ctx.verify(() -> assertThat(FafTestSupport.players(own))
              .anyMatch(p -> p.getString("login").equals(account.username()) && p.getString("country").isEmpty()));
            return client;
          });
        })))
      .compose(FafClient::close)
      .onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject welcome(List<JsonObject> got) {
    return got.stream().filter(m -> "welcome".equals(m.getString("command"))).findFirst().orElseThrow();
  }
}
