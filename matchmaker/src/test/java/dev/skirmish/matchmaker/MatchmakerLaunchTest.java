package dev.skirmish.matchmaker;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Game set-up of the matchmaker: slots, factions, titles and map choice. */
class MatchmakerLaunchTest {

  private static Launch.Player p(int id, double displayed, String clan, String... factions) {
    return new Launch.Player(id, "p" + id, clan, displayed, List.of(factions));
  }

  @Test
  void oneVsOneSlots() {
    List<Launch.Slot> slots = Launch.slots(List.of(p(1, 100, null, "aeon")), List.of(p(2, 900, null, "cybran")), new Random(1));
    assertThat(slots).containsExactly(new Launch.Slot(1, "p1", 2, 2, 1), new Launch.Slot(2, "p2", 3, 3, 2));
  }

  @Test
  void teamSlotsPairPlayersOfEqualRankAndAlternateTeams() {
    List<Launch.Player> a = List.of(p(1, 500, null, "uef"), p(2, 1500, null, "uef"));
    List<Launch.Player> b = List.of(p(3, 1400, null, "uef"), p(4, 400, null, "uef"));
    for (int seed = 0; seed < 20; seed++) {
      List<Launch.Slot> slots = Launch.slots(a, b, new Random(seed));
      assertThat(slots.get(0).id()).as("host first").isEqualTo(1);
      Map<Integer, Launch.Slot> bySpot = new TreeMap<>();
      slots.forEach(s -> bySpot.put(s.startSpot(), s));
      assertThat(bySpot.keySet()).containsExactly(1, 2, 3, 4);
      // odd spots team 2, even spots team 3; each pair holds players of the same rank in their team
      assertThat(bySpot.values().stream().map(Launch.Slot::team).toList()).containsExactly(2, 3, 2, 3);
      List<Integer> order = bySpot.values().stream().map(Launch.Slot::id).toList();
      assertThat(List.of(order.subList(0, 2), order.subList(2, 4))).containsExactlyInAnyOrder(List.of(1, 4), List.of(2, 3));
    }
  }

  @Test
  void pairsAreShuffled() {
    List<Launch.Player> a = List.of(p(1, 500, null), p(2, 1500, null));
    List<Launch.Player> b = List.of(p(3, 1400, null), p(4, 400, null));
    var firstSpot = new java.util.HashSet<Integer>();
    Random random = new Random(3);
    for (int i = 0; i < 30; i++) {
      firstSpot.add(Launch.slots(a, b, random).stream().filter(s -> s.startSpot() == 1).findFirst().orElseThrow().id());
    }
    assertThat(firstSpot).containsExactlyInAnyOrder(1, 2);
  }

  @Test
  void factionsComeFromThePlayersChoice() {
    Random r = new Random(7);
    for (int i = 0; i < 50; i++) {
      assertThat(Launch.pickFaction(List.of("aeon", "seraphim"), r)).isIn(2, 4);
    }
    assertThat(Launch.parseFaction(3)).isEqualTo("cybran");
    assertThat(Launch.parseFaction("UEF")).isEqualTo("uef");
    assertThat(Launch.parseFaction(5)).isEqualTo("nomad");
    assertThat(Launch.parseFaction(6)).isNull();
    assertThat(Launch.parseFaction("cylons")).isNull();
  }

  @Test
  void titles() {
    assertThat(Launch.title(List.of(p(1, 0, null)), List.of(p(2, 0, null)))).isEqualTo("p1 Vs p2");
    assertThat(Launch.title(List.of(p(1, 0, "ABC"), p(3, 0, "ABC")), List.of(p(2, 0, "ABC"), p(4, 0, "XYZ"))))
      .isEqualTo("Team ABC Vs Team p2");
  }

  private static QueueDef queue() {
    QueueDef.MapPool low = new QueueDef.MapPool(1, null, 1000.0, List.of(
      new QueueDef.PoolMap(10, "low_a", 1, null), new QueueDef.PoolMap(11, "low_b", 3, null),
      new QueueDef.PoolMap(12, null, 50, new JsonObject().put("type", "neroxis"))));
    QueueDef.MapPool high = new QueueDef.MapPool(2, 1000.0, null, List.of(new QueueDef.PoolMap(20, "high", 1, null)));
    return new QueueDef(1, "ladder1v1", 1, "ladder1v1", "ladder_1v1", null, List.of(low, high));
  }

  @Test
  void mapComesFromThePoolOfTheRatingWeighted() {
    QueueDef q = queue();
    Random r = new Random(42);
    Map<String, Long> picks = java.util.stream.IntStream.range(0, 4000).mapToObj(i -> Launch.chooseMap(q, 300, r).folder())
      .collect(Collectors.groupingBy(f -> f, Collectors.counting()));
    assertThat(picks.keySet()).containsExactlyInAnyOrder("low_a", "low_b");
    assertThat(picks.get("low_b") / (double) picks.get("low_a")).isBetween(2.5, 3.5);
    assertThat(Launch.chooseMap(q, 1000, r).folder()).as("inclusive bracket: first pool wins").startsWith("low");
    assertThat(Launch.chooseMap(q, 1000.5, r).folder()).isEqualTo("high");
    assertThat(QueueDef.folderOf("maps/scmp_007.zip")).isEqualTo("scmp_007");
  }

  @Test
  void noMapWithoutAPoolForTheRating() {
    QueueDef q = new QueueDef(1, "x", 1, "faf", "global", null,
      List.of(new QueueDef.MapPool(1, 0.0, 100.0, List.of(new QueueDef.PoolMap(1, "m", 1, null)))));
    assertThat(Launch.chooseMap(q, 500, new Random(1))).isNull();
  }
}
