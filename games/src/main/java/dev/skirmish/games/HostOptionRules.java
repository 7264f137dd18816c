package dev.skirmish.games;

import dev.skirmish.common.DocumentStore.Change;
import dev.skirmish.common.Faf;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Map;
import java.util.Set;

import static dev.skirmish.games.GameRules.Effects;
import static dev.skirmish.games.GameRules.intOf;
import static dev.skirmish.games.GameRules.isHost;
import static dev.skirmish.games.GameRules.isInt;
import static dev.skirmish.games.GameRules.stored;
import static dev.skirmish.games.GameRules.sub;
import static dev.skirmish.games.GameRules.unchanged;

/**
 * The host's option changes from their game: {@code GameOption}, {@code GameMods}, {@code PlayerOption},
 * {@code AIOption} and {@code ClearSlot}, as pure functions over the game document.
 */
final class HostOptionRules {

  private HostOptionRules() {
  }

  static final Set<String> VICTORY = Set.of("demoralization", "domination", "eradication", "sandbox");

  /** Host-only option changes: GameOption, GameMods, PlayerOption, AIOption, ClearSlot. */
  static Change<Effects> hostCommand(JsonObject current, int player, String command, JsonArray args,
                                     Map<String, String> modNames, GameLimits limits) {
    Effects fx = new Effects();
    if (current.isEmpty() || !isHost(current, player) || args == null) {
      return unchanged(fx);
    }
    JsonObject game = current.copy();
    boolean changed = switch (command) {
      case "GameOption" -> gameOption(game, args, room(limits, fx, player));
      case "GameMods" -> gameMods(game, args, modNames);
      case "PlayerOption" -> playerOption(game, args, room(limits, fx, player));
      case "AIOption" -> aiOption(game, args, room(limits, fx, player));
      case "ClearSlot" -> clearSlot(game, args);
      default -> false;
    };
    return changed ? stored(game, fx) : unchanged(fx);
  }

  /** Whether an option map may take one more key; when it may not, the host is told so. */
  private interface Room {
    boolean has(JsonObject optionMap, String key, String what);
  }

  private static Room room(GameLimits limits, Effects fx, int host) {
    return (optionMap, key, what) -> {
      if (limits.room(optionMap, key)) {
        return true;
      }
      fx.push(host, Faf.errorNotice(limits.full(what)));
      return false;
    };
  }

  private static boolean gameOption(JsonObject game, JsonArray args, Room room) {
    if (args.size() < 2 || !(args.getValue(0) instanceof String key) || !room.has(sub(game, "options"), key, "game options")) {
      return false;
    }
    Object value = args.getValue(1);
    switch (key) {
      case "Slots" -> {
        int slots = intOf(value, -1);
        if (slots < 1 || slots > 16) {
          return false;
        }
        game.put("maxPlayers", slots);
      }
      case "ScenarioFile" -> {
        String[] parts = String.valueOf(value).replace('\\', '/').split("/");
        // "/maps/<folder>/<file>_scenario.lua": the folder is the third part.
        if (parts.length < 3 || parts[2].isBlank()) {
          return false;
        }
        game.put("mapname", parts[2].toLowerCase());
      }
      case "Title" -> {
        String title = String.valueOf(value);
        if (title.isBlank() || !title.chars().allMatch(ch -> ch < 128)) {
          return false;
        }
        game.put("title", title);
      }
      case "Victory" -> {
        if (!VICTORY.contains(String.valueOf(value))) {
          return false;
        }
      }
      default -> {
      }
    }
    sub(game, "options").put(key, value);
    return true;
  }

  private static boolean gameMods(JsonObject game, JsonArray args, Map<String, String> modNames) {
    if (args.size() < 2) {
      return false;
    }
    String mode = String.valueOf(args.getValue(0));
    if ("activated".equals(mode)) {
      if (intOf(args.getValue(1), -1) == 0) {
        game.put("simMods", new JsonObject());
        return true;
      }
      return false;
    }
    if ("uids".equals(mode)) {
      JsonObject mods = new JsonObject();
      for (String uid : String.valueOf(args.getValue(1)).trim().split("\\s+")) {
        if (!uid.isBlank()) {
          mods.put(uid, modNames.getOrDefault(uid, uid));
        }
      }
      game.put("simMods", mods);
      return true;
    }
    return false;
  }

  private static boolean playerOption(JsonObject game, JsonArray args, Room room) {
    if (args.size() < 3 || !(args.getValue(1) instanceof String key)) {
      return false;
    }
    int id = intOf(args.getValue(0), Integer.MIN_VALUE);
    if (id == Integer.MIN_VALUE) {
      return false;
    }
    return slotOption(sub(game, "playerOptions"), String.valueOf(id), key, args.getValue(2), room, "players with slot options");
  }

  /** Stores one option of a player's or AI's slot, numbers given as strings as numbers. */
  private static boolean slotOption(JsonObject slots, String slot, String key, Object value, Room room, String what) {
    if (!room.has(slots, slot, what) || !room.has(slots.getJsonObject(slot, new JsonObject()), key, "options per slot")) {
      return false;
    }
    Object stored = value instanceof String s && isInt(s) ? Integer.parseInt(s.trim()) : value;
    sub(slots, slot).put(key, stored);
    return true;
  }

  private static boolean aiOption(JsonObject game, JsonArray args, Room room) {
    if (args.size() < 3 || !(args.getValue(0) instanceof String name) || !(args.getValue(1) instanceof String key)) {
      return false;
    }
    return slotOption(sub(game, "aiOptions"), name, key, args.getValue(2), room, "AIs with slot options");
  }

  private static boolean clearSlot(JsonObject game, JsonArray args) {
    if (args.isEmpty()) {
      return false;
    }
    int slot = intOf(args.getValue(0), Integer.MIN_VALUE);
    if (slot == Integer.MIN_VALUE) {
      return false;
    }
    JsonObject options = sub(game, "playerOptions");
    for (String id : options.fieldNames()) {
      JsonObject o = options.getJsonObject(id);
      if (intOf(o.getValue("StartSpot"), Integer.MIN_VALUE) == slot) {
        o.put("Team", -1).put("Army", -1).put("StartSpot", -1);
      }
    }
    JsonObject ais = sub(game, "aiOptions");
    for (String name : new ArrayList<>(ais.fieldNames())) {
      if (intOf(ais.getJsonObject(name).getValue("StartSpot"), Integer.MIN_VALUE) == slot) {
        ais.remove(name);
      }
    }
    return true;
  }
}
