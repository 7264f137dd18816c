package dev.skirmish.deploy;

import dev.skirmish.common.testing.FafClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafTestSupport.account;
import static dev.skirmish.deploy.FafTestSupport.auth;
import static dev.skirmish.deploy.FafTestSupport.commands;
import static dev.skirmish.deploy.FafTestSupport.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * FAF auth with RS256 tokens of an external issuer: a JWKS served by the test, and a node whose
 * {@code JWKS_URL} points at it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FafExternalIssuerTest {

  private static final String KID = "external-test-key";
  private static final String ISSUER = "https://hydra.example.test/";

  private static Vertx issuerVertx;
  private static HttpServer jwksServer;
  private static KeyPair issuerKey;
  private static KeyPair strangerKey;
  private static Node node;

  @BeforeAll
  static void start() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    issuerKey = gen.generateKeyPair();
    strangerKey = gen.generateKeyPair();
    JsonObject jwks = new JsonObject().put("keys", new JsonArray()
      .add(jwk((RSAPublicKey) issuerKey.getPublic(), KID)));
    issuerVertx = Vertx.vertx();
    jwksServer = issuerVertx.createHttpServer()
      .requestHandler(req -> {
        if ("/.well-known/jwks.json".equals(req.path())) {
          req.response().putHeader("Content-Type", "application/json").end(jwks.encode());
        } else {
          req.response().setStatusCode(404).end();
        }
      })
      .listen(0, "127.0.0.1").await(30, TimeUnit.SECONDS);
    node = TestNodes.start("JWKS_URL", "http://127.0.0.1:" + jwksServer.actualPort() + "/.well-known/jwks.json",
        "JWKS_ISSUER", ISSUER)
      .await(2, TimeUnit.MINUTES);
  }

  @AfterAll
  static void stop() throws Exception {
    node.close().await(1, TimeUnit.MINUTES);
    issuerVertx.close().await(30, TimeUnit.SECONDS);
  }

  private static JsonObject jwk(RSAPublicKey key, String kid) {
    return new JsonObject().put("kty", "RSA").put("use", "sig").put("kid", kid)
      .put("n", b64(unsigned(key.getModulus()))).put("e", b64(unsigned(key.getPublicExponent())));
  }

  private static byte[] unsigned(BigInteger n) {
    byte[] bytes = n.toByteArray();
    return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** An RS256 JWT with a {@code kid} header, signed with {@code key}. */
  private static String jwt(PrivateKey key, String kid, JsonObject claims) {
    try {
      JsonObject header = new JsonObject().put("alg", "RS256").put("typ", "JWT").put("kid", kid);
      String signingInput = b64(header.encode().getBytes(StandardCharsets.UTF_8)) + "."
        + b64(claims.encode().getBytes(StandardCharsets.UTF_8));
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(key);
      rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + b64(rsa.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Claims as the reference's OAuth server issues them: string sub, scp array, one hour of validity. */
  private static JsonObject claims(Object sub, String... scopes) {
    long now = Instant.now().getEpochSecond();
    return new JsonObject()
      .put("iss", ISSUER)
      .put("aud", new JsonArray().add("faf-client"))
      .put("sub", String.valueOf(sub))
      .put("scp", new JsonArray(Arrays.asList((Object[]) scopes)))
      .put("iat", now - 60)
      .put("exp", now + 3600)
      .put("jti", "test-" + System.nanoTime());
  }

  private static Future<FafClient> expectRejected(Vertx vertx, VertxTestContext ctx, String token) {
    return FafClient.webSocket(vertx, node.httpPort()).compose(client -> {
      client.send(auth(token));
      return client.expect("authentication_failed").compose(f -> roundTrip(client)).map(pong -> {
        ctx.verify(() -> assertThat(commands(client)).doesNotContain("welcome", "irc_password"));
        return client;
      });
    });
  }

  @Test
  @DisplayName("a token of the external issuer for an existing player with scope lobby logs in")
  void externalTokenLogsIn(Vertx vertx, VertxTestContext ctx) {
    account(vertx, node, "ext").compose(p -> FafClient.webSocket(vertx, node.httpPort()).compose(client -> {
      client.send(auth(jwt(issuerKey.getPrivate(), KID, claims(p.id(), "openid", "lobby"))));
      return client.expect("welcome").map(welcome -> {
        ctx.verify(() -> {
          assertThat(welcome.getInteger("id")).isEqualTo(p.id());
          assertThat(welcome.getString("login")).isEqualTo(p.login());
          assertThat(commands(client)).startsWith("irc_password", "welcome");
        });
        return client;
      });
    })).compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("the node's own tokens still log in when an external issuer is configured")
  void ownTokensStillWork(Vertx vertx, VertxTestContext ctx) {
    account(vertx, node, "extOwn").compose(p -> FafClient.webSocket(vertx, node.httpPort())
        .compose(client -> client.login(p.token()).map(w -> client)))
      .compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("an expired token of the external issuer: authentication_failed, connection kept")
  void expiredExternalToken(Vertx vertx, VertxTestContext ctx) {
    long now = Instant.now().getEpochSecond();
    account(vertx, node, "extOld").compose(p -> expectRejected(vertx, ctx,
        jwt(issuerKey.getPrivate(), KID, claims(p.id(), "lobby").put("iat", now - 7200).put("exp", now - 3600))))
      .compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a token of the external issuer for an unknown player id: authentication_failed")
  void unknownSubject(Vertx vertx, VertxTestContext ctx) {
    node.database().pool().query("SELECT coalesce(max(id), 0) + 1000 AS unused FROM account").execute()
      .compose(rows -> expectRejected(vertx, ctx,
        jwt(issuerKey.getPrivate(), KID, claims(rows.iterator().next().getInteger("unused"), "lobby"))))
      .compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a token signed by the external issuer's key but naming another issuer (or none): authentication_failed")
  void externalKeyOtherIssuer(Vertx vertx, VertxTestContext ctx) {
    account(vertx, node, "extIss").compose(p -> expectRejected(vertx, ctx,
          jwt(issuerKey.getPrivate(), KID, claims(p.id(), "lobby").put("iss", "https://elsewhere.example.test/")))
        .compose(FafClient::close)
        .compose(v -> expectRejected(vertx, ctx, jwt(issuerKey.getPrivate(), KID, claims(p.id(), "lobby").put("iss", null)))))
      .compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a token of the external issuer whose sub is not a player id: authentication_failed")
  void nonNumericSubject(Vertx vertx, VertxTestContext ctx) {
    expectRejected(vertx, ctx, jwt(issuerKey.getPrivate(), KID, claims("not-a-number", "lobby")))
      .compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a token of the external issuer without scope lobby: authentication_failed")
  void externalTokenWithoutLobbyScope(Vertx vertx, VertxTestContext ctx) {
    account(vertx, node, "extScope").compose(p -> expectRejected(vertx, ctx,
        jwt(issuerKey.getPrivate(), KID, claims(p.id(), "openid", "public_profile"))))
      .compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("an unsigned token (alg none) naming an existing player: authentication_failed")
  void unsignedToken(Vertx vertx, VertxTestContext ctx) {
    account(vertx, node, "extNone").compose(p -> {
      String header = b64(new JsonObject().put("alg", "none").put("typ", "JWT").put("kid", KID).encode()
        .getBytes(StandardCharsets.UTF_8));
      String payload = b64(claims(p.id(), "lobby").encode().getBytes(StandardCharsets.UTF_8));
      return expectRejected(vertx, ctx, header + "." + payload + ".");
    }).compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a token signed by a key that is not in the JWKS, under a known kid: authentication_failed")
  void tokenSignedByUnknownKey(Vertx vertx, VertxTestContext ctx) {
    account(vertx, node, "extForged").compose(p -> expectRejected(vertx, ctx,
        jwt(strangerKey.getPrivate(), KID, claims(p.id(), "lobby"))))
      .compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }
}
