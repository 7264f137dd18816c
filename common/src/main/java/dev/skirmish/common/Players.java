package dev.skirmish.common;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
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

  private static final String PLAYER =
    "SELECT a.login, c.tag AS clan, al.url AS avatar_url, al.tooltip AS avatar_tooltip FROM account a"
      + " LEFT JOIN clan_membership cm ON cm.player_id = a.id LEFT JOIN clan c ON c.id = cm.clan_id"
      + " LEFT JOIN avatars av ON av.user_id = a.id AND av.selected AND (av.expires_at IS NULL OR av.expires_at > now())"
      + " LEFT JOIN avatars_list al ON al.id = av.avatar_id WHERE a.id = $1 LIMIT 1";
  private static final String RATINGS =
    "SELECT l.technical_name, r.mean, r.deviation, r.total_games FROM leaderboard_rating r"
      + " JOIN leaderboard l ON l.id = r.leaderboard_id WHERE r.login_id = $1";

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
    Future<RowSet<Row>> player = pool.preparedQuery(PLAYER).execute(Tuple.of(playerId));
    Future<RowSet<Row>> ratings = pool.preparedQuery(RATINGS).execute(Tuple.of(playerId));
    return Future.all(player, ratings).map(all -> {
      if (player.result().size() == 0) {
        return null;
      }
      Row p = player.result().iterator().next();
      JsonObject info = new JsonObject().put("id", playerId).put("login", p.getString("login"));
      if (p.getString("avatar_url") != null) {
        info.put("avatar", new JsonObject().put("url", p.getString("avatar_url")).put("tooltip", p.getString("avatar_tooltip")));
      }
      if (p.getString("clan") != null) {
        info.put("clan", p.getString("clan"));
      }
      JsonObject r = new JsonObject()
        .put("global", rating(DEFAULT_MEAN, DEFAULT_DEVIATION, 0))
        .put("ladder_1v1", rating(DEFAULT_MEAN, DEFAULT_DEVIATION, 0));
      for (Row row : ratings.result()) {
        r.put(row.getString("technical_name"),
          rating(row.getDouble("mean"), row.getDouble("deviation"), row.getInteger("total_games")));
      }
      info.put("ratings", r);
      JsonObject global = r.getJsonObject("global");
      JsonObject ladder = r.getJsonObject("ladder_1v1");
      info.put("global_rating", global.getJsonArray("rating").copy());
      info.put("ladder_rating", ladder.getJsonArray("rating").copy());
      info.put("number_of_games", global.getInteger("number_of_games"));
      return info;
    });
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
      return store(sessions, key, doc, 0).map(online -> {
        if (online) {
          Delivery.fafOnline(vertx, doc);
        }
        return doc;
      });
    }).onFailure(err -> LOG.warn("Could not refresh player {}: {}", playerId, err.getMessage()));
  }

  private static Future<Boolean> store(SessionDirectory sessions, String key, JsonObject doc, int attempt) {
    return sessions.get(key).compose(entry -> {
      if (entry == null) {
        return Future.succeededFuture(false);
      }
      if (attempt > 8) {
        return Future.succeededFuture(true);
      }
      return sessions.update(key, entry, entry.withData(doc))
        .compose(ok -> ok ? Future.succeededFuture(true) : store(sessions, key, doc, attempt + 1));
    });
  }
}
