package dev.skirmish.matchmaker;

import dev.skirmish.common.DocumentStore.Change;
import dev.skirmish.matchmaker.algorithm.PopTimer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The queue document: adding and removing searches, pops, matchmaker_info entries. */
class MatchmakerSearchesTest {

  private static JsonObject search(String id, int owner, int... members) {
    JsonArray players = new JsonArray().add(player(owner));
    for (int m : members) {
      players.add(player(m));
    }
    return new JsonObject().put("id", id).put("owner", owner).put("started", 0L).put("failed", 0).put("players", players);
  }

  private static JsonObject player(int id) {
    return new JsonObject().put("id", id).put("login", "p" + id).put("mean", 1500.0).put("dev", 100.0).put("games", 50)
      .put("factions", new JsonArray().add("uef"));
  }

  private static final QueueDef QUEUE = new QueueDef(1, "tmm2v2", 2, "faf", "tmm_2v2", null, List.of());

  @Test
  void addReplacesOverlappingSearchesAndRemoveFindsMembers() {
    JsonObject doc = Searches.add(Searches.empty(), search("a", 1)).next();
    Change<List<JsonObject>> party = Searches.add(doc, search("b", 2, 1));
    assertThat(party.result()).extracting(s -> s.getString("id")).containsExactly("a");
    doc = party.next();
    assertThat(Searches.playerCount(doc)).isEqualTo(2);
    assertThat(Searches.removePlayer(doc, 7).next()).as("unchanged").isNull();
    Change<List<JsonObject>> removed = Searches.removePlayer(doc, 1);
    assertThat(removed.result()).extracting(s -> s.getString("id")).containsExactly("b");
    assertThat(Searches.playerCount(removed.next())).isZero();
  }

  @Test
  void popRemovesOnlyGamesWhoseSearchesAreAllStillThere() {
    JsonObject doc = Searches.empty();
    for (String id : List.of("a", "b", "c", "d", "e")) {
      doc = Searches.add(doc, search(id, id.charAt(0))).next();
    }
    doc = Searches.ensureTimer(doc, 0, 1000).next();
    JsonObject withoutC = Searches.removePlayer(doc, 'c').next();
    Change<Map<Integer, List<JsonObject>>> pop = Searches.applyPop(withoutC,
      List.of(List.of("a", "b"), List.of("c", "d"), List.of("b", "e")), Set.of("a", "b", "c", "d", "e"), 5, 4000, 2000, 5);
    assertThat(pop.result().keySet()).containsExactly(0);
    assertThat(pop.result().get(0)).extracting(s -> s.getString("id")).containsExactly("a", "b");
    JsonObject after = pop.next();
    assertThat(Searches.all(after)).extracting(s -> s.getString("id")).containsExactlyInAnyOrder("d", "e");
    assertThat(Searches.all(after)).allMatch(s -> s.getInteger("failed") == 1);
    assertThat(Searches.nextPop(after)).isEqualTo(6000);
    assertThat(after.getJsonObject("timer").getJsonArray("history")).hasSize(1);
  }

  @Test
  void timerStartsOnceAndFollowsThePopHistory() {
    JsonObject doc = Searches.ensureTimer(Searches.empty(), 1000, 45000).next();
    assertThat(Searches.nextPop(doc)).isEqualTo(46000);
    assertThat(Searches.ensureTimer(doc, 5000, 45000).next()).isNull();
    // nobody queued: the cap
    assertThat(Searches.nextPopSeconds(doc, PopTimer.Config.DEFAULT, 1, 0, 46000)).isEqualTo(90);
    // 10 players in 45 s, team size 1: 2.5·2·45/10
    assertThat(Searches.nextPopSeconds(doc, PopTimer.Config.DEFAULT, 1, 10, 46000)).isEqualTo(22.5);
  }

  @Test
  void infoEntry() {
    JsonObject doc = Searches.add(Searches.empty(), search("a", 1, 2)).next();
    doc = Searches.ensureTimer(doc, 0, 30_000).next();
    JsonObject info = Searches.info(QUEUE, doc, 10_000, 45_000);
    assertThat(info.getString("queue_name")).isEqualTo("tmm2v2");
    assertThat(info.getString("queue_pop_time")).isEqualTo("1970-01-01T00:00:30Z");
    assertThat(info.getDouble("queue_pop_time_delta")).isEqualTo(20.0);
    assertThat(info.getInteger("num_players")).isEqualTo(2);
    assertThat(info.getInteger("team_size")).isEqualTo(2);
    assertThat(info.getJsonArray("boundary_80s")).isEqualTo(new JsonArray().add(new JsonArray().add(1300.0).add(1700.0)));
    assertThat(info.getJsonArray("boundary_75s")).isEqualTo(new JsonArray().add(new JsonArray().add(1400.0).add(1600.0)));
  }

  @Test
  void missingLeaderboardRatingStartsFromGlobal() {
    JsonObject info = new JsonObject().put("ratings", new JsonObject()
      .put("global", new JsonObject().put("rating", new JsonArray().add(1800.0).add(80.0)).put("number_of_games", 40)));
    assertThat(Searches.rating(info, "tmm_2v2")).containsExactly(1800.0, 230.0, 0.0);
    assertThat(Searches.rating(info, "global")).containsExactly(1800.0, 80.0, 40.0);
  }
}
