package dev.skirmish.deploy;

import dev.skirmish.common.testing.TestAccounts;
import dev.skirmish.deploy.browser.BrowserPage;
import dev.skirmish.deploy.browser.CdpClient;
import dev.skirmish.deploy.browser.Chromium;
import dev.skirmish.deploy.browser.PageServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static dev.skirmish.deploy.OmegaSupport.DEMO_UGI;
import static dev.skirmish.deploy.OmegaSupport.path;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two headless Chromium tabs open a WebRTC data channel with each other through this server's CL Omega
 * signaling and exchange a message both ways. The pages run their own CL Omega client
 * ({@code src/test/resources/browser/omega-webrtc.js}); the test drives them over the DevTools protocol.
 *
 * <p>Runs when Chromium is installed (the {@code browser-tests} Maven profile); see {@link Chromium#executable()}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
class OmegaBrowserTest {

  /** How long the pages get to connect and exchange their messages before the test fails with their traces. */
  private static final long EXCHANGE_TIMEOUT_SECONDS = 60;

  @RegisterExtension
  static final TestNode NODE = new TestNode();

  private static PageServer pageServer;
  private static Chromium chromium;
  private static CdpClient cdp;

  private final List<BrowserPage> pages = new ArrayList<>();

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    pageServer = PageServer.start(vertx).await(30, TimeUnit.SECONDS);
    chromium = Chromium.launch(60, TimeUnit.SECONDS);
    cdp = CdpClient.connect(vertx, chromium.devToolsUrl()).await(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void closePages() throws Exception {
    for (BrowserPage page : pages) {
      page.close().otherwiseEmpty().await(10, TimeUnit.SECONDS);
    }
    pages.clear();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (cdp != null) {
        // A clean shutdown first; the process tree is ended below either way.
        cdp.send("Browser.close", null).otherwiseEmpty().await(10, TimeUnit.SECONDS);
        cdp.close().otherwiseEmpty().await(10, TimeUnit.SECONDS);
      }
    } finally {
      try {
        if (chromium != null) {
          chromium.close();
        }
      } finally {
        if (pageServer != null) {
          pageServer.close().await(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  private Future<BrowserPage> open(String label) {
    return BrowserPage.open(cdp, label, pageServer.url("")).onSuccess(pages::add);
  }

  /** A registered account and a CL Omega token not bound to any origin, so the pages' origin does not matter. */
  private static Future<Player> player(TestAccounts accounts, String prefix) {
    return accounts.register(prefix).compose(a -> accounts.omegaToken(a, null).map(token -> new Player(a, token)));
  }

  private record Player(TestAccounts.Account account, String token) {
  }

  /** {@code function(args...)} as a page expression; the arguments are JSON literals. */
  private static String call(String function, Object... args) {
    String json = new JsonArray(List.of(args)).encode();
    return function + "(" + json.substring(1, json.length() - 1) + ")";
  }

  @Test
  @DisplayName("two Chromium pages open a data channel through CL Omega signaling and exchange a message both ways")
  void dataChannelThroughSignaling(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    String wsUrl = "ws://127.0.0.1:" + NODE.httpPort() + path(DEMO_UGI);
    String nonce = Long.toString(System.nanoTime(), 36);
    String lobby = "browser-" + nonce;
    String peerMessage = "hello host, ✓ from the peer " + nonce;
    String hostReply = "hello peer, ✓ from the host " + nonce;

    Future<Player> hostPlayer = player(accounts, "bhost");
    Future<Player> peerPlayer = player(accounts, "bpeer");
    Future<BrowserPage> hostPage = open("host page");
    Future<BrowserPage> peerPage = open("peer page");

    Future.all(hostPlayer, peerPlayer, hostPage, peerPage).compose(all -> {
      // The peer may only join once the lobby exists: the host page reports ACK_HOST through a binding.
      Promise<Void> lobbyCreated = Promise.promise();
      return hostPage.result().addBinding("skirmishReport", stage -> {
        if ("ACK_HOST".equals(stage)) {
          lobbyCreated.tryComplete();
        }
      }).compose(v -> {
        Future<Object> hostRun = hostPage.result()
          .evaluate(call("host", wsUrl, hostPlayer.result().token(), lobby, hostReply));
        hostRun.onFailure(lobbyCreated::tryFail);
        Future<Object> peerRun = lobbyCreated.future().compose(x -> peerPage.result()
          .evaluate(call("peer", wsUrl, peerPlayer.result().token(), lobby, peerMessage)));
        return Future.all(hostRun, peerRun).timeout(EXCHANGE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .recover(err -> Future.failedFuture(err instanceof TimeoutException
            ? new TimeoutException("the pages did not finish within " + EXCHANGE_TIMEOUT_SECONDS + " s (host "
              + state(hostRun) + ", peer " + state(peerRun) + ")")
            : err))
          .map(done -> List.of((JsonObject) hostRun.result(), (JsonObject) peerRun.result()));
      });
    }).onComplete(ar -> {
      if (ar.failed()) {
        report(ar.cause(), hostPage, peerPage).onComplete(msg -> ctx.failNow(new AssertionError(msg.result(), ar.cause())));
        return;
      }
      JsonObject host = ar.result().get(0);
      JsonObject peer = ar.result().get(1);
      report(null, hostPage, peerPage).onComplete(diagnostics -> ctx.verify(() -> {
        String pagesSaid = "\n" + diagnostics.result();
        assertThat(host.getString("received")).as("text the host received" + pagesSaid).isEqualTo(peerMessage);
        assertThat(peer.getString("received")).as("text the peer received" + pagesSaid).isEqualTo(hostReply);

        // Each side learnt the other's identity from the server: NEW_PEER for the host, ANTICIPATE for the peer.
        JsonObject hostMe = host.getJsonObject("me");
        JsonObject peerMe = peer.getJsonObject("me");
        assertThat(hostMe.getString("user")).isEqualTo(hostPlayer.result().account().username());
        assertThat(peerMe.getString("user")).isEqualTo(peerPlayer.result().account().username());
        assertThat(host.getJsonObject("peer").getString("id")).as("NEW_PEER id").isEqualTo(peerMe.getString("id"));
        assertThat(host.getJsonObject("peer").getString("user")).as("NEW_PEER user").isEqualTo(peerMe.getString("user"));
        assertThat(peer.getJsonObject("host").getString("id")).as("ANTICIPATE id").isEqualTo(hostMe.getString("id"));
        assertThat(peer.getJsonObject("host").getString("user")).as("ANTICIPATE user").isEqualTo(hostMe.getString("user"));

        assertThat(hostPage.result().exceptions()).as("uncaught exceptions on the host page" + pagesSaid).isEmpty();
        assertThat(peerPage.result().exceptions()).as("uncaught exceptions on the peer page" + pagesSaid).isEmpty();
        ctx.completeNow();
      }));
    });
  }

  private static String state(Future<?> f) {
    return f.succeeded() ? "finished" : f.failed() ? "failed: " + f.cause().getMessage() : "still waiting";
  }

  /**
   * What went wrong and what both pages said: their console and exceptions, and the signaling/WebRTC trace
   * kept by the page script. Never fails; parts that cannot be read are marked as such.
   */
  private static Future<String> report(Throwable cause, Future<BrowserPage> hostPage, Future<BrowserPage> peerPage) {
    List<Future<String>> parts = new ArrayList<>();
    for (Future<BrowserPage> page : List.of(hostPage, peerPage)) {
      if (page.failed()) {
        parts.add(Future.succeededFuture("could not open a page: " + page.cause()));
      } else if (page.succeeded()) {
        BrowserPage p = page.result();
        parts.add(p.evaluate("typeof omegaTrace === 'function' ? omegaTrace() : '(page script not loaded)'")
          .timeout(10, TimeUnit.SECONDS)
          .map(trace -> String.valueOf(trace).isEmpty() ? "(empty)" : String.valueOf(trace))
          .otherwise(err -> "(trace unavailable: " + err + ")")
          .map(trace -> "---- " + p.label() + " console/log:\n" + p.log() + "\n---- " + p.label() + " trace:\n" + trace));
      }
    }
    return Future.join(parts).otherwiseEmpty().map(v -> {
      StringBuilder out = new StringBuilder();
      if (cause != null) {
        out.append(cause).append('\n');
      }
      for (Future<String> part : parts) {
        out.append(part.result()).append('\n');
      }
      if (cause != null) {
        out.append("---- Chromium output (last lines):\n").append(chromium.recentOutput());
      }
      return out.toString();
    });
  }
}
