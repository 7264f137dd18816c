package dev.skirmish.matchmaker;

import dev.skirmish.common.DocumentStore.Change;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.skirmish.matchmaker.StoredSearches.search;
import static org.assertj.core.api.Assertions.assertThat;

/** The document of the pending ready checks: acceptance, deadlines, taking a check once. */
class MatchmakerReadyChecksTest {

  private static JsonObject twoChecks() {
    JsonObject doc = ReadyChecks.add(new JsonObject(), "a",
      ReadyChecks.check("ladder1v1", List.of(1, 2), List.of(search(1)), List.of(search(2)), 1000)).next();
    return ReadyChecks.add(doc, "b",
      ReadyChecks.check("tmm2v2", List.of(3, 4, 5, 6), List.of(search(3, 4)), List.of(search(5), search(6)), 2000)).next();
  }

  @Test
  void theLastAcceptanceRemovesTheCheckAndReturnsIt() {
    JsonObject doc = twoChecks();
    Change<JsonObject> first = ReadyChecks.accept(doc, 1, 500);
    assertThat(first.result()).as("one of two accepted").isNull();
    Change<JsonObject> again = ReadyChecks.accept(first.next(), 1, 500);
    assertThat(again.next()).as("a second acceptance changes nothing").isNull();
    Change<JsonObject> last = ReadyChecks.accept(first.next(), 2, 600);
    assertThat(last.result().getString("queue")).isEqualTo("ladder1v1");
    assertThat(last.next().fieldNames()).containsExactly("b");
    assertThat(ReadyChecks.accept(doc, 99, 500).next()).as("no check for the player").isNull();
  }

  @Test
  void anOverdueCheckTakesNoMoreAcceptances() {
    assertThat(ReadyChecks.accept(twoChecks(), 1, 1000).next()).isNull();
    assertThat(ReadyChecks.accept(twoChecks(), 3, 1000).next()).as("the other check is still open").isNotNull();
  }

  @Test
  void overdueChecksByTheirAbsoluteDeadline() {
    JsonObject doc = twoChecks();
    assertThat(ReadyChecks.overdue(doc, 999)).isEmpty();
    assertThat(ReadyChecks.overdue(doc, 1000)).containsExactly("a");
    assertThat(ReadyChecks.overdue(doc, 5000)).containsExactlyInAnyOrder("a", "b");
    JsonObject old = new JsonObject().put("x", new JsonObject().put("players", new JsonArray()));
    assertThat(ReadyChecks.overdue(old, 0)).as("a check stored without a deadline").containsExactly("x");
  }

  @Test
  void aCheckIsTakenOnce() {
    JsonObject doc = twoChecks();
    Change<JsonObject> taken = ReadyChecks.take(doc, "a");
    assertThat(taken.result().getString("queue")).isEqualTo("ladder1v1");
    assertThat(ReadyChecks.take(taken.next(), "a").result()).as("a second node finds it gone").isNull();
    assertThat(ReadyChecks.take(taken.next(), "a").next()).isNull();
  }

  @Test
  void playersWhoDidNotAcceptAndTheSearches() {
    JsonObject check = ReadyChecks.accept(twoChecks(), 4, 0).next().getJsonObject("b");
    assertThat(ReadyChecks.notAccepted(check)).containsExactlyInAnyOrder(3, 5, 6);
    assertThat(ReadyChecks.searches(check)).extracting(s -> s.getInteger("owner")).containsExactly(3, 5, 6);
    assertThat(ReadyChecks.waiting(twoChecks())).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6);
  }
}
