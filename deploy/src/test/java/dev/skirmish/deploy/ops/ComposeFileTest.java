package dev.skirmish.deploy.ops;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/docker-compose.yml, checked without Docker: PostgreSQL and every role twice, each node in its own
 * container of one cluster, health checks on the management port with a tool the image has, start order by
 * health, and the k6 profile running the scripts of deploy/k6 against the gateways.
 */
class ComposeFileTest {

  private static final Pattern DEFAULT = Pattern.compile("^\\$\\{[A-Z0-9_]+:-(.*)}$");

  private static Path deploy;
  private static Map<String, Object> services;

  @BeforeAll
  static void parse() {
    deploy = DeployFiles.deployDir();
    services = Tree.mapAt(DeployFiles.document(deploy.resolve("docker-compose.yml")), "services", "docker-compose.yml");
  }

  private static List<String> nodes() {
    return services.keySet().stream().filter(name -> env(name).containsKey("ROLES")).sorted().toList();
  }

  private static Map<String, Object> service(String name) {
    return Tree.mapAt(services, name, "service " + name);
  }

  private static Map<String, Object> env(String name) {
    Object env = service(name).get("environment");
    return env == null ? Map.of() : Tree.map(env);
  }

  @Test
  @DisplayName("PostgreSQL and every role twice, each node its own container, all in one cluster on that database")
  void everyRoleTwiceInOneCluster() {
    assertThat(Tree.text(service("postgres"), "image")).as("postgres image").startsWith("postgres:");
    for (String role : KubernetesManifestsTest.ROLES) {
      assertThat(nodes().stream().filter(n -> role.equals(String.valueOf(env(n).get("ROLES")))))
        .as("services with ROLES=" + role).hasSize(2);
    }
    assertThat(nodes()).as("nodes").hasSize(2 * KubernetesManifestsTest.ROLES.size());
    List<String> hostnames = nodes().stream().map(n -> Tree.text(service(n), "hostname")).toList();
    assertThat(hostnames).as("host names").doesNotContainNull().doesNotHaveDuplicates();
    Map<String, Object> pg = Tree.mapAt(service("postgres"), "environment", "postgres");
    String database = "postgresql://" + pg.get("POSTGRES_USER") + ":" + pg.get("POSTGRES_PASSWORD") + "@postgres:5432/"
      + pg.get("POSTGRES_DB");
    for (String n : nodes()) {
      Map<String, Object> env = env(n);
      assertThat(env.get("CLUSTER")).as(n + " CLUSTER").isEqualTo("true");
      assertThat(env.get("CLUSTER_NAME")).as(n + " CLUSTER_NAME").isEqualTo(env(nodes().get(0)).get("CLUSTER_NAME"));
      assertThat(Arrays.stream(String.valueOf(env.get("CLUSTER_MEMBERS")).split(",")).map(String::trim))
        .as(n + " CLUSTER_MEMBERS").containsExactlyInAnyOrderElementsOf(hostnames);
      assertThat(env.get("EVENTBUS_PUBLIC_HOST")).as(n + " EVENTBUS_PUBLIC_HOST").isEqualTo(Tree.text(service(n), "hostname"));
      assertThat(env.get("DATABASE_URL")).as(n + " DATABASE_URL").isEqualTo(database);
    }
    List<String> published = new ArrayList<>();
    nodes().forEach(n -> Tree.listAt(service(n), "ports").forEach(p -> published.add(String.valueOf(p).split(":")[0])));
    assertThat(published).as("published host ports").isNotEmpty().doesNotHaveDuplicates();
  }

  @Test
  @DisplayName("every long-running service has a health check; the nodes' ask the management port with curl, which the image installs")
  void healthChecks() throws IOException {
    for (String name : services.keySet()) {
      if (Tree.listAt(service(name), "profiles").isEmpty()) {
        assertThat(Tree.listAt(service(name), "healthcheck.test")).as(name + " healthcheck.test").isNotEmpty();
      }
    }
    String dockerfile = Files.readString(deploy.resolve("docker/Dockerfile"));
    String runtimeStage = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
    for (String n : nodes()) {
      List<Object> test = Tree.listAt(service(n), "healthcheck.test");
      assertThat(test).as(n + " healthcheck").startsWith("CMD", "curl");
      String port = String.valueOf(env(n).get("MANAGEMENT_PORT"));
      assertThat(test.get(test.size() - 1)).as(n + " healthcheck URL")
        .isIn("http://127.0.0.1:" + port + "/ready", "http://127.0.0.1:" + port + "/health");
      assertThat(Tree.text(service(n), "healthcheck.start_period")).as(n + " start_period").isNotBlank();
    }
    assertThat(runtimeStage).as("the runtime stage of the Dockerfile installs curl for the health checks")
      .containsPattern("apt-get install[^\\n]*(\\\\\\n[^\\n]*)*\\bcurl\\b");
  }

  @Test
  @DisplayName("start order by health: the nodes wait for a healthy PostgreSQL, k6 for healthy gateways")
  void dependsOnHealth() {
    for (String name : services.keySet()) {
      Object deps = service(name).get("depends_on");
      if (deps == null) {
        continue;
      }
      Tree.map(deps).forEach((dep, spec) -> {
        assertThat(services).as(name + " depends on " + dep).containsKey(dep);
        assertThat(Tree.text(Tree.map(spec), "condition")).as(name + " waits for " + dep).isEqualTo("service_healthy");
      });
    }
    for (String n : nodes()) {
      assertThat(Tree.mapAt(service(n), "depends_on", n)).as(n + " depends_on").containsKey("postgres");
    }
  }

  @Test
  @DisplayName("the k6 profile runs every script of deploy/k6 against the gateways")
  void k6Profile() throws IOException {
    Map<String, Object> k6 = service("k6");
    assertThat(Tree.listAt(k6, "profiles")).as("k6 profiles").containsExactly("k6");
    assertThat(Tree.text(k6, "image")).as("k6 image").startsWith("grafana/k6");
    Path scriptsOnHost = null;
    String scriptsInContainer = null;
    for (Object volume : Tree.listAt(k6, "volumes")) {
      String[] parts = String.valueOf(volume).split(":");
      Path host = deploy.resolve(parts[0]).normalize();
      if (host.equals(deploy.resolve("k6"))) {
        scriptsOnHost = host;
        scriptsInContainer = parts[1];
      }
    }
    assertThat(scriptsOnHost).as("k6 mounts deploy/k6").isNotNull();
    Map<String, Object> env = Tree.mapAt(k6, "environment", "k6");
    Matcher m = DEFAULT.matcher(String.valueOf(env.get("K6_SCRIPTS")));
    assertThat(m.matches()).as("K6_SCRIPTS has a default list").isTrue();
    List<String> scripts = Arrays.asList(m.group(1).trim().split("\\s+"));
    List<String> onDisk;
    try (Stream<Path> files = Files.list(scriptsOnHost)) {
      onDisk = files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".js")).sorted().toList();
    }
    assertThat(scripts).as("K6_SCRIPTS default: the scripts of deploy/k6").containsExactlyInAnyOrderElementsOf(onDisk);
    assertThat(String.valueOf(Tree.listAt(k6, "command"))).as("k6 command runs the mounted scripts")
      .contains("k6 run \"" + scriptsInContainer + "/$$s\"");
    List<String> gateways = nodes().stream().filter(n -> "gateway".equals(env(n).get("ROLES"))).toList();
    for (String key : List.of("BASE", "HOST_WS", "PEER_WS", "JOINER_WS")) {
      String url = String.valueOf(env.get(key));
      assertThat(gateways.stream().anyMatch(g -> url.matches("(http|ws)://" + g + ":8080")))
        .as("k6 " + key + "=" + url + " is a gateway's HTTP port").isTrue();
    }
    assertThat(env.get("HOST_WS")).as("relay pairs span both gateways").isNotEqualTo(env.get("PEER_WS"));
    assertThat(Tree.mapAt(k6, "depends_on", "k6")).as("k6 waits for the gateways").containsKeys(gateways.toArray(String[]::new));
  }
}
