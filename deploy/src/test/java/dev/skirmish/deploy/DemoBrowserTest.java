package dev.skirmish.deploy;

import dev.skirmish.common.testing.TestAccounts;
import dev.skirmish.deploy.browser.PlaywrightScript;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CL Omega demo page at {@code /demo/} in two headless Chromium pages, driven by Playwright
 * ({@code src/test/browser/demo.mjs}): each registers through the page, one hosts a lobby of the demo game,
 * the other joins it from the lobby list, their data channel opens through this server's signaling, and a
 * chat line goes each way. Screenshots under {@code target/browser-screenshots/}.
 *
 * <p>Runs when Chromium is installed (the {@code browser-tests} Maven profile) and node with npm is on the path.
 */
class DemoBrowserTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode();

  @Test
  @DisplayName("two demo pages register, host and join a lobby, open a data channel through the server and chat")
  void twoTabs() throws Exception {
    String prefix = TestAccounts.uniqueName("d").replaceAll("[^A-Za-z0-9]", "");
    JsonObject result = PlaywrightScript.node("demo.mjs", Map.of(
      "BASE_URL", "http://127.0.0.1:" + NODE.httpPort(), "PREFIX", prefix), 3, TimeUnit.MINUTES);

    String said = "\nthe script said:\n" + result.getString("output");
    assertThat(result.getBoolean("ok")).as("demo script succeeded" + said).isTrue();
    JsonObject expected = result.getJsonObject("expected");
    assertThat(result.getString("hostReceived")).isEqualTo(expected.getString("hostReceived"));
    assertThat(result.getString("peerReceived")).isEqualTo(expected.getString("peerReceived"));
    assertThat(result.getJsonArray("pageErrors")).as("uncaught errors on the demo pages" + said).isEmpty();
  }
}
