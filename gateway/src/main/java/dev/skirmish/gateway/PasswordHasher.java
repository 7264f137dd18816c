package dev.skirmish.gateway;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Argon2id password hashing on worker threads. What is hashed is the lower-case sha256 hex of the
 * password, because the legacy FAF {@code hello} sends exactly that; the REST logins hash the plain
 * password to sha256 hex first, so both verify against one stored hash.
 */
public final class PasswordHasher {

  private final Vertx vertx;
  private final Argon2Function argon2;
  private final String dummyHash;

  public PasswordHasher(Vertx vertx, NodeConfig config) {
    this.vertx = vertx;
    this.argon2 = Argon2Function.getInstance(config.getInt(Setting.PASSWORD_HASH_MEMORY_KIB),
      config.getInt(Setting.PASSWORD_HASH_ITERATIONS), 1, 32, Argon2.ID);
    this.dummyHash = Password.hash("dummy").addRandomSalt(16).with(argon2).getResult();
  }

  /** sha256 of the UTF-8 plain password, as lower-case hex. */
  public static String sha256Hex(String plain) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(plain.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Hashes a sha256 hex digest for storage. */
  public Future<String> hash(String sha256Hex) {
    String normalized = sha256Hex.toLowerCase(java.util.Locale.ROOT);
    return vertx.executeBlocking(() -> Password.hash(normalized).addRandomSalt(16).with(argon2).getResult(), false);
  }

  /**
   * Verifies a sha256 hex digest against a stored hash. A null stored hash (unknown account) still costs
   * one hash computation, so response times do not reveal which accounts exist.
   */
  public Future<Boolean> verify(String sha256Hex, String storedHash) {
    String normalized = sha256Hex == null ? "" : sha256Hex.toLowerCase(java.util.Locale.ROOT);
    return vertx.executeBlocking(() -> {
      if (storedHash == null) {
        Password.check(normalized, dummyHash).with(argon2);
        return false;
      }
      return Password.check(normalized, storedHash).with(Argon2Function.getInstanceFromHash(storedHash));
    }, false);
  }
}
