package dev.skirmish.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster as the operator console shows it, gathered by one gateway node: the latest status publish of
 * every node ({@code NODE_STATUS}), this gateway's own picture of the FAF games and queues (its presence
 * snapshot), the freshest matchmaker, party and signaling sections, and a time series of players online and
 * message/relay rates over the last {@code STATUS_HISTORY_SECONDS}. A node not heard for three of its
 * intervals is dropped. Runs on the gateway's event loop only.
 */
final class ClusterStatus {

  private static final List<String> RATES = List.of("faf_in", "omega_in", "faf_relays", "omega_relays");

  private final PresenceTick presence;
  private final long historyMs;
  private final int maxItems;
  private final Map<String, JsonObject> nodes = new TreeMap<>();
  private final Map<String, JsonObject> rates = new TreeMap<>();
  private final Deque<JsonObject> history = new ArrayDeque<>();

  ClusterStatus(PresenceTick presence, long historyMs, int maxItems) {
    this.presence = presence;
    this.historyMs = historyMs;
    this.maxItems = maxItems;
  }

  /** A {@code NODE_STATUS} publish: keeps it, and the node's rates since its previous one. */
  void onStatus(JsonObject status, long now) {
    String node = status.getString("node");
    if (node == null) {
      return;
    }
    JsonObject previous = nodes.put(node, status.copy().put("received", now));
    JsonObject totals = gatewayOf(status).getJsonObject("traffic");
    JsonObject before = previous == null ? null : gatewayOf(previous).getJsonObject("traffic");
    if (totals != null && before != null) {
      double seconds = Math.max(0.001, (status.getLong("at", now) - previous.getLong("at", now)) / 1000.0);
      JsonObject r = new JsonObject();
      for (String key : RATES) {
        r.put(key, Math.max(0, totals.getLong(key, 0L) - before.getLong(key, 0L)) / seconds);
      }
      rates.put(node, r);
    }
  }

  private static JsonObject gatewayOf(JsonObject status) {
    return status.getJsonObject("sections", new JsonObject()).getJsonObject("gateway", new JsonObject());
  }

  /** Drops silent nodes and adds a point to the time series; called once per status interval. */
  void sample(long now) {
    Iterator<Map.Entry<String, JsonObject>> it = nodes.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JsonObject> e = it.next();
      long interval = e.getValue().getLong("interval_ms", 2000L);
      if (now - e.getValue().getLong("received", now) > 3 * interval) {
        it.remove();
        rates.remove(e.getKey());
      }
    }
    JsonObject point = new JsonObject().put("t", now).put("players", playersOnline());
    JsonObject sum = summedRates();
    sum.forEach(entry -> point.put(entry.getKey(), round(((Number) entry.getValue()).doubleValue())));
    history.addLast(point);
    while (!history.isEmpty() && now - history.peekFirst().getLong("t") > historyMs) {
      history.removeFirst();
    }
  }

  private JsonObject summedRates() {
    JsonObject sum = new JsonObject();
    for (String key : RATES) {
      double total = 0;
      for (JsonObject r : rates.values()) {
        total += r.getDouble(key, 0.0);
      }
      sum.put(key, total);
    }
    return sum;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  /** FAF players online (the cluster, as this gateway's presence sees it) plus CL Omega sessions of every node. */
  int playersOnline() {
    return presence.online() + omegaSessions();
  }

  private int omegaSessions() {
    int n = 0;
    for (JsonObject s : nodes.values()) {
      n += gatewayOf(s).getInteger("omega_sessions", 0);
    }
    return n;
  }

  /** The freshest section of {@code role} among the nodes that run it, or null. */
  private JsonObject freshest(String role) {
    JsonObject best = null;
    long at = Long.MIN_VALUE;
    for (JsonObject s : nodes.values()) {
      JsonObject section = s.getJsonObject("sections", new JsonObject()).getJsonObject(role);
      if (section != null && s.getLong("at", 0L) > at) {
        best = section;
        at = s.getLong("at", 0L);
      }
    }
    return best;
  }

  /** Everything the console shows. */
  JsonObject snapshot(String self, long now) {
    JsonArray nodeList = new JsonArray();
    JsonArray byNode = new JsonArray();
    for (JsonObject s : nodes.values()) {
      JsonObject gw = gatewayOf(s);
      String id = s.getString("node");
      JsonObject node = new JsonObject().put("node", id).put("self", id.equals(self))
        .put("roles", s.getJsonArray("roles")).put("uptime_ms", s.getLong("uptime_ms"))
        .put("heap_used", s.getLong("heap_used")).put("heap_max", s.getLong("heap_max"))
        .put("cpu", s.getDouble("cpu")).put("processors", s.getInteger("processors"))
        .put("age_ms", now - s.getLong("received", now))
        .put("rates", rates.getOrDefault(id, new JsonObject()));
      if (!gw.isEmpty()) {
        node.put("connections", gw.getInteger("connections", 0));
        byNode.add(new JsonObject().put("node", id).put("faf", gw.getInteger("faf_players", 0))
          .put("omega", gw.getInteger("omega_sessions", 0)));
      }
      nodeList.add(node);
    }
    JsonObject players = new JsonObject().put("online", playersOnline()).put("faf", presence.online())
      .put("omega", omegaSessions()).put("by_node", byNode);
    return new JsonObject()
      .put("at", now)
      .put("node", self)
      .put("nodes", nodeList)
      .put("players", players)
      .put("faf_games", fafGames())
      .put("queues", queues())
      .put("parties", orEmpty(freshest("party")))
      .put("omega", orEmpty(freshest("signaling")))
      .put("rates", summedRates())
      .put("history", new JsonArray(new ArrayList<>(history)));
  }

  private static JsonObject orEmpty(JsonObject section) {
    return section == null ? new JsonObject() : section;
  }

  private JsonArray fafGames() {
    JsonArray list = new JsonArray();
    for (JsonObject g : presence.games()) {
      if (list.size() >= maxItems) {
        break;
      }
      JsonObject info = g.getJsonObject("info", new JsonObject());
      list.add(new JsonObject().put("uid", info.getValue("uid")).put("title", info.getString("title"))
        .put("state", info.getString("state")).put("host", info.getString("host"))
        .put("map", info.getString("mapname")).put("featured_mod", info.getString("featured_mod"))
        .put("num_players", info.getValue("num_players")).put("max_players", info.getValue("max_players"))
        .put("teams", info.getValue("teams")));
    }
    return list;
  }

  /** The matchmaker's queue statistics, falling back to the matchmaker_info entries this gateway holds. */
  private JsonArray queues() {
    JsonObject section = freshest("matchmaker");
    if (section != null) {
      return section.getJsonArray("queues", new JsonArray());
    }
    JsonArray list = new JsonArray();
    for (JsonObject q : presence.queues()) {
      list.add(new JsonObject().put("name", q.getString("queue_name")).put("team_size", q.getValue("team_size"))
        .put("searching", q.getValue("num_players")));
    }
    return list;
  }
}
