package dev.skirmish.games;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tolerant readers of the FAF game document (see game-document.md): values may arrive as numbers or
 * strings, entries may be missing or malformed. Nothing here throws on bad input.
 */
final class GameDocs {

  /** The FFA team: every player on it counts as a team of their own. */
  static final int FFA_TEAM = 1;

  private GameDocs() {
  }

  /** A player frozen at launch. {@code team} is null when the document did not give one. */
  record Player(int id, String login, Integer team, int army, int faction, int color, Integer startSpot) {

    /** game_player_stats.place: the start spot, or the army when there is none. */
    int place() {
      return startSpot != null ? startSpot : army;
    }
  }

  /** An int from a number or a numeric string; null otherwise. */
  static Integer intOf(Object value) {
    if (value instanceof Number n) {
      double d = n.doubleValue();
      return Double.isFinite(d) ? (int) d : null;
    }
    if (value instanceof String s) {
      String t = s.trim();
      if (t.isEmpty()) {
        return null;
      }
      try {
        return Integer.parseInt(t);
      } catch (NumberFormatException e) {
        try {
          double d = Double.parseDouble(t);
          return Double.isFinite(d) ? (int) d : null;
        } catch (NumberFormatException e2) {
          return null;
        }
      }
    }
    return null;
  }

  /** A long from a number or a numeric string; null otherwise. */
  static Long longOf(Object value) {
    if (value instanceof Number n) {
      double d = n.doubleValue();
      return Double.isFinite(d) ? n.longValue() : null;
    }
    if (value instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        Integer i = intOf(s);
        return i == null ? null : i.longValue();
      }
    }
    return null;
  }

  /** A boolean from a JSON boolean, a number (non-zero) or a string (true/on/yes/1). */
  static boolean boolOf(Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof Number n) {
      return n.doubleValue() != 0;
    }
    if (value instanceof String s) {
      String t = s.trim().toLowerCase(Locale.ROOT);
      return t.equals("true") || t.equals("on") || t.equals("yes") || t.equals("1");
    }
    return false;
  }

  static JsonObject object(JsonObject doc, String key) {
    Object v = doc == null ? null : doc.getValue(key);
    return v instanceof JsonObject o ? o : new JsonObject();
  }

  static JsonArray array(JsonObject doc, String key) {
    Object v = doc == null ? null : doc.getValue(key);
    return v instanceof JsonArray a ? a : new JsonArray();
  }

  static String string(JsonObject doc, String key, String fallback) {
    Object v = doc == null ? null : doc.getValue(key);
    return v == null ? fallback : String.valueOf(v);
  }

  /** The players frozen at launch; malformed entries (no id) are skipped. */
  static List<Player> players(JsonObject game) {
    List<Player> out = new ArrayList<>();
    for (Object o : array(game, "players")) {
      if (!(o instanceof JsonObject p)) {
        continue;
      }
      Integer id = intOf(p.getValue("id"));
      if (id == null) {
        continue;
      }
      Integer army = intOf(p.getValue("army"));
      Integer color = intOf(p.getValue("color"));
      out.add(new Player(id, string(p, "login", ""), intOf(p.getValue("team")), army == null ? -1 : army,
        faction(p.getValue("faction")), color == null ? 0 : color, intOf(p.getValue("startSpot"))));
    }
    return out;
  }

  /** Faction number from an int or a faction name (uef 1, aeon 2, cybran 3, seraphim 4, nomad 5). */
  static int faction(Object value) {
    Integer n = intOf(value);
    if (n != null) {
      return n;
    }
    if (value instanceof String s) {
      return switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "uef" -> 1;
        case "aeon" -> 2;
        case "cybran" -> 3;
        case "seraphim" -> 4;
        case "nomad", "nomads" -> 5;
        default -> 0;
      };
    }
    return 0;
  }

  /**
   * The teams for balance and rating: players grouped by team number, each player of the FFA team
   * (team 1) alone, and a player without a team alone too. Teams are ordered by team number, solo teams
   * after them by player id; players keep the document order within a team.
   */
  static List<List<Player>> teams(List<Player> players) {
    Map<Integer, List<Player>> byTeam = new TreeMap<>();
    Map<Integer, List<Player>> solo = new TreeMap<>();
    for (Player p : players) {
      if (p.team() == null || p.team() == FFA_TEAM) {
        solo.computeIfAbsent(p.id(), k -> new ArrayList<>()).add(p);
      } else {
        byTeam.computeIfAbsent(p.team(), k -> new ArrayList<>()).add(p);
      }
    }
    List<List<Player>> out = new ArrayList<>(byTeam.values());
    out.addAll(solo.values());
    return out;
  }
}
