package dev.skirmish.deploy;

import dev.skirmish.common.testing.FafClient;
import dev.skirmish.common.testing.TestAccounts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafTestSupport.account;
import static dev.skirmish.deploy.FafTestSupport.auth;
import static dev.skirmish.deploy.FafTestSupport.commands;
import static dev.skirmish.deploy.FafTestSupport.hello;
import static dev.skirmish.deploy.FafTestSupport.roundTrip;
import static dev.skirmish.deploy.FafTestSupport.sha256Hex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * FAF auth with tokens minted by hand with the node's own signing key (read from the database): the issuer,
 * the expiry and its leeway, the algorithm; and disabled or banned accounts at every login.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FafTokenChecksTest {

  private static final String ISSUER = "skirmish-test-issuer";

  @RegisterExtension
  static final TestNode NODE = new TestNode("JWT_ISSUER", ISSUER, "JWT_LEEWAY_SECONDS", "30");

  private static PrivateKey key;
  private static String kid;
  private static String publicPem;

  @BeforeAll
  static void readSigningKey() throws Exception {
    Row row = NODE.node().database().pool().query("SELECT kid, private_pem, public_pem FROM signing_key WHERE id = 1")
      .execute().await(30, TimeUnit.SECONDS).iterator().next();
    kid = row.getString("kid");
    publicPem = row.getString("public_pem");
    String b64 = row.getString("private_pem").replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String b64(JsonObject json) {
    return b64(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  private static JsonObject claims(int playerId) {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("iss", ISSUER).put("sub", String.valueOf(playerId))
      .put("scp", new JsonArray().add("lobby")).put("iat", now - 60).put("exp", now + 600);
  }

  /** An RS256 token signed with the node's key, under its kid. */
  private static String rs256(JsonObject claims) {
    try {
      String input = b64(new JsonObject().put("alg", "RS256").put("typ", "JWT").put("kid", kid)) + "." + b64(claims);
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(key);
      rsa.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + b64(rsa.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** An HS256 token whose HMAC key is the node's public key (known to anyone), under the node's kid. */
  private static String hs256WithPublicKey(JsonObject claims) {
    try {
      String input = b64(new JsonObject().put("alg", "HS256").put("typ", "JWT").put("kid", kid)) + "." + b64(claims);
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(publicPem.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
      return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String unsigned(JsonObject claims) {
    return b64(new JsonObject().put("alg", "none").put("typ", "JWT").put("kid", kid)) + "." + b64(claims) + ".";
  }

  /** Sends each token in turn on one connection; each must get authentication_failed and nothing else. */
  private static Future<FafClient> expectAllRejected(Vertx vertx, VertxTestContext ctx, String... tokens) {
    return FafClient.webSocket(vertx, NODE.httpPort()).compose(client -> {
      Future<Void> chain = Future.succeededFuture();
      for (String token : tokens) {
        chain = chain.compose(v -> {
          client.send(auth(token));
          return client.expect("authentication_failed").mapEmpty();
        });
      }
      return chain.compose(v -> roundTrip(client)).map(pong -> {
        ctx.verify(() -> assertThat(commands(client)).doesNotContain("welcome", "irc_password", "notice"));
        return client;
      });
    });
  }

  @Test
  @DisplayName("the control: a hand-minted token with the node's key, issuer and a valid expiry logs in")
  void wellFormedTokenLogsIn(Vertx vertx, VertxTestContext ctx) {
    account(vertx, NODE.node(), "mintOk").compose(p -> FafClient.webSocket(vertx, NODE.httpPort())
        .compose(client -> client.login(rs256(claims(p.id()))).map(w -> client)))
      .compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("the node's key but another iss, or no iss: authentication_failed")
  void wrongIssuer(Vertx vertx, VertxTestContext ctx) {
    account(vertx, NODE.node(), "mintIss").compose(p -> expectAllRejected(vertx, ctx,
        rs256(claims(p.id()).put("iss", "someone-else")), rs256(claims(p.id()).put("iss", null)),
        rs256(claims(p.id()).put("iss", ISSUER + " "))))
      .compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("no exp, or an exp beyond the leeway: authentication_failed; an exp within the leeway still logs in")
  void expiryAndLeeway(Vertx vertx, VertxTestContext ctx) {
    long now = Instant.now().getEpochSecond();
    account(vertx, NODE.node(), "mintExp").compose(p -> expectAllRejected(vertx, ctx,
          rs256(claims(p.id()).put("exp", null)), rs256(claims(p.id()).put("exp", now - 120)),
          rs256(claims(p.id()).put("nbf", now + 600)))
        .compose(FafClient::close)
        .compose(v -> FafClient.webSocket(vertx, NODE.httpPort()))
        .compose(client -> client.login(rs256(claims(p.id()).put("exp", now - 5))).map(w -> client)))
      .compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("an alg other than the key's: HS256 keyed with the public key, or none: authentication_failed")
  void otherAlgorithms(Vertx vertx, VertxTestContext ctx) {
    account(vertx, NODE.node(), "mintAlg").compose(p -> expectAllRejected(vertx, ctx,
        hs256WithPublicKey(claims(p.id())), unsigned(claims(p.id()))))
      .compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  private static Future<Void> setState(FafTestSupport.Player p, int state) {
    return NODE.node().database().pool().preparedQuery("UPDATE account SET state = $2 WHERE id = $1")
      .execute(Tuple.of(p.id(), state)).mapEmpty();
  }

  /** Logs in with {@code message} and expects the disabled-account notice, then the close. */
  private static Future<Void> expectDisabled(Vertx vertx, VertxTestContext ctx, JsonObject message) {
    return FafClient.webSocket(vertx, NODE.httpPort()).compose(client -> {
      client.send(message);
      return client.expectNotice("error").compose(notice -> client.expectClosed().map(v -> {
        ctx.verify(() -> {
          assertThat(notice.getString("text")).containsIgnoringCase("disabled");
          assertThat(commands(client)).containsExactly("notice");
        });
        return null;
      }));
    });
  }

  @Test
  @DisplayName("a blocked (state 4) or banned (state 8) account: auth and hello get an error notice and the close; no new token")
  void disabledAccounts(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    Future.all(account(vertx, NODE.node(), "blocked"), account(vertx, NODE.node(), "stateBan")).compose(all -> {
      FafTestSupport.Player blocked = all.resultAt(0);
      FafTestSupport.Player banned = all.resultAt(1);
      return setState(blocked, 2 | 4).compose(v -> setState(banned, 2 | 8))
        .compose(v -> expectDisabled(vertx, ctx, auth(blocked.token())))
        .compose(v -> expectDisabled(vertx, ctx, hello(banned.login(), sha256Hex(banned.account().password()))))
        .compose(v -> accounts.tokenResponse(blocked.login(), blocked.account().password(), "lobby"))
        .compose(resp -> {
          ctx.verify(() -> {
            assertThat(resp.statusCode()).isEqualTo(400);
            assertThat(resp.bodyAsJsonObject().getString("error")).isEqualTo("invalid_grant");
          });
          return accounts.web().post("/api/v0/login").sendJsonObject(new JsonObject()
            .put("email", banned.account().email()).put("password", banned.account().password()));
        })
        .map(resp -> {
          ctx.verify(() -> assertThat(resp.statusCode()).isEqualTo(403));
          return null;
        });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a player with an active GLOBAL ban gets no new access token: 400 invalid_grant naming the ban")
  void bannedPlayerGetsNoToken(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    account(vertx, NODE.node(), "tokBan").compose(p -> NODE.node().database().pool()
        .preparedQuery("INSERT INTO ban (player_id, reason, level) VALUES ($1, $2, 'GLOBAL')")
        .execute(Tuple.of(p.id(), "abusive chat"))
        .compose(r -> accounts.tokenResponse(p.login(), p.account().password(), "lobby")))
      .onComplete(ctx.succeeding(resp -> ctx.verify(() -> {
        assertThat(resp.statusCode()).isEqualTo(400);
        assertThat(resp.bodyAsJsonObject().getString("error")).isEqualTo("invalid_grant");
        assertThat(resp.bodyAsJsonObject().getString("error_description")).contains("abusive chat");
        ctx.completeNow();
      })));
  }
}
