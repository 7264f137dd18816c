package dev.skirmish.games;

import dev.skirmish.common.DocumentStore.Change;
import dev.skirmish.common.GameVisibility;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import static dev.skirmish.games.GameRules.CONN_CONNECTED;
import static dev.skirmish.games.GameRules.Effects;
import static dev.skirmish.games.GameRules.LIVE;
import static dev.skirmish.games.GameRules.LOBBY;
import static dev.skirmish.games.GameRules.PLAYING;
import static dev.skirmish.games.GameRules.connections;
import static dev.skirmish.games.GameRules.stored;
import static dev.skirmish.games.GameRules.unchanged;

/**
 * A player entering a game that already exists, as pure functions over the game document: the one rule for
 * "may this player join this game" ({@link #refusal}), used by {@code game_join} and by a restore of a player
 * who was never in the game, and {@code restore_game_session} itself.
 */
final class EntryRules {

  /** What a restore that is refused answers (the reference's wording). */
  static final String NOT_PART = "You are not part of this game";

  private EntryRules() {
  }

  /** Why a player may not join: the text of an error notice, or of an info notice when not {@code error}. */
  record Refusal(boolean error, String text) {
  }

  /**
   * Whether {@code player} may join {@code game} (an empty document = no such game) with {@code password}
   * (null = none given): null when they may, else why not. The game must be an open custom or coop lobby,
   * the player must be allowed to see it in the game list (not the host's foe, the host's friend for a
   * friends-only game, inside an enforced rating range: {@link GameVisibility#hiddenFrom}) and give its
   * password. {@code playerInfo} is the player's object with {@code ratings}; it is read only when the game
   * enforces a rating range ({@link #needsRatings}).
   */
  static Refusal refusal(JsonObject game, int player, JsonObject playerInfo, Object password) {
    if (game.isEmpty()) {
      return new Refusal(false, "The host has left the game.");
    }
    if (!LOBBY.equals(game.getString("state"))) {
      return new Refusal(false, "The game you are trying to join is not ready.");
    }
    if (GameRules.isMatch(game)) {
      return new Refusal(true, "You can't join a matchmaker game.");
    }
    Refusal hidden = hidden(game, player, playerInfo);
    if (hidden != null) {
      return hidden;
    }
    String expected = game.getString("password");
    if (expected != null && !expected.isEmpty() && !expected.equals(password == null ? null : String.valueOf(password))) {
      return new Refusal(false, "Bad password (it's case sensitive).");
    }
    return null;
  }

  /**
   * The part of {@link #refusal} that can change while a player is on their way in: whether the game is hidden from
   * them (the host's foe, not the host's friend for a friends-only game, outside an enforced rating range). Checked
   * at {@code game_join}, and again when the joiner's game reports {@code Idle}, since the host may have made the
   * joiner a foe in between. Null when the game is not hidden from the player.
   */
  static Refusal hidden(JsonObject game, int player, JsonObject playerInfo) {
    GameVisibility.Hidden hidden = GameVisibility.hiddenFrom(GameInfo.audience(game), player, playerInfo);
    if (hidden == null) {
      return null;
    }
    return new Refusal(true, switch (hidden) {
      case FOE -> "You cannot join games hosted by this player.";
      case FRIENDS_ONLY -> "Only the host's friends can join this game.";
      case RATING_RANGE -> "Your rating is outside this game's rating range.";
    });
  }

  /** Whether {@link #refusal} needs the player's ratings for this game. */
  static boolean needsRatings(JsonObject game) {
    return game.getBoolean("enforceRatingRange", false);
  }

  /**
   * Whether {@code player} has been in the game: its host, a player whose game connected to it (in the lobby
   * or live, also one who has left since), a player frozen at launch, or a matchmade game's expected player.
   */
  static boolean wasIn(JsonObject game, int player) {
    if (GameRules.isHost(game, player) || connections(game.copy()).containsKey(String.valueOf(player))
      || game.getJsonArray("members", new JsonArray()).contains(player)) {
      return true;
    }
    for (String list : new String[] {"players", "expected"}) {
      for (Object o : game.getJsonArray(list, new JsonArray())) {
        if (o instanceof JsonObject p && p.getInteger("id", -1) == player) {
          return true;
        }
      }
    }
    return false;
  }

  /** Records that {@code player}'s game connected to the game (see {@link #wasIn}). */
  static void member(JsonObject game, int player) {
    JsonArray members = game.getJsonArray("members", new JsonArray());
    if (!members.contains(player)) {
      members.add(player);
    }
    game.put("members", members);
  }

  /**
   * {@code restore_game_session}: a player rejoins a lobby or live game. A live game takes back only a player
   * frozen at its launch; a lobby takes back a player who was in it ({@link #wasIn}) or, when
   * {@code mayJoin}, one who passed {@link #refusal} for it.
   */
  static Change<Effects> restore(JsonObject current, int player, String login, String connection, boolean mayJoin) {
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
    boolean lobby = LOBBY.equals(state) && (mayJoin || wasIn(current, player));
    if (!(lobby || (LIVE.equals(state) && participant))) {
      return unchanged(fx);
    }
    connections(game).put(String.valueOf(player), new JsonObject().put("login", login).put("state", CONN_CONNECTED)
      .put("via", connection));
    member(game, player);
    fx.states.put(player, PLAYING);
    return stored(game, fx);
  }
}
