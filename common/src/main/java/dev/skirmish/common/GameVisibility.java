package dev.skirmish.common;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Who may see a FAF game in {@code game_info}. The games service attaches an audience to each game it
 * announces; each gateway applies it per connection, so one publish serves every viewer.
 *
 * <p>Audience: {@code {host, participants:[ids], foes:[host's foes], friendsOnly, friends:[host's friends],
 * enforceRange, ratingType, ratingMin, ratingMax}}.
 */
public final class GameVisibility {

  private GameVisibility() {
  }

  /** Why a viewer may not see (nor enter) a game. */
  public enum Hidden {
    /** The viewer is on the host's foe list. */
    FOE,
    /** A friends-only game, and the viewer is not the host's friend. */
    FRIENDS_ONLY,
    /** The game enforces a rating range that the viewer's displayed rating is outside of. */
    RATING_RANGE
  }

  /**
   * Host and participants always see the game; the host's foes never do; a friends-only game is seen by
   * the host's friends only; an enforced rating range needs the viewer's displayed rating of the game's
   * leaderboard within it.
   */
  public static boolean visibleTo(JsonObject audience, int viewer, JsonObject viewerPlayer) {
    return hiddenFrom(audience, viewer, viewerPlayer) == null;
  }

  /**
   * The rule of {@link #visibleTo}, with its reason: null when the viewer may see the game, else why not. The
   * games service applies the same rule to a player entering a game ({@code game_join}, a restore), so a game
   * hidden from a player cannot be joined by its id either. {@code viewerPlayer} (the viewer's player object,
   * with {@code ratings}) is read only when the game enforces a rating range.
   */
  public static Hidden hiddenFrom(JsonObject audience, int viewer, JsonObject viewerPlayer) {
    if (audience == null) {
      return null;
    }
    if (audience.getInteger("host", -1) == viewer || contains(audience.getJsonArray("participants"), viewer)) {
      return null;
    }
    if (contains(audience.getJsonArray("foes"), viewer)) {
      return Hidden.FOE;
    }
    if (audience.getBoolean("friendsOnly", false) && !contains(audience.getJsonArray("friends"), viewer)) {
      return Hidden.FRIENDS_ONLY;
    }
    if (audience.getBoolean("enforceRange", false)) {
      double rating = Players.displayed(viewerPlayer, audience.getString("ratingType", "global"));
      Double min = audience.getDouble("ratingMin");
      Double max = audience.getDouble("ratingMax");
      if ((min != null && rating < min) || (max != null && rating > max)) {
        return Hidden.RATING_RANGE;
      }
    }
    return null;
  }

  private static boolean contains(JsonArray ids, int id) {
    if (ids == null) {
      return false;
    }
    for (Object o : ids) {
      if (o instanceof Number n && n.intValue() == id) {
        return true;
      }
    }
    return false;
  }
}
