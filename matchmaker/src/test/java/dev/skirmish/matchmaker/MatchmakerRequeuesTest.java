package dev.skirmish.matchmaker;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.skirmish.matchmaker.StoredSearches.search;
import static org.assertj.core.api.Assertions.assertThat;

/** Which searches of a cancelled match go back into the queue, and how they go back. */
class MatchmakerRequeuesTest {

  private static final List<JsonObject> MATCH = List.of(search(1, 2), search(3), search(4));

  private static List<Integer> owners(List<JsonObject> searches) {
    return searches.stream().map(s -> s.getInteger("owner")).toList();
  }

  @Test
  void aPartyGoesBackOnlyIfNoMemberIsGuilty() {
    assertThat(owners(Requeues.innocent(MATCH, Set.of(2)))).containsExactly(3, 4);
    assertThat(owners(Requeues.innocent(MATCH, Set.of(3)))).containsExactly(1, 4);
    assertThat(owners(Requeues.innocent(MATCH, Set.of()))).containsExactly(1, 3, 4);
  }

  @Test
  void aSearchWithABusyPlayerStaysOut() {
    assertThat(owners(Requeues.requeued(MATCH, Set.of(4), Set.of(1)))).as("a busy party member keeps the party out")
      .containsExactly(3);
    assertThat(owners(Requeues.requeued(MATCH, Set.of(), Set.of(3)))).containsExactly(1, 4);
    assertThat(Requeues.players(MATCH)).containsExactlyInAnyOrder(1, 2, 3, 4);
  }

  @Test
  void onlyAnotherGameKeepsAPlayerBusy() {
    assertThat(Requeues.inAnotherGame(new JsonObject(), 7L)).isFalse();
    assertThat(Requeues.inAnotherGame(null, null)).isFalse();
    assertThat(Requeues.inAnotherGame(new JsonObject().put("game", 7L), 7L)).as("the failed game itself").isFalse();
    assertThat(Requeues.inAnotherGame(new JsonObject().put("game", 8L), 7L)).isTrue();
    assertThat(Requeues.inAnotherGame(new JsonObject().put("game", 7L), null)).as("after a ready check").isTrue();
    assertThat(Requeues.inAnotherGame(new JsonObject().put("connection", "c"), 7L)).as("starting a game").isTrue();
  }

  @Test
  void aSearchGoesBackOnlyWhileNoneOfItsPlayersQueuedAgain() {
    JsonObject doc = Searches.add(Searches.empty(), search(3)).next();
    assertThat(Searches.addIfFree(doc, search(1, 3)).result()).isFalse();
    assertThat(Searches.addIfFree(doc, search(1, 3)).next()).isNull();
    var added = Searches.addIfFree(doc, search(1, 2));
    assertThat(added.result()).isTrue();
    assertThat(Searches.playerCount(added.next())).isEqualTo(3);
  }
}
