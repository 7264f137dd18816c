package dev.skirmish.games;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The army statistics a game reports at its end, GPGNet {@code JsonStats [json]}: a JSON string
 * {@code {"stats": [army...]}}, each army {@code {name, faction, type: "Human"|"AI", general: {score, kills,
 * built: {count, ...}, lost, ...}, units: {cdr: {built, lost, kills}, land, air, ...}, blueprints, ...}}.
 * Read tolerantly: a missing or mistyped field counts as zero, an army without a name is skipped, and
 * anything that is not such a JSON string is no statistics at all.
 */
final class ArmyStats {

  /** Longest army name kept (the database column). */
  static final int MAX_NAME = 128;

  private ArmyStats() {
  }

  /**
   * One army's statistics.
   *
   * @param faction        1 UEF, 2 Aeon, 3 Cybran, 4 Seraphim, 5 Nomad; 0 when unknown
   * @param unitsBuilt     {@code general.built.count}
   * @param commanderKills enemy commanders destroyed, {@code units.cdr.kills}
   * @param raw            the army's object as the game sent it
   */
  record Army(String name, boolean ai, int faction, int score, int unitsBuilt, int commanderKills, JsonObject raw) {

    /** The map's civilians, reported as an AI army. */
    boolean civilian() {
      return ai && "civilian".equals(name.toLowerCase(Locale.ROOT));
    }
  }

  /** The armies of a {@code JsonStats} argument; empty when it is not a JSON object string with a "stats" list. */
  static Optional<List<Army>> parse(Object argument) {
    if (!(argument instanceof String text)) {
      return Optional.empty();
    }
    JsonObject root;
    try {
      root = new JsonObject(text);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    if (!(root.getValue("stats") instanceof JsonArray list)) {
      return Optional.empty();
    }
    List<Army> armies = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Object o : list) {
      if (!(o instanceof JsonObject army) || !(army.getValue("name") instanceof String name) || name.isBlank()) {
        continue;
      }
      String kept = name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name;
      if (!names.add(kept)) {
        continue;
      }
      JsonObject general = GameDocs.object(army, "general");
      JsonObject commanders = GameDocs.object(GameDocs.object(army, "units"), "cdr");
      armies.add(new Army(kept, "AI".equalsIgnoreCase(GameDocs.string(army, "type", "")),
        Math.max(0, GameDocs.faction(army.getValue("faction"))), count(general.getValue("score")),
        count(GameDocs.object(general, "built").getValue("count")), count(commanders.getValue("kills")), army.copy()));
    }
    return Optional.of(armies);
  }

  /**
   * Whether a game's statistics count for achievements: at least two human armies and no AI army other
   * than the civilians (as the reference server decides).
   */
  static boolean countsForAchievements(List<Army> armies) {
    int humans = 0;
    for (Army a : armies) {
      if (a.ai() && !a.civilian()) {
        return false;
      }
      if (!a.ai()) {
        humans++;
      }
    }
    return humans >= 2;
  }

  /** A non-negative count from a number or a numeric string; zero otherwise. */
  private static int count(Object value) {
    Integer n = GameDocs.intOf(value);
    return n == null || n < 0 ? 0 : n;
  }
}
