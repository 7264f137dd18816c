package dev.skirmish.gateway;

import dev.skirmish.common.Ids;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Issues and verifies the RS256 access tokens of the FAF protocol. The signing key is created once and
 * kept in the database, so every node of a cluster signs with the same key and restarts keep it. Tokens
 * of an external issuer are accepted too when {@code JWKS_URL} is set.
 */
public final class TokenService {

  private static final Logger LOG = LoggerFactory.getLogger(TokenService.class);

  private final Vertx vertx;
  private final NodeConfig config;
  private final Pool pool;
  private WebClient webClient;
  private JWTAuth signer;
  private JsonObject ownJwk;
  private volatile List<JsonObject> externalJwks = List.of();
  private volatile JWTAuth verifier;
  private long lastExternalFetch;
  private String kid;

  public TokenService(Vertx vertx, NodeConfig config, Pool pool) {
    this.vertx = vertx;
    this.config = config;
    this.pool = pool;
  }

  /** Loads (or creates) the signing key and fetches the external JWKS if one is configured. */
  public Future<Void> start() {
    return loadOrCreateKey().compose(v -> {
      if (config.get(Setting.JWKS_URL).isBlank()) {
        return Future.succeededFuture();
      }
      webClient = WebClient.create(vertx);
      long every = config.getLong(Setting.JWKS_REFRESH_SECONDS) * 1000;
      vertx.setPeriodic(every, every, id -> fetchExternal());
      // A JWKS server that is down at start must not stop the node: local tokens keep working.
      return fetchExternal().recover(err -> Future.succeededFuture());
    });
  }

  private Future<Void> loadOrCreateKey() {
    return pool.query("SELECT kid, private_pem, public_pem FROM signing_key WHERE id = 1").execute()
      .compose(rows -> {
        if (rows.size() > 0) {
          return Future.succeededFuture(rows.iterator().next());
        }
        return vertx.executeBlocking(TokenService::generateKey, false)
          .compose(k -> pool.preparedQuery(
              "INSERT INTO signing_key (id, kid, private_pem, public_pem) VALUES (1, $1, $2, $3) ON CONFLICT (id) DO NOTHING")
            .execute(Tuple.of(k[0], k[1], k[2])))
          .compose(r -> pool.query("SELECT kid, private_pem, public_pem FROM signing_key WHERE id = 1").execute())
          .map(r -> r.iterator().next());
      })
      .map(row -> {
        install(row);
        return null;
      });
  }

  private void install(Row row) {
    kid = row.getString("kid");
    String privatePem = row.getString("private_pem");
    String publicPem = row.getString("public_pem");
    signer = JWTAuth.create(vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setId(kid).setBuffer(privatePem))
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setId(kid).setBuffer(publicPem)));
    ownJwk = toJwk(publicPem, kid);
    rebuildVerifier();
  }

  private static String[] generateKey() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    KeyPair pair = gen.generateKeyPair();
    Base64.Encoder enc = Base64.getMimeEncoder(64, "\n".getBytes());
    String priv = "-----BEGIN PRIVATE KEY-----\n" + enc.encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    String pub = "-----BEGIN PUBLIC KEY-----\n" + enc.encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    LOG.info("Generated a new RS256 signing key");
    return new String[] {Ids.ulid(), priv, pub};
  }

  private static JsonObject toJwk(String publicPem, String kid) {
    try {
      String b64 = publicPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA")
        .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
      return new JsonObject()
        .put("kty", "RSA").put("use", "sig").put("alg", "RS256").put("kid", kid)
        .put("n", base64Url(key.getModulus()))
        .put("e", base64Url(key.getPublicExponent()));
    } catch (Exception e) {
      throw new IllegalStateException("bad public key", e);
    }
  }

  private static String base64Url(BigInteger n) {
    byte[] bytes = n.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private Future<Void> fetchExternal() {
    lastExternalFetch = System.currentTimeMillis();
    String url = config.get(Setting.JWKS_URL);
    return webClient.getAbs(url).send()
      .compose(resp -> {
        if (resp.statusCode() != 200) {
          return Future.failedFuture("JWKS " + url + " answered " + resp.statusCode());
        }
        JsonArray keys = resp.bodyAsJsonObject().getJsonArray("keys", new JsonArray());
        List<JsonObject> list = new ArrayList<>();
        for (Object k : keys) {
          JsonObject jwk = ((JsonObject) k).copy();
          if ("RSA".equals(jwk.getString("kty")) && !jwk.containsKey("alg")) {
            jwk.put("alg", "RS256");
          }
          if (!"enc".equals(jwk.getString("use"))) {
            list.add(jwk);
          }
        }
        externalJwks = List.copyOf(list);
        rebuildVerifier();
        LOG.info("Loaded {} key(s) from external JWKS {}", list.size(), url);
        return Future.<Void>succeededFuture();
      })
      .onFailure(err -> LOG.warn("Could not load external JWKS {}: {}", url, err.getMessage()));
  }

  private void rebuildVerifier() {
    List<JsonObject> all = new ArrayList<>();
    all.add(ownJwk);
    all.addAll(externalJwks);
    verifier = JWTAuth.create(vertx, new JWTAuthOptions().setJwks(all)
      .setJWTOptions(new JWTOptions().setLeeway(config.getInt(Setting.JWT_LEEWAY_SECONDS))));
  }

  /** The public keys that verify this node's tokens, as a JWKS document. */
  public JsonObject jwks() {
    return new JsonObject().put("keys", new JsonArray().add(ownJwk));
  }

  /** Issues an access token for a player. */
  public String issue(int playerId, String login, List<String> scopes) {
    JsonObject claims = new JsonObject()
      .put("sub", String.valueOf(playerId))
      .put("user_name", login)
      .put("scp", new JsonArray(scopes))
      .put("jti", Ids.ulid());
    return signer.generateToken(claims, new JWTOptions()
      .setAlgorithm("RS256")
      .setIssuer(config.get(Setting.JWT_ISSUER))
      .setExpiresInSeconds(config.getInt(Setting.JWT_LIFETIME_SECONDS))
      .setHeader(new JsonObject().put("kid", kid)));
  }

  public int lifetimeSeconds() {
    return config.getInt(Setting.JWT_LIFETIME_SECONDS);
  }

  /** A token refused for a reason worth telling the client. */
  public static final class Rejected extends RuntimeException {
    Rejected(String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * Verifies a token and returns its claims: the header's {@code alg} must be RS256 (the algorithm of every
   * key this node trusts, so neither {@code none} nor an HMAC keyed with a public key gets near a check), the
   * signature must verify, {@code exp} must be present and, like {@code nbf} and {@code iat}, hold within
   * {@code JWT_LEEWAY_SECONDS}; {@code iss} must be {@code JWT_ISSUER} for this node's key and
   * {@code JWKS_ISSUER} (when set) for the external issuer's keys. With an external issuer configured, a
   * failure caused by an unknown key triggers one JWKS refetch (at most every 5 s) before giving up.
   */
  public Future<JsonObject> verify(String token) {
    String[] parts = token.split("\\.", -1);
    JsonObject header = parts.length == 3 ? part(parts[0]) : null;
    JsonObject claims = parts.length == 3 ? part(parts[1]) : null;
    if (header == null || claims == null) {
      return Future.failedFuture(new Rejected("The token is not a JWT."));
    }
    if (!"RS256".equals(header.getValue("alg"))) {
      return Future.failedFuture(new Rejected("Tokens signed with " + header.getValue("alg") + " are not accepted."));
    }
    if (!(claims.getValue("exp") instanceof Number)) {
      return Future.failedFuture(new Rejected("The token has no expiry."));
    }
    for (String time : List.of("nbf", "iat")) {
      if (claims.getValue(time) != null && !(claims.getValue(time) instanceof Number)) {
        return Future.failedFuture(new Rejected("The token's " + time + " is not a number."));
      }
    }
    // The claims are read from the token itself once its signature is verified.
    return verifySignature(token).compose(v -> {
      String problem = claimsProblem(claims, kid.equals(header.getValue("kid")));
      return problem == null ? Future.succeededFuture(claims) : Future.failedFuture(new Rejected(problem));
    });
  }

  /** One base64url JSON part of a token, or null. */
  private static JsonObject part(String encoded) {
    try {
      return new JsonObject(new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private String claimsProblem(JsonObject claims, boolean ownKey) {
    long now = System.currentTimeMillis() / 1000;
    long leeway = config.getLong(Setting.JWT_LEEWAY_SECONDS);
    long exp = ((Number) claims.getValue("exp")).longValue();
    if (exp + leeway < now) {
      return "The token has expired.";
    }
    if (claims.getValue("nbf") instanceof Number nbf && nbf.longValue() - leeway > now) {
      return "The token is not valid yet.";
    }
    String expected = ownKey ? config.get(Setting.JWT_ISSUER) : config.get(Setting.JWKS_ISSUER);
    if (!expected.isBlank() && !expected.equals(claims.getValue("iss"))) {
      return "The token was not issued by a trusted issuer.";
    }
    return null;
  }

  private Future<Void> verifySignature(String token) {
    return authenticate(token)
      .recover(err -> {
        if (webClient == null || System.currentTimeMillis() - lastExternalFetch < 5000) {
          return Future.failedFuture(err);
        }
        return fetchExternal().compose(v -> authenticate(token));
      });
  }

  /** The verifier's check, with anything it throws (on claims it did not expect) as a failed future. */
  private Future<Void> authenticate(String token) {
    try {
      return verifier.authenticate(new TokenCredentials(token)).mapEmpty();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
