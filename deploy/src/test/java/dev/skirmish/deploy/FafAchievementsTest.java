package dev.skirmish.deploy;

import dev.skirmish.deploy.FafTestSupport.Player;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafGameKit.gameInfo;
import static dev.skirmish.deploy.FafGameKit.gpg;
import static dev.skirmish.deploy.FafGameKit.players;
import static org.assertj.core.api.Assertions.assertThat;

/** Army statistics ({@code JsonStats}) of a played game: stored per army, and the achievements they advance. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class FafAchievementsTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode("GAME_INFO_TICK_MS", "100");

  private static JsonObject army(String name, String type, int faction, int built, int commanderKills) {
    return new JsonObject().put("name", name).put("type", type).put("faction", faction)
      .put("general", new JsonObject().put("score", built * 10).put("built", new JsonObject().put("count", built))
        .put("kills", new JsonObject().put("count", commanderKills)).put("lost", new JsonObject().put("count", 0)))
      .put("units", new JsonObject().put("cdr", new JsonObject().put("built", 1).put("lost", 0).put("kills", commanderKills)));
  }

  private static Future<RowSet<Row>> sql(String query, Object... args) {
    return NODE.node().database().pool().preparedQuery(query).execute(Tuple.from(args));
  }

  /** The entries of an updated_achievements message by achievement id. */
  private static Map<String, JsonObject> entries(JsonObject message) {
    Map<String, JsonObject> byId = new HashMap<>();
    for (Object o : message.getJsonArray("updated_achievements", new JsonArray())) {
      JsonObject e = (JsonObject) o;
      byId.put(e.getString("achievement_id"), e);
    }
    return byId;
  }

  private static JsonObject entry(String state, Integer steps, boolean newlyUnlocked) {
    return new JsonObject().put("current_state", state).put("current_steps", steps).put("newly_unlocked", newlyUnlocked);
  }

  /** The host launches the game; completes when the viewer sees it playing. */
  private static Future<JsonObject> launch(Player host, Player viewer, long uid) {
    host.client().send(gpg("GameState", "Launching"));
    return viewer.client().inbox().next(gameInfo(uid, "playing"), "live game");
  }

  @Test
  @DisplayName("a played game's JsonStats: unreadable ones are ignored, the armies are stored, and each player gets"
    + " updated_achievements for the achievements the game advanced")
  void statsFireAchievements(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "ach", "acj", "acv").compose(ps -> {
      Player host = ps.get(0);
      Player joiner = ps.get(1);
      Player viewer = ps.get(2);
      String stats = new JsonObject().put("stats", new JsonArray()
        .add(army(host.login(), "Human", 1, 150, 1))
        .add(army(joiner.login(), "Human", 3, 20, 0))
        .add(army("civilian", "AI", 5, 0, 0))).encode();
      return FafGameKit.seatedDuel(host, joiner, "Stats").compose(uid -> launch(host, viewer, uid).compose(v -> {
        host.client().send(gpg("JsonStats", "{not json")).send(gpg("JsonStats", 42)).send(gpg("JsonStats"))
          .send(gpg("JsonStats", "{\"stats\": \"none\"}"));
        return FafTestSupport.roundTrip(host.client());
      }).compose(pong -> {
        ctx.verify(() -> assertThat(host.client().inbox().history())
          .noneMatch(m -> FafTestSupport.isNotice(m, "error") || "invalid".equals(m.getString("command"))));
        for (Player p : List.of(host, joiner)) {
          p.client().send(gpg("GameResult", 1, "victory 5")).send(gpg("GameResult", 2, "defeat 0"))
            .send(gpg("JsonStats", stats)).send(gpg("GameEnded"));
        }
        return Future.all(host.client().expect("updated_achievements"), joiner.client().expect("updated_achievements"));
      }).compose(both -> {
        Map<String, JsonObject> winner = entries(both.resultAt(0));
        Map<String, JsonObject> loser = entries(both.resultAt(1));
        ctx.verify(() -> {
          assertThat(winner.keySet())
            .containsExactlyInAnyOrder("first_victory", "industrialist", "commander_hunter", "faction_tour");
          assertThat(winner.get("first_victory")).isEqualTo(entry("UNLOCKED", null, true).put("achievement_id", "first_victory"));
          assertThat(winner.get("industrialist")).isEqualTo(entry("UNLOCKED", null, true).put("achievement_id", "industrialist"));
          assertThat(winner.get("commander_hunter")).isEqualTo(entry("REVEALED", 1, false).put("achievement_id", "commander_hunter"));
          assertThat(winner.get("faction_tour")).isEqualTo(entry("REVEALED", 1, false).put("achievement_id", "faction_tour"));
          assertThat(loser.keySet()).containsExactly("faction_tour");
        });
        return Future.all(
          sql("SELECT army_name, player_id, ai, faction, units_built, commander_kills, stats FROM game_army_stats"
            + " WHERE game_id = $1 ORDER BY army_name", uid),
          sql("SELECT achievement_id, current_steps, state FROM player_achievements WHERE player_id = $1", host.id()));
      }).map(all -> {
        RowSet<Row> armies = all.resultAt(0);
        RowSet<Row> progress = all.resultAt(1);
        ctx.verify(() -> {
          Map<String, Row> byName = new HashMap<>();
          armies.forEach(r -> byName.put(r.getString("army_name"), r));
          assertThat(byName.keySet()).containsExactlyInAnyOrder(host.login(), joiner.login(), "civilian");
          Row mine = byName.get(host.login());
          assertThat(mine.getInteger("player_id")).isEqualTo(host.id());
          assertThat(mine.getInteger("units_built")).isEqualTo(150);
          assertThat(mine.getInteger("commander_kills")).isEqualTo(1);
          assertThat(((JsonObject) mine.getValue("stats")).getJsonObject("general").getInteger("score")).isEqualTo(1500);
          assertThat(byName.get("civilian").getValue("player_id")).isNull();
          assertThat(byName.get("civilian").getBoolean("ai")).isTrue();
          Map<String, String> states = new HashMap<>();
          progress.forEach(r -> states.put(r.getString("achievement_id"), r.getString("state") + "/" + r.getInteger("current_steps")));
          assertThat(states).isEqualTo(Map.of("first_victory", "UNLOCKED/null", "industrialist", "UNLOCKED/null",
            "commander_hunter", "REVEALED/1", "faction_tour", "REVEALED/1"));
        });
        return ps;
      }));
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }
}
