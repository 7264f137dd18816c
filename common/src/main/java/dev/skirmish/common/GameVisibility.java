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

  /**
   * Host and participants always see the game; the host's foes never do; a friends-only game is seen by
   * the host's friends only; an enforced rating range needs the viewer's displayed rating of the game's
   * leaderboard within it.
   */
  public static boolean visibleTo(JsonObject audience, int viewer, JsonObject viewerPlayer) {
    if (audience == null) {
      return true;
    }
    if (audience.getInteger("host", -1) == viewer || contains(audience.getJsonArray("participants"), viewer)) {
      return true;
    }
    if (contains(audience.getJsonArray("foes"), viewer)) {
      return false;
    }
    if (audience.getBoolean("friendsOnly", false) && !contains(audience.getJsonArray("friends"), viewer)) {
      return false;
    }
    if (audience.getBoolean("enforceRange", false)) {
      double rating = Players.displayed(viewerPlayer, audience.getString("ratingType", "global"));
      Double min = audience.getDouble("ratingMin");
      Double max = audience.getDouble("ratingMax");
      if ((min != null && rating < min) || (max != null && rating > max)) {
        return false;
      }
    }
    return true;
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
