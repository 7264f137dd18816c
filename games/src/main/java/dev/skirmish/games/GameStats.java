package dev.skirmish.games;

import dev.skirmish.common.Delivery;
import dev.skirmish.common.Faf;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.skirmish.games.GamesContext.key;

/**
 * The army statistics of finished games ({@code JsonStats}) and the achievements they advance. Statistics
 * are stored per game and army ({@code game_army_stats}, the first report of a game wins); once a player's
 * result is recorded too (whichever of the two comes last), their army is evaluated once against
 * {@link AchievementRules}, the progress is stored in {@code player_achievements}, and the player's lobby
 * connection gets {@code updated_achievements} with what changed.
 */
final class GameStats {

  private static final Logger LOG = LoggerFactory.getLogger(GameStats.class);

  private static final String INSERT_ARMY =
    "INSERT INTO game_army_stats (game_id, army_name, player_id, ai, faction, score, units_built, commander_kills,"
      + " stats, achievements) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
      + " ON CONFLICT (game_id, army_name) DO NOTHING";
  /** Claims the armies of a game that count for achievements and whose player's result is known. */
  private static final String CLAIM_ARMIES =
    "UPDATE game_army_stats s SET achievements = 'DONE' FROM game_player_stats p"
      + " WHERE s.game_id = $1 AND s.achievements = 'PENDING' AND p.game_id = s.game_id AND p.player_id = s.player_id"
      + " AND p.result IN ('VICTORY', 'DEFEAT', 'DRAW', 'MUTUAL_DRAW')"
      + " RETURNING s.player_id, s.army_name, s.ai, s.faction, s.score, s.units_built, s.commander_kills, p.result";
  private static final String FACTIONS_PLAYED =
    "SELECT count(DISTINCT faction) AS n FROM game_army_stats"
      + " WHERE player_id = $1 AND faction BETWEEN 1 AND 4 AND achievements <> 'SKIPPED'";
  private static final String PROGRESS =
    "SELECT d.id, d.total_steps, a.current_steps, a.state FROM achievement_definition d"
      + " LEFT JOIN player_achievements a ON a.achievement_id = d.id AND a.player_id = $1 WHERE d.id = ANY($2)";
  private static final String STORE_PROGRESS =
    "INSERT INTO player_achievements (player_id, achievement_id, current_steps, state) VALUES ($1, $2, $3, $4)"
      + " ON CONFLICT (player_id, achievement_id) DO UPDATE SET current_steps = EXCLUDED.current_steps,"
      + " state = EXCLUDED.state, update_time = now()";

  private final GamesContext ctx;

  GameStats(GamesContext ctx) {
    this.ctx = ctx;
  }

  /**
   * {@code JsonStats [json]} from a player of {@code game} (recorded as launched): stores every army's
   * statistics, then evaluates what can be. Unreadable statistics are logged and ignored.
   */
  Future<Void> report(JsonObject game, int reporter, Object argument) {
    long id = game.getLong("id");
    var parsed = ArmyStats.parse(argument);
    if (parsed.isEmpty()) {
      LOG.info("Game {}: unreadable JsonStats from player {} ignored", id, reporter);
      return Future.succeededFuture();
    }
    List<ArmyStats.Army> armies = parsed.get();
    boolean counts = ArmyStats.countsForAchievements(armies)
      && !GameDocs.boolOf(GameDocs.object(game, "options").getValue("CheatsEnabled"));
    Map<String, Integer> players = new HashMap<>();
    for (GameDocs.Player p : GameDocs.players(game)) {
      players.put(p.login(), p.id());
    }
    List<Tuple> rows = new ArrayList<>();
    for (ArmyStats.Army a : armies) {
      Integer player = a.ai() ? null : players.get(a.name());
      String state = counts && player != null ? "PENDING" : "SKIPPED";
      rows.add(Tuple.of(id, a.name(), player, a.ai(), (short) a.faction(), a.score(), a.unitsBuilt(), a.commanderKills())
        .addValue(a.raw()).addValue(state));
    }
    if (rows.isEmpty()) {
      return Future.succeededFuture();
    }
    return ctx.pool.preparedQuery(INSERT_ARMY).executeBatch(rows).<Void>mapEmpty().compose(v -> evaluate(id));
  }

  /**
   * Evaluates the armies of game {@code id} whose statistics and results are both stored, each once, and
   * sends each player what changed.
   */
  Future<Void> evaluate(long id) {
    return ctx.pool.withTransaction(conn -> conn.preparedQuery(CLAIM_ARMIES).execute(Tuple.of(id)).compose(claimed -> {
      Future<Map<Integer, JsonArray>> all = Future.succeededFuture(new LinkedHashMap<>());
      for (Row r : claimed) {
        ArmyStats.Army army = new ArmyStats.Army(r.getString("army_name"), r.getBoolean("ai"), r.getShort("faction"),
          r.getInteger("score"), r.getInteger("units_built"), r.getInteger("commander_kills"), new JsonObject());
        int player = r.getInteger("player_id");
        String result = r.getString("result");
        all = all.compose(changes -> advance(conn, player, army, result).map(list -> {
          changes.put(player, list);
          return changes;
        }));
      }
      return all;
    })).onSuccess(changes -> changes.forEach((player, list) -> {
      if (!list.isEmpty()) {
        LOG.info("Game {}: achievements of player {} advanced: {}", id, player, list);
        Delivery.toSession(ctx.vertx, ctx.sessions, key(player),
          Faf.command("updated_achievements").put("updated_achievements", list));
      }
    })).mapEmpty();
  }

  /** Applies the updates one army fires to its player's progress; the changed entries of {@code updated_achievements}. */
  private static Future<JsonArray> advance(SqlConnection conn, int player, ArmyStats.Army army, String result) {
    return conn.preparedQuery(FACTIONS_PLAYED).execute(Tuple.of(player)).compose(rows -> {
      int factions = rows.iterator().next().getLong("n").intValue();
      List<AchievementRules.Update> updates = AchievementRules.fired(army, result, factions);
      if (updates.isEmpty()) {
        return Future.succeededFuture(new JsonArray());
      }
      String[] ids = updates.stream().map(AchievementRules.Update::achievement).toArray(String[]::new);
      return conn.preparedQuery(PROGRESS).execute(Tuple.of(player, (Object) ids)).compose(progress -> {
        Map<String, AchievementRules.Definition> definitions = new HashMap<>();
        Map<String, AchievementRules.Progress> current = new HashMap<>();
        for (Row r : progress) {
          definitions.put(r.getString("id"), new AchievementRules.Definition(r.getString("id"), r.getInteger("total_steps")));
          current.put(r.getString("id"), new AchievementRules.Progress(r.getInteger("current_steps"), r.getString("state")));
        }
        JsonArray entries = new JsonArray();
        List<Tuple> stored = new ArrayList<>();
        for (AchievementRules.Update u : updates) {
          AchievementRules.Definition definition = definitions.get(u.achievement());
          if (definition == null) {
            continue;
          }
          AchievementRules.Outcome outcome = AchievementRules.apply(definition, current.get(u.achievement()), u);
          if (!outcome.changed()) {
            continue;
          }
          current.put(u.achievement(), outcome.progress());
          stored.add(Tuple.of(player, u.achievement(), outcome.progress().steps(), outcome.progress().state()));
          entries.add(new JsonObject().put("achievement_id", u.achievement())
            .put("current_state", outcome.progress().state())
            .put("current_steps", outcome.progress().steps())
            .put("newly_unlocked", outcome.newlyUnlocked()));
        }
        return stored.isEmpty()
          ? Future.succeededFuture(entries)
          : conn.preparedQuery(STORE_PROGRESS).executeBatch(stored).map(r -> entries);
      });
    });
  }
}
