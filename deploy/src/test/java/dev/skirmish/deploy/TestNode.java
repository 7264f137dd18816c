package dev.skirmish.deploy;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.concurrent.TimeUnit;

/**
 * One node for a test class, started before its tests and closed after them:
 * {@code @RegisterExtension static final TestNode NODE = new TestNode("KEY", "value");}.
 * The settings are those of {@link TestNodes#start}, overridden by the {@code KEY, value} pairs.
 */
final class TestNode implements BeforeAllCallback, AfterAllCallback {

  private final String[] overrides;
  private Node node;

  TestNode(String... overrides) {
    if (overrides.length % 2 != 0) {
      throw new IllegalArgumentException("overrides come in KEY, value pairs");
    }
    this.overrides = overrides.clone();
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    node = TestNodes.start(overrides).await(2, TimeUnit.MINUTES);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    Node running = node;
    node = null;
    if (running != null) {
      running.close().await(1, TimeUnit.MINUTES);
    }
  }

  /** The running node. */
  Node node() {
    if (node == null) {
      throw new IllegalStateException("the node runs only between the test class's before-all and after-all");
    }
    return node;
  }

  int httpPort() {
    return node().httpPort();
  }

  int fafTcpPort() {
    return node().fafTcpPort();
  }
}
