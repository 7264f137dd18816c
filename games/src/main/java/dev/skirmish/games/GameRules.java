package dev.skirmish.games;

import dev.skirmish.common.DocumentStore.Change;
import dev.skirmish.common.Faf;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The FAF game state machine as pure functions over the game document (fields in {@code GameDocument}
 * terms: see the README's games section). Each rule returns the next document (null = unchanged, empty =
 * the game is over and removed) and the effects to carry out once it is stored: messages to players'
 * game connections, player state changes, and whether the game launched or ended.
 */
final class GameRules {

  /** Game states. */
  static final String INITIALIZING = "INITIALIZING";
  static final String LOBBY = "LOBBY";
  static final String LIVE = "LIVE";
  static final String ENDED = "ENDED";

  /** Connection states of a player's game. */
  static final String CONN_INITIALIZED = "INITIALIZED";
  static final String CONN_CONNECTED = "CONNECTED_TO_HOST";

  /** Player states kept by the games service (a player without a state is IDLE). */
  static final String IDLE = "IDLE";
  static final String STARTING_GAME = "STARTING_GAME";
  static final String HOSTING = "HOSTING";
  static final String JOINING = "JOINING";
  static final String PLAYING = "PLAYING";

  static final Set<String> VICTORY = Set.of("demoralization", "domination", "eradication", "sandbox");

  private GameRules() {
  }

  /** A message to one player's game connection. */
  record Push(int player, JsonObject message) {
  }

  /** What a stored change means for the world outside the document. */
  static final class Effects {
    final List<Push> pushes = new ArrayList<>();
    /** Player id → new player state ({@link #IDLE} = no longer in this game). */
    final Map<Integer, String> states = new LinkedHashMap<>();
    boolean launched;
    boolean ended;
    /** A matchmade game's host opened the lobby: the other players may now launch their games. */
    boolean matchHosted;
    /** A matchmade game failed before launch; these players are to blame. */
    final List<Integer> guilty = new ArrayList<>();
    boolean cancelled;
    boolean changed;
    /** The document after the change (the last one, also when the game ended and was removed). */
    JsonObject game;

    void push(int player, JsonObject message) {
      pushes.add(new Push(player, message));
    }
  }

  /** A message to the game (the FA process) behind a lobby connection. */
  static JsonObject gpg(String command, Object... args) {
    JsonArray a = new JsonArray();
    for (Object o : args) {
      a.add(o);
    }
    return Faf.command(command).put("target", "game").put("args", a);
  }

  /** The default game options of a new game (the values the validity checks expect). */
  static JsonObject defaultOptions(String gameType) {
    if ("coop".equals(gameType)) {
      return new JsonObject().put("Victory", "sandbox").put("TeamSpawn", "fixed").put("RevealedCivilians", "No")
        .put("Difficulty", 3).put("Expansion", "true").put("FogOfWar", "explored").put("CheatsEnabled", "false")
        .put("PrebuiltUnits", "Off").put("NoRushOption", "Off").put("TeamLock", "locked")
        .put("AIReplacement", "Off").put("RestrictedCategories", 0).put("Unranked", "No");
    }
    return new JsonObject().put("Victory", "demoralization").put("FogOfWar", "explored").put("CheatsEnabled", "false")
      .put("PrebuiltUnits", "Off").put("NoRushOption", "Off").put("TeamLock", "locked").put("AIReplacement", "Off")
      .put("RestrictedCategories", 0).put("Unranked", "No");
  }

  static boolean isHost(JsonObject game, int player) {
    return game.getInteger("host", -1) == player;
  }

  static JsonObject connections(JsonObject game) {
    JsonObject c = game.getJsonObject("connections");
    if (c == null) {
      c = new JsonObject();
      game.put("connections", c);
    }
    return c;
  }

  private static JsonObject sub(JsonObject game, String field) {
    JsonObject o = game.getJsonObject(field);
    if (o == null) {
      o = new JsonObject();
      game.put(field, o);
    }
    return o;
  }

  private static Change<Effects> unchanged(Effects fx) {
    return new Change<>(null, fx);
  }

  private static Change<Effects> stored(JsonObject next, Effects fx) {
    fx.changed = true;
    fx.game = next;
    return new Change<>(next, fx);
  }

  /** {@code GameState [state]} from {@code player}'s game. */
  static Change<Effects> gameState(JsonObject current, int player, String login, String connection, String state) {
    Effects fx = new Effects();
    if (current.isEmpty()) {
      return unchanged(fx);
    }
    JsonObject game = current.copy();
    JsonObject conns = connections(game);
    String key = String.valueOf(player);
    boolean host = isHost(game, player);
    switch (state) {
      case "Idle" -> {
        if (host) {
          if (!INITIALIZING.equals(game.getString("state"))) {
            return unchanged(fx);
          }
          game.put("state", LOBBY);
          conns.put(key, new JsonObject().put("login", login).put("state", CONN_CONNECTED).put("via", connection));
          fx.states.put(player, HOSTING);
        } else {
          if (!LOBBY.equals(game.getString("state")) || conns.containsKey(key)) {
            return unchanged(fx);
          }
          conns.put(key, new JsonObject().put("login", login).put("state", CONN_INITIALIZED).put("via", connection));
          fx.states.put(player, JOINING);
        }
        return stored(game, fx);
      }
      case "Lobby" -> {
        JsonObject mine = conns.getJsonObject(key);
        if (mine == null) {
          return unchanged(fx);
        }
        if (host) {
          if (game.getString("hostedAt") != null) {
            return unchanged(fx);
          }
          game.put("hostedAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
          fx.push(player, gpg("HostGame", game.getString("mapname")));
          fx.matchHosted = isMatch(game);
          return stored(game, fx);
        }
        if (!CONN_INITIALIZED.equals(mine.getString("state"))) {
          return unchanged(fx);
        }
        int hostId = game.getInteger("host");
        if (!conns.containsKey(String.valueOf(hostId))) {
          // The host is gone: this joiner's game cannot connect to anyone.
          conns.remove(key);
          fx.states.put(player, IDLE);
          return stored(game, fx);
        }
        fx.push(player, gpg("JoinGame", game.getString("hostLogin"), hostId));
        fx.push(hostId, gpg("ConnectToPeer", login, player, true));
        for (String other : conns.fieldNames()) {
          int peer = Integer.parseInt(other);
          JsonObject c = conns.getJsonObject(other);
          if (peer != player && peer != hostId && CONN_CONNECTED.equals(c.getString("state"))) {
            fx.push(player, gpg("ConnectToPeer", c.getString("login"), peer, true));
            fx.push(peer, gpg("ConnectToPeer", login, player, false));
          }
        }
        mine.put("state", CONN_CONNECTED);
        return stored(game, fx);
      }
      case "Launching" -> {
        if (!host || !LOBBY.equals(game.getString("state"))) {
          return unchanged(fx);
        }
        game.put("state", LIVE);
        game.put("launchedAt", Instant.now().getEpochSecond());
        JsonObject options = sub(game, "playerOptions");
        JsonArray players = new JsonArray();
        for (String id : conns.fieldNames()) {
          int p = Integer.parseInt(id);
          JsonObject o = options.getJsonObject(id, new JsonObject());
          fx.states.put(p, PLAYING);
          if (intOf(o.getValue("Army"), -1) < 0) {
            continue;
          }
          players.add(new JsonObject().put("id", p).put("login", conns.getJsonObject(id).getString("login"))
            .put("team", intOf(o.getValue("Team"), -1)).put("army", intOf(o.getValue("Army"), -1))
            .put("faction", intOf(o.getValue("Faction"), 0)).put("color", intOf(o.getValue("Color"), 0))
            .put("startSpot", intOf(o.getValue("StartSpot"), intOf(o.getValue("Army"), -1))));
        }
        game.put("players", players);
        fx.launched = true;
        return stored(game, fx);
      }
      case "Ended" -> {
        return leave(current, player, null);
      }
      default -> {
        return unchanged(fx);
      }
    }
  }

  /**
   * {@code player}'s game closed (GameState Ended) or their lobby connection went away. Before launch the
   * player leaves the game (the others are told to disconnect from them; the host leaving ends the game);
   * once live, their connection ends and the game ends when no connection is left or every remaining one
   * has reported {@code GameEnded}. With a {@code connection}, only a game attached through that lobby
   * connection is left.
   */
  static Change<Effects> leave(JsonObject current, int player, String connection) {
    Effects fx = new Effects();
    if (current.isEmpty()) {
      return unchanged(fx);
    }
    JsonObject game = current.copy();
    JsonObject conns = connections(game);
    String key = String.valueOf(player);
    JsonObject mine = conns.getJsonObject(key);
    if (connection != null && mine != null && mine.getString("via") != null && !connection.equals(mine.getString("via"))) {
      // The game was restored from a newer lobby connection: the old connection's clean-up leaves it alone.
      return unchanged(fx);
    }
    String state = game.getString("state");
    boolean wasConnected = conns.remove(key) != null;
    fx.states.put(player, IDLE);
    if (INITIALIZING.equals(state) || LOBBY.equals(state)) {
      if (isMatch(game)) {
        // A matchmade game needs every matched player: one leaving during set-up cancels the match.
        return cancel(game, fx, List.of(player));
      }
      if (isHost(game, player)) {
        return end(game, fx);
      }
      sub(game, "playerOptions").remove(key);
      if (wasConnected) {
        for (String other : conns.fieldNames()) {
          fx.push(Integer.parseInt(other), gpg("DisconnectFromPeer", player));
        }
      }
      return stored(game, fx);
    }
    if (LIVE.equals(state) && allFinished(game)) {
      return end(game, fx);
    }
    return stored(game, fx);
  }

  /** {@code GameEnded []}: this player's simulation finished. */
  static Change<Effects> gameEnded(JsonObject current, int player) {
    Effects fx = new Effects();
    if (current.isEmpty() || !LIVE.equals(current.getString("state"))) {
      return unchanged(fx);
    }
    JsonObject game = current.copy();
    JsonArray finished = game.getJsonArray("finished", new JsonArray());
    if (!finished.contains(player)) {
      finished.add(player);
    }
    game.put("finished", finished);
    if (allFinished(game)) {
      return end(game, fx);
    }
    return stored(game, fx);
  }

  /** Every remaining connection has finished (true when none is left). */
  private static boolean allFinished(JsonObject game) {
    JsonArray finished = game.getJsonArray("finished", new JsonArray());
    for (String id : connections(game).fieldNames()) {
      if (!finished.contains(Integer.parseInt(id))) {
        return false;
      }
    }
    return true;
  }

  static boolean isMatch(JsonObject game) {
    return "matchmaker".equals(game.getString("gameType"));
  }

  /** The players a matchmade game expects, in slot order. */
  static List<Integer> expected(JsonObject game) {
    List<Integer> ids = new ArrayList<>();
    for (Object o : game.getJsonArray("expected", new JsonArray())) {
      ids.add(((JsonObject) o).getInteger("id"));
    }
    return ids;
  }

  /**
   * A matchmade game that has not launched in time, or that a player left during set-up: it ends, every
   * expected player becomes idle and is told {@code match_cancelled}.
   */
  static Change<Effects> cancel(JsonObject game, Effects fx, List<Integer> guilty) {
    if (LIVE.equals(game.getString("state")) || ENDED.equals(game.getString("state"))) {
      return unchanged(fx);
    }
    for (int p : expected(game)) {
      fx.states.put(p, IDLE);
      fx.push(p, Faf.command("match_cancelled").put("game_id", game.getLong("id")));
    }
    fx.guilty.addAll(guilty);
    fx.cancelled = true;
    return end(game, fx);
  }

  /** Ends the game: every player still attached becomes idle; the document is removed. */
  static Change<Effects> end(JsonObject game, Effects fx) {
    for (String id : connections(game).fieldNames()) {
      fx.states.put(Integer.parseInt(id), IDLE);
    }
    fx.states.putIfAbsent(game.getInteger("host"), IDLE);
    game.put("state", ENDED);
    game.put("endedAt", Instant.now().getEpochSecond());
    fx.ended = true;
    fx.changed = true;
    fx.game = game;
    return new Change<>(new JsonObject(), fx);
  }

  /** Host-only option changes: GameOption, GameMods, PlayerOption, AIOption, ClearSlot. */
  static Change<Effects> hostCommand(JsonObject current, int player, String command, JsonArray args,
                                     Map<String, String> modNames) {
    Effects fx = new Effects();
    if (current.isEmpty() || !isHost(current, player) || args == null) {
      return unchanged(fx);
    }
    JsonObject game = current.copy();
    boolean changed = switch (command) {
      case "GameOption" -> gameOption(game, args);
      case "GameMods" -> gameMods(game, args, modNames);
      case "PlayerOption" -> playerOption(game, args);
      case "AIOption" -> aiOption(game, args);
      case "ClearSlot" -> clearSlot(game, args);
      default -> false;
    };
    return changed ? stored(game, fx) : unchanged(fx);
  }

  private static boolean gameOption(JsonObject game, JsonArray args) {
    if (args.size() < 2 || !(args.getValue(0) instanceof String key)) {
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
        game.put("title", title.length() > 128 ? title.substring(0, 128) : title);
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

  private static boolean playerOption(JsonObject game, JsonArray args) {
    if (args.size() < 3 || !(args.getValue(1) instanceof String key)) {
      return false;
    }
    int id = intOf(args.getValue(0), Integer.MIN_VALUE);
    if (id == Integer.MIN_VALUE) {
      return false;
    }
    Object value = args.getValue(2);
    Object stored = value instanceof String s && isInt(s) ? Integer.parseInt(s.trim()) : value;
    sub(sub(game, "playerOptions"), String.valueOf(id)).put(key, stored);
    return true;
  }

  private static boolean aiOption(JsonObject game, JsonArray args) {
    if (args.size() < 3 || !(args.getValue(0) instanceof String name) || !(args.getValue(1) instanceof String key)) {
      return false;
    }
    Object value = args.getValue(2);
    Object stored = value instanceof String s && isInt(s) ? Integer.parseInt(s.trim()) : value;
    sub(sub(game, "aiOptions"), name).put(key, stored);
    return true;
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

  /** {@code GameResult [army, "<meta...> outcome score"]} from any player of the game. */
  static Change<Effects> gameResult(JsonObject current, int player, JsonArray args) {
    Effects fx = new Effects();
    if (current.isEmpty() || args == null || args.size() < 2) {
      return unchanged(fx);
    }
    int army = intOf(args.getValue(0), Integer.MIN_VALUE);
    String[] words = String.valueOf(args.getValue(1)).trim().toLowerCase().split("\\s+");
    if (army == Integer.MIN_VALUE || words.length < 2) {
      return unchanged(fx);
    }
    String outcome = words[words.length - 2];
    int score;
    try {
      score = Integer.parseInt(words[words.length - 1]);
    } catch (NumberFormatException e) {
      return unchanged(fx);
    }
    if (!Set.of("victory", "defeat", "draw", "mutual_draw").contains(outcome)) {
      return unchanged(fx);
    }
    JsonObject game = current.copy();
    JsonArray results = game.getJsonArray("results", new JsonArray());
    results.add(new JsonObject().put("reporter", player).put("army", army).put("outcome", outcome).put("score", score));
    game.put("results", results);
    return stored(game, fx);
  }

  /** Counters and flags: Desync, EnforceRating. */
  static Change<Effects> flag(JsonObject current, String command) {
    Effects fx = new Effects();
    if (current.isEmpty()) {
      return unchanged(fx);
    }
    JsonObject game = current.copy();
    if ("Desync".equals(command)) {
      game.put("desyncs", game.getInteger("desyncs", 0) + 1);
    } else if ("EnforceRating".equals(command)) {
      if (game.getBoolean("enforceRating", false)) {
        return unchanged(fx);
      }
      game.put("enforceRating", true);
    } else {
      return unchanged(fx);
    }
    // Not visible in game_info: stored without marking the game as changed for viewers.
    Change<Effects> c = stored(game, fx);
    fx.changed = false;
    return c;
  }

  /** {@code restore_game_session}: a player rejoins their game's lobby or live game. */
  static Change<Effects> restore(JsonObject current, int player, String login, String connection) {
    Effects fx = new Effects();
    if (current.isEmpty()) {
      return unchanged(fx);
    }
    JsonObject game = current.copy();
    String state = game.getString("state");
    boolean participant = false;
    for (Object o : game.getJsonArray("players", new JsonArray())) {
      if (o instanceof JsonObject p && p.getInteger("id") == player) {
        participant = true;
      }
    }
    if (!(LOBBY.equals(state) || (LIVE.equals(state) && participant))) {
      return unchanged(fx);
    }
    connections(game).put(String.valueOf(player), new JsonObject().put("login", login).put("state", CONN_CONNECTED)
      .put("via", connection));
    fx.states.put(player, PLAYING);
    return stored(game, fx);
  }

  static int intOf(Object value, int fallback) {
    if (value instanceof Number n) {
      return n.intValue();
    }
    if (value instanceof String s && isInt(s)) {
      return Integer.parseInt(s.trim());
    }
    return fallback;
  }

  private static boolean isInt(String s) {
    String t = s.trim();
    if (t.isEmpty() || t.length() > 9) {
      return false;
    }
    int start = t.charAt(0) == '-' ? 1 : 0;
    if (start == t.length()) {
      return false;
    }
    for (int i = start; i < t.length(); i++) {
      if (!Character.isDigit(t.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
