package dev.skirmish.common;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeConfigTest {

  @Test
  void defaultsMatchTheContract() {
    NodeConfig c = NodeConfig.resolve(Map.of());
    assertThat(c.getInt(Setting.HTTP_PORT)).isEqualTo(8080);
    assertThat(c.getInt(Setting.FAF_TCP_PORT)).isEqualTo(8002);
    assertThat(c.getBoolean(Setting.CLUSTER)).isFalse();
    assertThat(c.get(Setting.DATABASE_URL)).isEmpty();
    assertThat(c.roles()).containsExactly("gateway", "games", "matchmaker", "party", "signaling");
    assertThat(c.getInt(Setting.FAF_PING_INTERVAL_SECONDS)).isEqualTo(45);
    assertThat(c.getInt(Setting.FAF_LOGIN_TIMEOUT_SECONDS)).isEqualTo(30);
    assertThat(c.getInt(Setting.OMEGA_TOKEN_LIFETIME_SECONDS)).isEqualTo(86400);
  }

  @Test
  void environmentWinsOverFileWhichWinsOverDefaults(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("node.json");
    Files.writeString(file, "{\"HTTP_PORT\": 9000, \"FAF_TCP_PORT\": 9002, \"CLUSTER\": true,"
      + " \"DATABASE_URL\": \"postgresql://u:p@db:5432/x\"}");
    NodeConfig c = NodeConfig.resolve(Map.of("CONFIG_FILE", file.toString(), "HTTP_PORT", "9100"));
    assertThat(c.getInt(Setting.HTTP_PORT)).isEqualTo(9100);
    assertThat(c.getInt(Setting.FAF_TCP_PORT)).isEqualTo(9002);
    assertThat(c.getBoolean(Setting.CLUSTER)).isTrue();
    assertThat(c.getInt(Setting.MAX_MESSAGE_BYTES)).isEqualTo(1048576);
  }

  @Test
  void rolesAreParsedAndChecked() {
    assertThat(NodeConfig.of("ROLES", " Gateway, signaling ").roles()).containsExactly("gateway", "signaling");
    assertThatThrownBy(() -> NodeConfig.of("ROLES", "gateway,lobby"))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lobby");
  }

  @Test
  void badValuesAreRefusedWithTheKeyName(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> NodeConfig.of("HTTP_PORT", "eighty"))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HTTP_PORT");
    assertThatThrownBy(() -> NodeConfig.of("CLUSTER", "yes"))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CLUSTER");
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"HTTP_PROT\": 1}");
    assertThatThrownBy(() -> NodeConfig.of("CONFIG_FILE", file.toString()))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HTTP_PROT");
  }

  @Test
  void toStringHidesTheDatabasePassword() {
    NodeConfig c = NodeConfig.of("DATABASE_URL", "postgresql://app:s3cret@db:5432/skirmish");
    assertThat(c.toString()).contains("postgresql://app:***@db:5432/skirmish").doesNotContain("s3cret");
  }

  @Test
  void aClusterWithoutAnExternalDatabaseIsRefused() {
    assertThatThrownBy(() -> NodeConfig.of("CLUSTER", "true"))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CLUSTER=true needs DATABASE_URL");
    assertThat(NodeConfig.of("CLUSTER", "true", "DATABASE_URL", "postgresql://u:p@db:5432/x").getBoolean(Setting.CLUSTER))
      .isTrue();
  }

  @Test
  void aDrainNeedsAtLeastOneSecond() {
    assertThatThrownBy(() -> NodeConfig.of("SHUTDOWN_GRACE_SECONDS", "0"))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SHUTDOWN_GRACE_SECONDS must be at least 1");
    assertThat(NodeConfig.of("SHUTDOWN_GRACE_SECONDS", "40").getInt(Setting.SHUTDOWN_GRACE_SECONDS)).isEqualTo(40);
  }

  @Test
  void portsOfOneNodeMustDiffer() {
    assertThatThrownBy(() -> NodeConfig.of("MANAGEMENT_PORT", "8080"))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MANAGEMENT_PORT and HTTP_PORT are both 8080");
    assertThatThrownBy(() -> NodeConfig.of("FAF_TCP_PORT", "8080"))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("are both 8080");
    // Free ports (0) and ports that are off (-1) never clash; a node without the gateway role opens no HTTP port.
    assertThat(NodeConfig.of("HTTP_PORT", "0", "FAF_TCP_PORT", "0", "MANAGEMENT_PORT", "0")).isNotNull();
    assertThat(NodeConfig.of("ROLES", "games", "MANAGEMENT_PORT", "8080")).isNotNull();
  }
}
