package dev.skirmish.games;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ArmyStatsTest {

  static JsonObject army(String name, String type, Object faction, int score, int built, int acuKills) {
    return new JsonObject().put("name", name).put("type", type).put("faction", faction)
      .put("general", new JsonObject().put("score", score).put("kills", new JsonObject().put("count", 3))
        .put("built", new JsonObject().put("count", built).put("mass", 1200.5)).put("lost", new JsonObject().put("count", 2)))
      .put("units", new JsonObject().put("cdr", new JsonObject().put("built", 1).put("lost", 0).put("kills", acuKills))
        .put("land", new JsonObject().put("built", built).put("lost", 1).put("kills", 2)))
      .put("blueprints", new JsonObject().put("uel0001", new JsonObject().put("built", 1)));
  }

  static String stats(JsonObject... armies) {
    return new JsonObject().put("stats", new JsonArray(List.of((Object[]) armies))).encode();
  }

  @Test
  @DisplayName("reads name, type, faction, score, units built and commander kills, and keeps the army's object")
  void readsArmies() {
    JsonObject alice = army("alice", "Human", 1, 1500, 120, 1);
    var armies = ArmyStats.parse(stats(alice, army("bob", "Human", "cybran", 300, 40, 0))).orElseThrow();
    assertThat(armies).hasSize(2);
    ArmyStats.Army a = armies.get(0);
    assertThat(a.name()).isEqualTo("alice");
    assertThat(a.ai()).isFalse();
    assertThat(a.faction()).isEqualTo(1);
    assertThat(a.score()).isEqualTo(1500);
    assertThat(a.unitsBuilt()).isEqualTo(120);
    assertThat(a.commanderKills()).isEqualTo(1);
    assertThat(a.raw()).isEqualTo(alice);
    assertThat(armies.get(1).faction()).isEqualTo(3);
    assertThat(ArmyStats.countsForAchievements(armies)).isTrue();
  }

  @Test
  @DisplayName("missing or mistyped fields count as zero; armies without a name and repeated names are skipped")
  void tolerant() {
    JsonObject bare = new JsonObject().put("name", "bare");
    JsonObject odd = new JsonObject().put("name", "odd").put("type", 7).put("faction", "klingon")
      .put("general", "lots").put("units", new JsonObject().put("cdr", new JsonArray()));
    JsonObject strings = new JsonObject().put("name", "strings").put("faction", "2")
      .put("general", new JsonObject().put("score", "77").put("built", new JsonObject().put("count", -5)));
    var armies = ArmyStats.parse(new JsonObject().put("stats", new JsonArray().add(bare).add(odd).add(strings)
      .add(new JsonObject().put("type", "Human")).add(42).add(new JsonObject().put("name", "bare").put("faction", 4)))
      .encode()).orElseThrow();
    assertThat(armies).extracting(ArmyStats.Army::name).containsExactly("bare", "odd", "strings");
    assertThat(armies.get(0)).extracting(ArmyStats.Army::faction, ArmyStats.Army::score, ArmyStats.Army::unitsBuilt,
      ArmyStats.Army::commanderKills, ArmyStats.Army::ai).containsExactly(0, 0, 0, 0, false);
    assertThat(armies.get(1).faction()).isZero();
    assertThat(armies.get(2)).extracting(ArmyStats.Army::faction, ArmyStats.Army::score, ArmyStats.Army::unitsBuilt)
      .containsExactly(2, 77, 0);
  }

  @Test
  @DisplayName("anything but a JSON object string with a stats list is no statistics")
  void unreadable() {
    assertThat(ArmyStats.parse(null)).isEmpty();
    assertThat(ArmyStats.parse(12)).isEmpty();
    assertThat(ArmyStats.parse(new JsonObject().put("stats", new JsonArray()))).isEmpty();
    assertThat(ArmyStats.parse("{not json")).isEmpty();
    assertThat(ArmyStats.parse("[1, 2]")).isEmpty();
    assertThat(ArmyStats.parse("{\"stats\": {}}")).isEmpty();
    assertThat(ArmyStats.parse("{\"stats\": []}")).hasValue(List.of());
  }

  @Test
  @DisplayName("statistics count with two humans and civilians, not with an AI army or a single human")
  void counting() {
    var humans = List.of(parsed(army("a", "Human", 1, 1, 1, 0)), parsed(army("b", "Human", 2, 1, 1, 0)));
    var civilian = parsed(army("civilian", "AI", 0, 0, 0, 0));
    var ai = parsed(army("AI: Adaptive", "AI", 3, 0, 0, 0));
    assertThat(ArmyStats.countsForAchievements(List.of(humans.get(0), humans.get(1), civilian))).isTrue();
    assertThat(ArmyStats.countsForAchievements(List.of(humans.get(0), humans.get(1), ai))).isFalse();
    assertThat(ArmyStats.countsForAchievements(List.of(humans.get(0), civilian))).isFalse();
  }

  private static ArmyStats.Army parsed(JsonObject army) {
    return ArmyStats.parse(stats(army)).orElseThrow().get(0);
  }
}
