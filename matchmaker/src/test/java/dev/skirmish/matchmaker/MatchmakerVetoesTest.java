package dev.skirmish.matchmaker;

import dev.skirmish.common.ServiceException;
import dev.skirmish.matchmaker.Vetoes.Veto;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MatchmakerVetoesTest {

  private static List<QueueDef.PoolMap> maps(int... ids) {
    return IntStream.of(ids).mapToObj(id -> new QueueDef.PoolMap(id, "m" + id, 1, null)).toList();
  }

  /** Pool 1: 2 tokens per player, at most 1 per map; pool 2: 3 tokens, dynamic limit. */
  private static final QueueDef.MapPool FIXED = new QueueDef.MapPool(1, null, 1000.0, maps(10, 11, 12), 2, 1, 1);
  private static final QueueDef.MapPool DYNAMIC = new QueueDef.MapPool(2, 1000.0, null, maps(20, 21, 22), 3, 0, 1);
  private static final Map<Integer, QueueDef.MapPool> POOLS = Map.of(1, FIXED, 2, DYNAMIC);

  @Test
  void parsesNonNegativeIntegersAndRejectsOtherShapes() {
    JsonObject ok = new JsonObject().put("vetoes", new JsonArray().add(new JsonObject()
      .put("matchmaker_queue_map_pool_id", 1).put("map_pool_map_version_id", 10).put("veto_tokens_applied", 2)));
    assertThat(Vetoes.parse(ok)).containsExactly(new Veto(1, 10, 2));
    assertThat(Vetoes.parse(new JsonObject().put("vetoes", new JsonArray()))).isEmpty();
    for (JsonObject bad : List.of(new JsonObject(), new JsonObject().put("vetoes", "x"),
      new JsonObject().put("vetoes", new JsonArray().add(3)),
      new JsonObject().put("vetoes", new JsonArray().add(new JsonObject().put("matchmaker_queue_map_pool_id", 1)
        .put("map_pool_map_version_id", 10).put("veto_tokens_applied", -1))),
      new JsonObject().put("vetoes", new JsonArray().add(new JsonObject().put("matchmaker_queue_map_pool_id", 1.5)
        .put("map_pool_map_version_id", 10).put("veto_tokens_applied", 1))))) {
      assertThatThrownBy(() -> Vetoes.parse(bad)).isInstanceOf(ServiceException.class);
    }
  }

  @Test
  void trimsToTheTokensPerPlayerAndPerMapOfEachBracket() {
    List<Veto> kept = Vetoes.trim(List.of(new Veto(1, 10, 3), new Veto(1, 11, 1), new Veto(1, 12, 1),
      new Veto(2, 20, 2), new Veto(2, 21, 5), new Veto(2, 99, 1), new Veto(7, 10, 1), new Veto(1, 12, 0)), POOLS);
    assertThat(kept).containsExactly(new Veto(1, 10, 1), new Veto(1, 11, 1), new Veto(2, 20, 2), new Veto(2, 21, 1));
    assertThat(Vetoes.same(kept, List.of(new Veto(2, 21, 1), new Veto(2, 20, 2), new Veto(1, 11, 1),
      new Veto(1, 10, 1), new Veto(1, 12, 0)))).isTrue();
    assertThat(Vetoes.same(kept, List.of(new Veto(1, 10, 1)))).isFalse();
    List<Veto> within = List.of(new Veto(1, 10, 1), new Veto(2, 22, 3));
    assertThat(Vetoes.trim(within, POOLS)).isEqualTo(within);
  }

  @Test
  void storedVetoesAreRefittedOnlyWhenTheBracketsCutThem() {
    List<Veto> stored = List.of(new Veto(1, 10, 1), new Veto(1, 11, 1), new Veto(2, 20, 2), new Veto(2, 21, 1));
    assertThat(Vetoes.refit(stored, POOLS)).as("still fits").isNull();
    QueueDef.MapPool fewerTokens = new QueueDef.MapPool(1, null, 1000.0, maps(10, 11, 12), 1, 1, 1);
    QueueDef.MapPool lowerPerMap = new QueueDef.MapPool(2, 1000.0, null, maps(20, 21, 22), 3, 1, 1);
    assertThat(Vetoes.refit(stored, Map.of(1, fewerTokens, 2, lowerPerMap)))
      .containsExactly(new Veto(1, 10, 1), new Veto(2, 20, 1), new Veto(2, 21, 1));
    QueueDef.MapPool mapRemoved = new QueueDef.MapPool(1, null, 1000.0, maps(11, 12), 2, 1, 1);
    assertThat(Vetoes.refit(stored, Map.of(1, mapRemoved, 2, DYNAMIC)))
      .containsExactly(new Veto(1, 11, 1), new Veto(2, 20, 2), new Veto(2, 21, 1));
    assertThat(Vetoes.refit(stored, Map.of(2, DYNAMIC))).as("bracket gone")
      .containsExactly(new Veto(2, 20, 2), new Veto(2, 21, 1));
  }

  @Test
  void dynamicLimitIsTheSmallestTKeepingTheMinimumMaps() {
    // 3 maps with a token each, 1 map must stay: 3·(T−1)/T ≥ 1 → T = 1.5
    assertThat(Vetoes.dynamicMaxTokens(List.of(1, 1, 1), 1)).isCloseTo(1.5, within(1e-9));
    // an unvetoed map already keeps one map: any T works, vetoed maps lose all weight
    assertThat(Vetoes.dynamicMaxTokens(List.of(0, 2, 1), 1)).isEqualTo(0);
    // (T−0)/T + (T−4)/T ≥ 1.5 → T = 8
    assertThat(Vetoes.dynamicMaxTokens(List.of(4, 0), 1.5)).isCloseTo(8, within(1e-9));
    // (T−1)/T + (T−3)/T ≥ 1 → T = 4 (map 3 counts from T > 3)
    assertThat(Vetoes.dynamicMaxTokens(List.of(3, 1), 1)).isCloseTo(4, within(1e-9));
    // more maps asked for than the pool has: no limit
    assertThat(Vetoes.dynamicMaxTokens(List.of(1, 1), 3)).isInfinite();
    for (List<Integer> v : List.of(List.of(1, 1, 1), List.of(4, 0), List.of(3, 1), List.of(5, 2, 2, 0))) {
      double t = Vetoes.dynamicMaxTokens(v, 1.5);
      double kept = v.stream().mapToDouble(x -> Math.max((t - x) / t, 0)).sum();
      assertThat(kept).as("limit for %s", v).isGreaterThanOrEqualTo(1.5 - 1e-9);
      double less = t * 0.99;
      assertThat(v.stream().mapToDouble(x -> Math.max((less - x) / less, 0)).sum()).isLessThan(1.5);
    }
  }

  @Test
  void vetoWeightsScaleEachMapByItsTokensOfAllPlayers() {
    Map<Integer, Integer> tokens = Vetoes.tokensOn(FIXED, List.of(List.of(new Veto(1, 10, 1)),
      List.of(new Veto(1, 11, 1), new Veto(2, 20, 1))));
    assertThat(tokens).isEqualTo(Map.of(10, 1, 11, 1));
    assertThat(Vetoes.weights(FIXED, tokens)).isEqualTo(Map.of(10, 0.0, 11, 0.0, 12, 1.0));
    QueueDef.MapPool half = new QueueDef.MapPool(3, null, null, List.of(new QueueDef.PoolMap(30, "a", 4, null),
      new QueueDef.PoolMap(31, "b", 2, null)), 2, 2, 1);
    assertThat(Vetoes.weights(half, Map.of(30, 1))).isEqualTo(Map.of(30, 2.0, 31, 2.0));
    assertThat(Vetoes.weights(DYNAMIC, Map.of(20, 1, 21, 1, 22, 1)))
      .satisfies(w -> w.values().forEach(x -> assertThat(x).isCloseTo(1 / 3.0, within(1e-9))));
  }

  private static QueueDef queue(QueueDef.MapPool pool) {
    return new QueueDef(1, "ladder1v1", 1, "ladder1v1", "ladder_1v1", null, List.of(pool));
  }

  @Test
  void mapChoiceSkipsVetoedMapsUnlessAllAreVetoed() {
    Random r = new Random(7);
    List<List<Veto>> vetoes = List.of(List.of(new Veto(1, 10, 1), new Veto(1, 11, 1)));
    for (int i = 0; i < 200; i++) {
      assertThat(Launch.chooseMap(queue(FIXED), 500, vetoes, Map.of(), r).id()).isEqualTo(12);
    }
    List<List<Veto>> all = List.of(List.of(new Veto(1, 10, 1), new Veto(1, 11, 1)), List.of(new Veto(1, 12, 1)));
    assertThat(IntStream.range(0, 300).mapToObj(i -> Launch.chooseMap(queue(FIXED), 500, all, Map.of(), r).id())
      .collect(Collectors.toSet())).containsExactlyInAnyOrder(10, 11, 12);
  }

  @Test
  void leastPlayedMapsAreKept() {
    List<QueueDef.PoolMap> pool = maps(10, 11, 12);
    Map<String, Integer> played = Launch.playCounts(List.of("maps/m10.zip", "maps/m11.zip", "maps/m10.zip"));
    assertThat(played).isEqualTo(Map.of("m10", 2, "m11", 1));
    assertThat(Launch.leastPlayed(pool, played)).extracting(QueueDef.PoolMap::id).containsExactly(12);
    assertThat(Launch.leastPlayed(pool, Map.of("m10", 1, "m11", 1, "m12", 2))).extracting(QueueDef.PoolMap::id)
      .containsExactly(10, 11);
    assertThat(Launch.leastPlayed(pool, Map.of())).hasSize(3);
    Random r = new Random(3);
    for (int i = 0; i < 100; i++) {
      assertThat(Launch.chooseMap(queue(FIXED), 500, List.of(), played, r).id()).isEqualTo(12);
    }
  }
}
