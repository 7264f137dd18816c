package dev.skirmish.deploy.ops;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/grafana/skirmish.json: the dashboard parses, its panels are laid out without overlap and query
 * something, every query filters on the dashboard's node variable, and together they use every series the
 * nodes export (by the Micrometer names README's Endpoints section lists), and no other.
 */
class GrafanaDashboardTest {

  /** Series the nodes export; a name ending in '_' stands for every series of that prefix. */
  private static final List<String> SERIES = List.of(
    "jvm_memory_used_bytes", "jvm_gc_pause_seconds_", "jvm_threads_live_threads", "process_cpu_usage",
    "process_files_open_files", "vertx_eventbus_", "vertx_http_server_", "skirmish_cluster_members",
    "skirmish_connections", "skirmish_players_online", "skirmish_games", "skirmish_matchmaker_queue_players",
    "skirmish_matchmaker_pop_seconds_", "skirmish_matchmaker_matches_total", "skirmish_parties",
    "skirmish_omega_lobbies", "skirmish_omega_peers", "skirmish_relay_messages_total", "skirmish_relay_bytes_total",
    "skirmish_frames_rejected_total", "skirmish_login_seconds_bucket");
  /** Series that come with one above: the count and sum of the login histogram. */
  private static final Set<String> COMPANIONS = Set.of("skirmish_login_seconds_count", "skirmish_login_seconds_sum");
  private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");
  private static final String NODE_FILTER = "node=~\"$node\"";

  private static JsonObject dashboard;
  private static List<JsonObject> panels;

  @BeforeAll
  static void parse() throws Exception {
    dashboard = new JsonObject(Files.readString(DeployFiles.deployDir().resolve("grafana/skirmish.json")));
    panels = new ArrayList<>();
    dashboard.getJsonArray("panels").forEach(p -> panels.add((JsonObject) p));
  }

  private static List<JsonObject> queryPanels() {
    return panels.stream().filter(p -> !"row".equals(p.getString("type"))).toList();
  }

  private static List<String> expressions() {
    List<String> out = new ArrayList<>();
    queryPanels().forEach(p -> p.getJsonArray("targets").forEach(t -> out.add(((JsonObject) t).getString("expr"))));
    return out;
  }

  @Test
  @DisplayName("a dashboard with a uid, a Prometheus data source variable and a multi-value node variable")
  void variables() {
    assertThat(dashboard.getString("uid")).isNotBlank();
    assertThat(dashboard.getString("title")).isNotBlank();
    JsonArray vars = dashboard.getJsonObject("templating").getJsonArray("list");
    JsonObject datasource = find(vars, "datasource");
    assertThat(datasource.getString("type")).isEqualTo("datasource");
    assertThat(datasource.getString("query")).isEqualTo("prometheus");
    JsonObject node = find(vars, "node");
    assertThat(node.getBoolean("multi")).isTrue();
    assertThat(node.getBoolean("includeAll")).isTrue();
    assertThat(node.getString("definition")).startsWith("label_values(").endsWith(", node)");
  }

  @Test
  @DisplayName("every panel queries something, with unique ids and refIds, laid out on the grid without overlap")
  void panelsHaveTargets() {
    assertThat(queryPanels()).isNotEmpty();
    Set<Integer> ids = new HashSet<>();
    List<int[]> boxes = new ArrayList<>();
    for (JsonObject p : panels) {
      String what = "panel '" + p.getString("title") + "'";
      assertThat(ids.add(p.getInteger("id"))).as(what + " id " + p.getInteger("id") + " is unique").isTrue();
      JsonObject g = p.getJsonObject("gridPos");
      assertThat(g).as(what + " gridPos").isNotNull();
      int[] box = {g.getInteger("x"), g.getInteger("y"), g.getInteger("w"), g.getInteger("h")};
      assertThat(box[0] + box[2]).as(what + " fits the 24 columns").isLessThanOrEqualTo(24);
      for (int[] other : boxes) {
        boolean overlap = box[0] < other[0] + other[2] && other[0] < box[0] + box[2]
          && box[1] < other[1] + other[3] && other[1] < box[1] + box[3];
        assertThat(overlap).as(what + " overlaps no other panel").isFalse();
      }
      boxes.add(box);
      if ("row".equals(p.getString("type"))) {
        continue;
      }
      assertThat(p.getJsonObject("datasource").getString("uid")).as(what + " data source").isEqualTo("${datasource}");
      JsonArray targets = p.getJsonArray("targets");
      assertThat(targets).as(what + " targets").isNotNull().isNotEmpty();
      Set<String> refIds = new HashSet<>();
      for (Object t : targets) {
        JsonObject target = (JsonObject) t;
        assertThat(target.getString("expr")).as(what + " expr").isNotBlank();
        assertThat(refIds.add(target.getString("refId"))).as(what + " refId unique").isTrue();
      }
    }
  }

  @Test
  @DisplayName("every query is well bracketed and every selector filters on the node variable")
  void queriesFilterOnNode() {
    for (String expr : expressions()) {
      String stack = "";
      for (char c : expr.toCharArray()) {
        if ("({[".indexOf(c) >= 0) {
          stack += c;
        } else if (")}]".indexOf(c) >= 0) {
          assertThat(stack).as("brackets of " + expr).isNotEmpty();
          assertThat("({[".indexOf(stack.charAt(stack.length() - 1))).as("brackets of " + expr).isEqualTo(")}]".indexOf(c));
          stack = stack.substring(0, stack.length() - 1);
        }
      }
      assertThat(stack).as("brackets of " + expr + " closed").isEmpty();
      Matcher m = SELECTOR.matcher(expr);
      int selectors = 0;
      while (m.find()) {
        selectors++;
        assertThat(m.group(2)).as("selector " + m.group() + " in " + expr).contains(NODE_FILTER);
      }
      assertThat(selectors).as("series selectors in " + expr).isPositive();
    }
  }

  @Test
  @DisplayName("together the queries use every series the nodes export, and only those")
  void usesEverySeries() {
    Set<String> used = new HashSet<>();
    for (String expr : expressions()) {
      Matcher m = SELECTOR.matcher(expr);
      while (m.find()) {
        used.add(m.group(1));
      }
    }
    for (String series : SERIES) {
      assertThat(used.stream().anyMatch(u -> series.endsWith("_") ? u.startsWith(series) : u.equals(series)))
        .as("a query uses " + series + (series.endsWith("_") ? "*" : "")).isTrue();
    }
    for (String name : used) {
      assertThat(COMPANIONS.contains(name)
        || SERIES.stream().anyMatch(s -> s.endsWith("_") ? name.startsWith(s) : name.equals(s)))
        .as(name + " is a series the nodes export").isTrue();
    }
  }

  private static JsonObject find(JsonArray vars, String name) {
    return vars.stream().map(JsonObject.class::cast).filter(v -> name.equals(v.getString("name"))).findFirst()
      .orElseThrow(() -> new AssertionError("no dashboard variable " + name));
  }
}
