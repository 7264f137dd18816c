package dev.skirmish.common;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Immutable, resolved node configuration. Environment variables win over the config file, which wins
 * over the defaults of {@link Setting}.
 */
public final class NodeConfig {

  /** Service roles a node can run. */
  public static final Set<String> ALL_ROLES = Set.of("gateway", "games", "matchmaker", "party", "signaling");

  private final Map<Setting, String> values;

  private NodeConfig(Map<Setting, String> values) {
    this.values = values;
  }

  /** Resolves the configuration of a process from its environment and optional config file. */
  public static NodeConfig fromEnvironment() {
    return resolve(System.getenv());
  }

  /** Resolves the configuration from the given variables (tests pass their own). */
  public static NodeConfig resolve(Map<String, String> env) {
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    for (Setting s : Setting.values()) {
      values.put(s, s.defaultValue());
    }
    String file = env.getOrDefault(Setting.CONFIG_FILE.name(), "");
    if (!file.isBlank()) {
      JsonObject json = readFile(Path.of(file));
      for (String key : json.fieldNames()) {
        Setting s = settingNamed(key);
        values.put(s, String.valueOf(json.getValue(key)));
      }
    }
    for (Setting s : Setting.values()) {
      String v = env.get(s.name());
      if (v != null) {
        values.put(s, v);
      }
    }
    NodeConfig config = new NodeConfig(values);
    config.validate();
    return config;
  }

  /** Defaults plus the given overrides, as {@code KEY, value, KEY, value...}. */
  public static NodeConfig of(String... keyValues) {
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("key/value pairs expected");
    }
    Map<String, String> env = new java.util.HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      env.put(keyValues[i], keyValues[i + 1]);
    }
    return resolve(env);
  }

  /** A copy with some settings replaced. */
  public NodeConfig with(Setting setting, String value) {
    Map<Setting, String> copy = new EnumMap<>(values);
    copy.put(setting, value);
    NodeConfig config = new NodeConfig(copy);
    config.validate();
    return config;
  }

  public String get(Setting s) {
    return values.get(s);
  }

  public int getInt(Setting s) {
    return Integer.parseInt(values.get(s).trim());
  }

  public long getLong(Setting s) {
    return Long.parseLong(values.get(s).trim());
  }

  public boolean getBoolean(Setting s) {
    return Boolean.parseBoolean(values.get(s).trim());
  }

  /** The roles this node runs, in a stable order. */
  public Set<String> roles() {
    return Arrays.stream(values.get(Setting.ROLES).split(","))
      .map(r -> r.trim().toLowerCase(Locale.ROOT))
      .filter(r -> !r.isEmpty())
      .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  public boolean hasRole(String role) {
    return roles().contains(role);
  }

  private void validate() {
    for (String role : roles()) {
      if (!ALL_ROLES.contains(role)) {
        throw new IllegalArgumentException("ROLES: unknown role '" + role + "', expected some of " + ALL_ROLES);
      }
    }
    for (Setting s : Setting.values()) {
      String def = s.defaultValue();
      String v = values.get(s);
      try {
        if (def.matches("-?\\d+")) {
          Long.parseLong(v.trim());
        } else if (def.equals("true") || def.equals("false")) {
          if (!v.trim().equalsIgnoreCase("true") && !v.trim().equalsIgnoreCase("false")) {
            throw new IllegalArgumentException();
          }
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(s.name() + ": '" + v + "' is not a valid value (default " + def + ")");
      }
    }
    if (getBoolean(Setting.CLUSTER) && get(Setting.DATABASE_URL).isBlank()) {
      throw new IllegalArgumentException("CLUSTER=true needs DATABASE_URL: the nodes of a cluster share one PostgreSQL,"
        + " and without it each node would start an embedded database of its own");
    }
    if (getInt(Setting.SHUTDOWN_GRACE_SECONDS) < 1) {
      throw new IllegalArgumentException("SHUTDOWN_GRACE_SECONDS must be at least 1: the node needs time to drain");
    }
    checkDistinctPorts();
  }

  /** The fixed ports this node listens on (0 = a free one, negative = off) must differ. */
  private void checkDistinctPorts() {
    Map<Integer, Setting> taken = new HashMap<>();
    List<Setting> ports = new ArrayList<>(List.of(Setting.MANAGEMENT_PORT));
    if (hasRole("gateway")) {
      ports.addAll(List.of(Setting.HTTP_PORT, Setting.FAF_TCP_PORT));
    }
    for (Setting s : ports) {
      int port = getInt(s);
      if (port <= 0) {
        continue;
      }
      Setting other = taken.putIfAbsent(port, s);
      if (other != null) {
        throw new IllegalArgumentException(other.name() + " and " + s.name() + " are both " + port
          + ": each port of a node must differ");
      }
    }
  }

  private static Setting settingNamed(String key) {
    try {
      return Setting.valueOf(key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("config file: unknown key '" + key + "'");
    }
  }

  private static JsonObject readFile(Path path) {
    try {
      return new JsonObject(Files.readString(path));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read config file " + path, e);
    }
  }

  @Override
  public String toString() {
    return values.entrySet().stream()
      .map(e -> e.getKey() + "=" + (e.getKey() == Setting.DATABASE_URL ? redact(e.getValue()) : e.getValue()))
      .collect(Collectors.joining(", ", "NodeConfig{", "}"));
  }

  private static String redact(String url) {
    return url.replaceAll("://([^:/@]+):[^@]*@", "://$1:***@");
  }
}
