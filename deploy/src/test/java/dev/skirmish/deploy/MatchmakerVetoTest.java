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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafGameKit.closeAll;
import static dev.skirmish.deploy.FafGameKit.players;
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
