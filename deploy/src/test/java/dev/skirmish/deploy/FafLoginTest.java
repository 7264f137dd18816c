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
  @DisplayName("auth with a token answers irc_password, welcome, player_info (all, then newcomer), social, game_info in that order")
  void loginSequence(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    accounts.register("seq").compose(account -> accounts.fafToken(account).compose(token ->
        FafClient.webSocket(vertx, NODE.httpPort()).compose(client -> {
          client.send(new JsonObject().put("command", "auth").put("token", token).put("unique_id", "u"));
          return client.expect("game_info").map(last -> client);
        }).map(client -> {
          List<JsonObject> got = client.inbox().history();
          ctx.verify(() -> {
            assertThat(got).extracting(m -> m.getString("command"))
              .containsExactly("irc_password", "welcome", "player_info", "player_info", "social", "game_info");
            JsonObject welcome = got.get(1);
            assertThat(welcome.getString("login")).isEqualTo(account.username());
            assertThat(welcome.getJsonObject("me").getString("login")).isEqualTo(account.username());
            assertThat(welcome.getJsonObject("me").getJsonObject("ratings").getJsonObject("global")
              .getJsonArray("rating").getList()).containsExactly(1500.0, 500.0);
            assertThat(got.get(2).getJsonArray("players").stream().map(p -> ((JsonObject) p).getString("login")))
              .contains(account.username());
            assertThat(got.get(3).getJsonArray("players").size()).isEqualTo(1);
            assertThat(got.get(5).getJsonArray("games").size()).isZero();
          });
          return client;
        })))
      .compose(FafClient::close)
      .onComplete(ctx.succeedingThenComplete());
  }
}
