package dev.skirmish.deploy;

import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.testing.TestDatabase;
import io.vertx.core.Future;

import java.util.HashMap;
import java.util.Map;

/** Starts nodes for black-box tests: ephemeral ports, the shared test database, cheap password hashing. */
final class TestNodes {

  private TestNodes() {
  }

  /** A node with test defaults, overridden by {@code KEY, value} pairs. */
  static Future<Node> start(String... overrides) {
    return Node.start(config(overrides));
  }

  static NodeConfig config(String... overrides) {
    return NodeConfig.resolve(environment(overrides));
  }

  /** The settings of a test node as environment variables (for a node in a JVM of its own, too). */
  static Map<String, String> environment(String... overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("HTTP_PORT", "0");
    env.put("FAF_TCP_PORT", "0");
    env.put("MANAGEMENT_PORT", "0");
    env.put("DATABASE_URL", TestDatabase.url());
    // Suites use the demo game of the development seed (off by default with DATABASE_URL).
    env.put("DEV_SEED", "true");
    env.put("DATABASE_POOL_SIZE", "4");
    // Argon2id stays memory-hard in tests, with a smaller cost so suites run fast.
    env.put("PASSWORD_HASH_MEMORY_KIB", "1024");
    env.put("PASSWORD_HASH_ITERATIONS", "1");
    // Every suite connects from one loopback address: the per-address limits are the subject of their own
    // tests, which set them low.
    env.put("AUTH_REQUESTS_PER_IP", "1000000");
    env.put("MAX_CONNECTIONS_PER_IP", "1000000");
    // Suites script bursts of messages far beyond a person's pace; the message rate has its own tests too.
    env.put("INBOUND_MESSAGES_PER_SECOND", "1000000");
    env.put("INBOUND_MESSAGE_BURST", "1000000");
    for (int i = 0; i < overrides.length; i += 2) {
      env.put(overrides[i], overrides[i + 1]);
    }
    return env;
  }
}
