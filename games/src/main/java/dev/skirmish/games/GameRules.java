package dev.skirmish.games;

import dev.skirmish.common.DocumentStore.Change;
import dev.skirmish.common.Faf;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every rule of the FAF game state machine shares: the game, connection and player states, the
 * {@link Effects} of a change, and the helpers that read and change the game document (fields in
 * {@code GameDocument} terms: see the README's games section), with the end and cancellation of a game.
 * The rules themselves are pure functions in {@link GameStateRules} (GPGNet {@code GameState} and leaving),
 * {@link HostOptionRules} (the host's options), {@link ReportRules} (results and flags a game reports) and
 * {@link EntryRules} (restoring a game session), {@link DeadlineRules} (set-up deadlines). Each rule returns the next
 * document (null = unchanged; state {@link #ENDED} = the game is over) and the effects to carry out once it is stored: messages to
 * players' game connections, player state changes, and whether the game launched or ended.
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

  static JsonObject sub(JsonObject game, String field) {
    JsonObject o = game.getJsonObject(field);
    if (o == null) {
      o = new JsonObject();
      game.put(field, o);
    }
    return o;
  }

  static Change<Effects> unchanged(Effects fx) {
    return new Change<>(null, fx);
  }

  static Change<Effects> stored(JsonObject next, Effects fx) {
    fx.changed = true;
    fx.game = next;
    return new Change<>(next, fx);
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

  /**
   * Ends the game: every player still attached becomes idle; the document is kept, {@link #ENDED}, until its end
   * records are written ({@link EndRecorder}), and is gone to every rule and reader meanwhile ({@link GameDocuments}).
   */
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
    return new Change<>(game, fx);
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

  static boolean isInt(String s) {
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
