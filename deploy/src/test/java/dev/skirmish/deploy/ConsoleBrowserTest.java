package dev.skirmish.deploy;

import dev.skirmish.common.testing.TestAccounts;
import dev.skirmish.deploy.browser.PlaywrightScript;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.OmegaSupport.DEMO_UGI;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator console at {@code /console} in headless Chromium, driven by Playwright
 * ({@code src/test/browser/console.mjs}): an administrator signs in and sees a FAF player log in (the
 * {@code players-online} number rises) and a CL Omega lobby open, kicks the player from the console (the
 * player's socket gets the kick), and a player who is no admin gets 403. Screenshots of the console are saved
 * under {@code target/browser-screenshots/}.
 *
 * <p>Runs when Chromium is installed (the {@code browser-tests} Maven profile) and node with npm is on the path.
 */
@ExtendWith(VertxExtension.class)
class ConsoleBrowserTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode("STATUS_INTERVAL_MS", "300");

  @Test
  @DisplayName("the console shows a player who logs in and a lobby that opens; its kick reaches the client; a non-admin gets 403")
  void console(Vertx vertx) throws Exception {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    TestAccounts.Account admin = accounts.register("cadm").await(30, TimeUnit.SECONDS);
    TestAccounts.Account user = accounts.register("cusr").await(30, TimeUnit.SECONDS);
    int adminId = FafTestSupport.playerId(NODE.node(), admin.username()).await(30, TimeUnit.SECONDS);
    AdminApiTest.grant(NODE.node(), adminId, "faf_server_administrators").await(30, TimeUnit.SECONDS);

    JsonObject result = PlaywrightScript.node("console.mjs", Map.of(
      "BASE_URL", "http://127.0.0.1:" + NODE.httpPort(),
      "ADMIN_USER", admin.username(), "ADMIN_PASSWORD", admin.password(),
      "USER_NAME", user.username(), "USER_EMAIL", user.email(), "USER_PASSWORD", user.password(),
      "OMEGA_UGI", DEMO_UGI), 3, TimeUnit.MINUTES);

    String said = "\nthe script said:\n" + result.getString("output");
    assertThat(result.getBoolean("ok")).as("console script succeeded" + said).isTrue();
    assertThat(result.getInteger("exit")).as("exit code" + said).isZero();
    assertThat(result.getInteger("nodes")).isEqualTo(1);
    assertThat(result.getInteger("playersAfterLogin")).isGreaterThan(result.getInteger("playersBefore"));
    int playerId = FafTestSupport.playerId(NODE.node(), user.username()).await(30, TimeUnit.SECONDS);
    assertThat(result.getInteger("playerId")).isEqualTo(playerId);
    assertThat(result.getString("lobbyRow")).contains(result.getString("lobby")).contains(user.username());
    assertThat(result.getJsonObject("kickNotice").getString("text")).isEqualTo("kicked from the console");
    assertThat(result.getString("nonAdmin")).contains("403");
    assertThat(result.getBoolean("nonAdminConsoleHidden")).isTrue();
    assertThat(result.getJsonArray("pageErrors")).as("uncaught errors on the console page" + said).isEmpty();
    assertThat(PlaywrightScript.SCREENSHOTS.resolve("console-live.png")).exists();
  }
}
