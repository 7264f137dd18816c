package dev.skirmish.games;

import dev.skirmish.common.GpgNetArgs;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.Setting;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The size limits of what FAF clients send that the games service stores or fans out (settings
 * {@code GAME_*_MAX*} and {@code GPGNET_ARG*}). Each check answers null when the input fits, else the text
 * of the error notice the sender gets; input that does not fit is neither stored nor forwarded.
 */
record GameLimits(int title, int password, int map, int optionKey, int optionValue, int options, int mods, int modUid,
                  int args, int arg, int hosted) {

  static GameLimits of(NodeConfig config) {
    return new GameLimits(config.getInt(Setting.GAME_TITLE_MAX_LENGTH), config.getInt(Setting.GAME_PASSWORD_MAX_LENGTH),
      config.getInt(Setting.GAME_MAP_MAX_LENGTH), config.getInt(Setting.GAME_OPTION_KEY_MAX_LENGTH),
      config.getInt(Setting.GAME_OPTION_VALUE_MAX_LENGTH), config.getInt(Setting.GAME_OPTIONS_MAX),
      config.getInt(Setting.GAME_MODS_MAX), config.getInt(Setting.GAME_MOD_UID_MAX_LENGTH),
      config.getInt(Setting.GPGNET_ARGS_MAX), config.getInt(Setting.GPGNET_ARG_MAX_LENGTH),
      config.getInt(Setting.GAMES_HOSTED_MAX));
  }

  /** {@code game_host}'s title, map name and password (null = none). */
  String host(String titleValue, String mapname, String passwordValue) {
    String tooLong = tooLong("The game title", titleValue, title);
    if (tooLong == null) {
      tooLong = tooLong("The map name", mapname, map);
    }
    return tooLong != null ? tooLong : tooLong("The game password", passwordValue, password);
  }

  /** A GPGNet message from a game: its argument count and lengths, and the fields of the host's options. */
  String gpgNet(String command, JsonArray values) {
    String tooLarge = GpgNetArgs.tooLarge(command, values, args, arg);
    if (tooLarge != null) {
      return tooLarge;
    }
    return switch (command) {
      case "GameOption" -> option(values, 0, 1, "GameOption");
      case "PlayerOption" -> option(values, 1, 2, "PlayerOption");
      case "AIOption" -> values.isEmpty() || length(values.getValue(0)) <= optionKey
        ? option(values, 1, 2, "AIOption")
        : "An AI name is longer than " + optionKey + " characters.";
      case "GameMods" -> gameMods(values);
      default -> null;
    };
  }

  private String option(JsonArray values, int keyAt, int valueAt, String command) {
    if (values.size() <= valueAt) {
      return null;
    }
    Object key = values.getValue(keyAt);
    Object value = values.getValue(valueAt);
    if (length(key) > optionKey) {
      return "A " + command + " key is longer than " + optionKey + " characters.";
    }
    if (length(value) > optionValue) {
      return "The " + command + " " + key + " is longer than " + optionValue + " characters.";
    }
    if ("GameOption".equals(command) && "Title".equals(key)) {
      return tooLong("The game title", String.valueOf(value), title);
    }
    if ("GameOption".equals(command) && "ScenarioFile".equals(key)) {
      String[] parts = String.valueOf(value).replace('\\', '/').split("/");
      return parts.length < 3 ? null : tooLong("The map name", parts[2], map);
    }
    return null;
  }

  private String gameMods(JsonArray values) {
    if (values.size() < 2 || !"uids".equals(values.getValue(0))) {
      return null;
    }
    String[] uids = String.valueOf(values.getValue(1)).trim().split("\\s+");
    if (uids.length > mods) {
      return "A game can have at most " + mods + " sim mods.";
    }
    for (String uid : uids) {
      if (uid.length() > modUid) {
        return "A sim mod uid is longer than " + modUid + " characters.";
      }
    }
    return null;
  }

  /** Whether a game's option map may take {@code key}: it has it already, or has room for one more. */
  boolean room(JsonObject optionMap, String key) {
    return optionMap.containsKey(key) || optionMap.size() < options;
  }

  /** The text for an option map that is full. */
  String full(String what) {
    return "A game can store at most " + options + " " + what + ".";
  }

  private static String tooLong(String what, String value, int max) {
    return value != null && value.length() > max ? what + " must not be longer than " + max + " characters." : null;
  }

  private static int length(Object value) {
    return GpgNetArgs.length(value);
  }
}
