package dev.skirmish.gateway;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Argon2id password hashing on its own bounded pool of worker threads ({@code PASSWORD_HASH_THREADS}, with at
 * most {@code PASSWORD_HASH_QUEUE} more waiting): beyond that, a request fails at once with {@link Busy}
 * instead of queueing without end, so a flood of logins cannot hold every worker thread. What is hashed is the lower-case sha256 hex of the
 * password, because the legacy FAF {@code hello} sends exactly that; the REST logins hash the plain
 * password to sha256 hex first, so both verify against one stored hash.
 */
public final class PasswordHasher {

  /** The pool and its queue are full: try again in a moment. */
  public static final class Busy extends RuntimeException {
    Busy() {
      super("password hashing is at capacity", null, false, false);
    }
  }

  private final WorkerExecutor workers;
  private final int capacity;
  private final AtomicInteger pending = new AtomicInteger();
  private final Argon2Function argon2;
  private final String dummyHash;

  public PasswordHasher(Vertx vertx, NodeConfig config) {
    int threads = config.getInt(Setting.PASSWORD_HASH_THREADS);
    this.workers = vertx.createSharedWorkerExecutor("password-hash", threads);
    this.capacity = threads + config.getInt(Setting.PASSWORD_HASH_QUEUE);
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
    return submit(() -> Password.hash(normalized).addRandomSalt(16).with(argon2).getResult());
  }

  /**
   * Verifies a sha256 hex digest against a stored hash. A null stored hash (unknown account) still costs
   * one hash computation, so response times do not reveal which accounts exist.
   */
  public Future<Boolean> verify(String sha256Hex, String storedHash) {
    String normalized = sha256Hex == null ? "" : sha256Hex.toLowerCase(java.util.Locale.ROOT);
    return submit(() -> {
      if (storedHash == null) {
        Password.check(normalized, dummyHash).with(argon2);
        return false;
      }
      return Password.check(normalized, storedHash).with(Argon2Function.getInstanceFromHash(storedHash));
    });
  }

  private <T> Future<T> submit(Callable<T> work) {
    if (pending.incrementAndGet() > capacity) {
      pending.decrementAndGet();
      return Future.failedFuture(new Busy());
    }
    return workers.executeBlocking(work, false).onComplete(ar -> pending.decrementAndGet());
  }
}
