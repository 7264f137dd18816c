package dev.skirmish.common;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FAF player document of {@code player_info}, read from the database, and its refresh: when a
 * service changes something a player document shows (ratings, avatar), it stores the new document in the
 * player's directory entry and broadcasts it.
 */
public final class Players {

  private static final Logger LOG = LoggerFactory.getLogger(Players.class);

  /**
   * The columns of a player document ({@link #document}): login, clan tag, selected avatar, and every rating as a
   * JSON array of {@code [leaderboard, mean, deviation, games]}. Needs {@link #DOCUMENT_JOINS} on account {@code a}.
   */
  public static final String DOCUMENT_COLUMNS = "a.id, a.login, c.tag AS clan, al.url AS avatar_url, al.tooltip AS avatar_tooltip,"
    + " (SELECT json_agg(json_build_array(l.technical_name, r.mean, r.deviation, r.total_games)) FROM leaderboard_rating r"
    + " JOIN leaderboard l ON l.id = r.leaderboard_id WHERE r.login_id = a.id) AS ratings";
  /** The joins {@link #DOCUMENT_COLUMNS} needs, after {@code FROM account a}. */
  public static final String DOCUMENT_JOINS =
    " LEFT JOIN clan_membership cm ON cm.player_id = a.id LEFT JOIN clan c ON c.id = cm.clan_id"
      + " LEFT JOIN avatars av ON av.user_id = a.id AND av.selected AND (av.expires_at IS NULL OR av.expires_at > now())"
      + " LEFT JOIN avatars_list al ON al.id = av.avatar_id";
  private static final String PLAYER = "SELECT " + DOCUMENT_COLUMNS + " FROM account a" + DOCUMENT_JOINS
    + " WHERE a.id = $1 LIMIT 1";

  private static final String SOCIAL = "SELECT subject_id, status FROM friends_and_foes WHERE user_id = $1";

  /** A player's friend and foe lists (player ids). */
  public record Relations(java.util.List<Integer> friends, java.util.List<Integer> foes) {
  }

  /** Mean and deviation of a player without a rating row. */
  public static final double DEFAULT_MEAN = 1500;
  public static final double DEFAULT_DEVIATION = 500;

  private Players() {
  }

  /**
   * The player document: id, login, optional avatar and clan, and the ratings of every leaderboard the
   * player has ({@code global} and {@code ladder_1v1} always present), plus the deprecated
   * {@code global_rating}, {@code ladder_rating} and {@code number_of_games}. Null for an unknown id.
   */
  public static Future<JsonObject> info(Pool pool, int playerId) {
    return pool.preparedQuery(PLAYER).execute(Tuple.of(playerId))
      .map(rows -> rows.size() == 0 ? null : document(rows.iterator().next()));
  }

  /**
   * The player document of a row with {@link #DOCUMENT_COLUMNS}. {@code country} is empty here: it comes from
   * the address of the player's connection, which the gateway knows (and {@link #refresh} keeps).
   */
  public static JsonObject document(Row p) {
    JsonObject info = new JsonObject().put("id", p.getInteger("id")).put("login", p.getString("login"));
    if (p.getString("avatar_url") != null) {
      info.put("avatar", new JsonObject().put("url", p.getString("avatar_url")).put("tooltip", p.getString("avatar_tooltip")));
    }
    info.put("country", "");
    if (p.getString("clan") != null) {
      info.put("clan", p.getString("clan"));
    }
    JsonObject r = new JsonObject()
      .put("global", rating(DEFAULT_MEAN, DEFAULT_DEVIATION, 0))
      .put("ladder_1v1", rating(DEFAULT_MEAN, DEFAULT_DEVIATION, 0));
    Object stored = p.getValue("ratings");
    if (stored instanceof JsonArray all) {
      for (Object o : all) {
        JsonArray row = (JsonArray) o;
        r.put(row.getString(0), rating(row.getNumber(1).doubleValue(), row.getNumber(2).doubleValue(),
          row.getNumber(3).intValue()));
      }
    }
    info.put("ratings", r);
    JsonObject global = r.getJsonObject("global");
    JsonObject ladder = r.getJsonObject("ladder_1v1");
    info.put("global_rating", global.getJsonArray("rating").copy());
    info.put("ladder_rating", ladder.getJsonArray("rating").copy());
    info.put("number_of_games", global.getInteger("number_of_games"));
    return info;
  }

  /** The player's friends and foes, from {@code friends_and_foes}. */
  public static Future<Relations> relations(Pool pool, int playerId) {
    return pool.preparedQuery(SOCIAL).execute(Tuple.of(playerId)).map(rows -> {
      java.util.List<Integer> friends = new java.util.ArrayList<>();
      java.util.List<Integer> foes = new java.util.ArrayList<>();
      for (Row r : rows) {
        ("FRIEND".equals(r.getString("status")) ? friends : foes).add(r.getInteger("subject_id"));
      }
      return new Relations(friends, foes);
    });
  }

  private static JsonObject rating(double mean, double deviation, int games) {
    return new JsonObject().put("rating", new JsonArray().add(mean).add(deviation)).put("number_of_games", games);
  }

  /** The displayed rating (mean − 3·deviation) of {@code leaderboard} in a player document (default rating if absent). */
  public static double displayed(JsonObject player, String leaderboard) {
    JsonObject ratings = player == null ? null : player.getJsonObject("ratings");
    JsonObject r = ratings == null ? null : ratings.getJsonObject(leaderboard);
    JsonArray pair = r == null ? null : r.getJsonArray("rating");
    if (pair == null || pair.size() < 2) {
      return DEFAULT_MEAN - 3 * DEFAULT_DEVIATION;
    }
    return pair.getDouble(0) - 3 * pair.getDouble(1);
  }

  /**
   * Re-reads the player document of an online player, stores it in their directory entry (so later
   * logins list it) and announces it ({@link Addresses#FAF_PRESENCE}): every client gets it in
   * {@code player_info} at the next presence tick. A player who is offline is left alone.
   */
  public static Future<JsonObject> refresh(Vertx vertx, Pool pool, int playerId) {
    SessionDirectory sessions = new SessionDirectory(vertx, Delivery.FAF_SESSIONS);
    String key = String.valueOf(playerId);
    return info(pool, playerId).compose(doc -> {
      if (doc == null) {
        return Future.succeededFuture(null);
      }
      return store(sessions, key, doc, 0).map(stored -> {
        if (stored != null) {
          Delivery.fafOnline(vertx, stored.connection(), stored.data());
        }
        return stored == null ? doc : stored.data();
      });
    }).onFailure(err -> LOG.warn("Could not refresh player {}: {}", playerId, err.getMessage()));
  }

  /** Stores {@code doc} in the player's entry, keeping the country of the connection; null when offline. */
  private static Future<SessionDirectory.Entry> store(SessionDirectory sessions, String key, JsonObject doc, int attempt) {
    return sessions.get(key).compose(entry -> {
      if (entry == null) {
        return Future.succeededFuture(null);
      }
      SessionDirectory.Entry next = entry.withData(doc.copy().put("country", entry.data().getString("country", "")));
      if (attempt > 8) {
        return Future.succeededFuture(next);
      }
      return sessions.update(key, entry, next)
        .compose(ok -> ok ? Future.succeededFuture(next) : store(sessions, key, doc, attempt + 1));
    });
  }
}
