package dev.skirmish.deploy;

import dev.skirmish.common.Addresses;
import dev.skirmish.deploy.FafTestSupport.Player;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafGameKit.closeAll;
import static dev.skirmish.deploy.FafGameKit.players;
import static dev.skirmish.deploy.MatchmakerKit.queue;
import static dev.skirmish.deploy.MatchmakerKit.searchInfo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * set_player_vetoes over real WebSockets. The seed gives each ladder1v1 bracket 1 veto token per player and
 * at most 1 token per map.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class MatchmakerVetoTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode();

  private static JsonObject veto(int pool, int map, int tokens) {
    return new JsonObject().put("matchmaker_queue_map_pool_id", pool).put("map_pool_map_version_id", map)
      .put("veto_tokens_applied", tokens);
  }

  private static JsonObject setVetoes(JsonObject... vetoes) {
    return new JsonObject().put("command", "set_player_vetoes").put("vetoes", new JsonArray(List.of((Object[]) vetoes)));
  }

  /** {bracket id, first entry id, second entry id} of ladder1v1's first bracket. */
  private static Future<int[]> ladderEntries() {
    return NODE.node().database().pool().query("SELECT qp.id AS pool, e.id AS entry FROM matchmaker_queue_map_pool qp"
        + " JOIN matchmaker_queue q ON q.id = qp.matchmaker_queue_id JOIN map_pool_map_version e ON e.map_pool_id = qp.map_pool_id"
        + " WHERE q.technical_name = 'ladder1v1' ORDER BY qp.id, e.id LIMIT 2").execute()
      .map(rows -> {
        List<Row> list = new java.util.ArrayList<>();
        rows.forEach(list::add);
        return new int[] {list.get(0).getInteger("pool"), list.get(0).getInteger("entry"), list.get(1).getInteger("entry")};
      });
  }

  private static Future<JsonObject> pong(Player p) {
    p.client().send(new JsonObject().put("command", "ping"));
    return p.client().expect("pong");
  }

  private static long vetoesInfos(Player p) {
    return p.client().inbox().history().stream().filter(m -> "vetoes_info".equals(m.getString("command"))).count();
  }

  @Test
  @DisplayName("vetoes beyond the bracket's tokens are trimmed (vetoes_info forced:false); a set already within them gets no reply")
  void trimmedThenUnchanged(Vertx vertx, VertxTestContext ctx) {
    ladderEntries().compose(ids -> players(vertx, NODE.node(), "mmveto").compose(ps -> {
      Player p = ps.get(0);
      int pool = ids[0];
      p.client().send(setVetoes(veto(pool, ids[1], 2), veto(pool, ids[2], 1), veto(pool, 999999, 1)));
      return p.client().expect("vetoes_info").compose(info -> {
        ctx.verify(() -> assertThat(info).isEqualTo(new JsonObject().put("command", "vetoes_info")
          .put("vetoes", new JsonArray().add(veto(pool, ids[1], 1))).put("forced", false)));
        p.client().send(setVetoes(veto(pool, ids[1], 1)));
        return pong(p);
      }).compose(v -> {
        ctx.verify(() -> assertThat(vetoesInfos(p)).as("no vetoes_info for an unchanged set").isEqualTo(1));
        p.client().send(setVetoes());
        return pong(p);
      }).map(v -> {
        ctx.verify(() -> assertThat(vetoesInfos(p)).as("no vetoes_info for clearing").isEqualTo(1));
        return ps;
      });
    })).compose(ps -> closeAll(ps)).onComplete(ctx.succeedingThenComplete());
  }

  /** Sets a bracket's token limits in the database and reloads the queues. */
  private static Future<Void> limits(int pool, int perPlayer, double perMap) {
    return NODE.node().database().pool()
      .preparedQuery("UPDATE matchmaker_queue_map_pool SET veto_tokens_per_player = $2, max_tokens_per_map = $3 WHERE id = $1")
      .execute(Tuple.of(pool, perPlayer, perMap))
      .compose(done -> NODE.node().vertx().eventBus().request(Addresses.MATCHMAKER_RELOAD, new JsonObject()))
      .mapEmpty();
  }

  /** {veto_tokens_per_player, max_tokens_per_map} of a bracket as the database has them now. */
  private static Future<double[]> limitsOf(int pool) {
    return NODE.node().database().pool()
      .preparedQuery("SELECT veto_tokens_per_player, max_tokens_per_map FROM matchmaker_queue_map_pool WHERE id = $1")
      .execute(Tuple.of(pool))
      .map(rows -> {
        Row r = rows.iterator().next();
        return new double[] {r.getInteger("veto_tokens_per_player"), r.getDouble("max_tokens_per_map")};
      });
  }

  @Test
  @DisplayName("a reload that lowers a bracket's tokens trims stored vetoes: vetoes_info forced:true with the trimmed set, and the player leaves the queue")
  void reloadCutsVetoes(Vertx vertx, VertxTestContext ctx) {
    ladderEntries().compose(ids -> limitsOf(ids[0]).compose(seed -> {
      int pool = ids[0];
      Future<List<Player>> run = limits(pool, 3, 2).compose(v -> players(vertx, NODE.node(), "mmvetocut")).compose(ps -> {
        Player p = ps.get(0);
        p.client().send(setVetoes(veto(pool, ids[1], 2), veto(pool, ids[2], 1)));
        return pong(p)
          .compose(v -> {
            ctx.verify(() -> assertThat(vetoesInfos(p)).as("the set fits the raised limits").isZero());
            return queue(p, "ladder1v1");
          })
          .compose(v -> {
            Future<JsonObject> info = p.client().expect("vetoes_info");
            Future<JsonObject> stopped = p.client().inbox().next(searchInfo("ladder1v1", "stop"), "search_info stop");
            return limits(pool, 1, 2).compose(reloaded -> Future.all(info, stopped)).map(all -> info.result());
          })
          .map(info -> {
            ctx.verify(() -> assertThat(info).isEqualTo(new JsonObject().put("command", "vetoes_info")
              .put("vetoes", new JsonArray().add(veto(pool, ids[1], 1))).put("forced", true)));
            return ps;
          });
      });
      return run.eventually(() -> limits(pool, (int) seed[0], seed[1]));
    })).compose(ps -> closeAll(ps)).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("set_player_vetoes of a bad shape: error notice")
  void badShape(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "mmvetobad").compose(ps -> {
      Player p = ps.get(0);
      p.client().send(new JsonObject().put("command", "set_player_vetoes").put("vetoes", "all of them"));
      return p.client().expectNotice("error").compose(n -> {
        p.client().send(setVetoes(new JsonObject().put("matchmaker_queue_map_pool_id", 1)
          .put("map_pool_map_version_id", 1).put("veto_tokens_applied", -3)));
        return p.client().expectNotice("error");
      }).compose(n -> pong(p)).map(v -> {
        ctx.verify(() -> assertThat(vetoesInfos(p)).isZero());
        return ps;
      });
    }).compose(ps -> closeAll(ps)).onComplete(ctx.succeedingThenComplete());
  }
}
