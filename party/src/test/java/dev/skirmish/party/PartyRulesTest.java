package dev.skirmish.party;

import dev.skirmish.common.DocumentStore.Change;
import dev.skirmish.common.Failures;
import dev.skirmish.common.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure party rules: invite expiry, invites cleared with the party, offline clean-up, faction parsing, caps. */
class PartyRulesTest {

  private static final long TTL = 1_000;
  private static final Parties.Limits LIMITS = new Parties.Limits(100, 100);

  private static JsonObject stored(Change<Parties.Outcome> change, JsonObject before) {
    assertThat(change.result().error()).isNull();
    return change.next() == null ? before : change.next();
  }

  @Test
  void anInviteExpires() {
    JsonObject doc = stored(Parties.invite(Parties.emptyDocument(), 1, 2, 0, TTL, LIMITS), Parties.emptyDocument());
    Change<Parties.Outcome> late = Parties.accept(doc, 2, 1, TTL, LIMITS);
    assertThat(late.next()).isNull();
    assertThat(late.result().error().code()).isEqualTo(Failures.NOT_FOUND);
    Change<Parties.Outcome> inTime = Parties.accept(doc, 2, 1, TTL - 1, LIMITS);
    assertThat(Parties.partyOf(stored(inTime, doc), 2)).isEqualTo(1);
  }

  @Test
  void anInviteIsUsedOnce() {
    JsonObject doc = stored(Parties.invite(Parties.emptyDocument(), 1, 2, 0, TTL, LIMITS), Parties.emptyDocument());
    doc = stored(Parties.accept(doc, 2, 1, 1, LIMITS), doc);
    doc = stored(Parties.leave(doc, 2), doc);
    assertThat(Parties.accept(doc, 2, 1, 2, LIMITS).result().error()).isNotNull();
  }

  @Test
  void invitesGoWithTheDisbandedParty() {
    JsonObject doc = stored(Parties.invite(Parties.emptyDocument(), 1, 2, 0, TTL, LIMITS), Parties.emptyDocument());
    doc = stored(Parties.leave(doc, 1), doc);
    assertThat(Parties.isEmpty(doc)).isTrue();
    doc = stored(Parties.invite(doc, 1, 3, 1, TTL, LIMITS), doc);
    assertThat(Parties.accept(doc, 2, 1, 2, LIMITS).result().error()).isNotNull();
  }

  @Test
  void onlyTheOwnerInvitesAndKicks() {
    JsonObject doc = stored(Parties.invite(Parties.emptyDocument(), 1, 2, 0, TTL, LIMITS), Parties.emptyDocument());
    doc = stored(Parties.accept(doc, 2, 1, 1, LIMITS), doc);
    assertThat(Parties.invite(doc, 2, 3, 2, TTL, LIMITS).result().error().code()).isEqualTo(Failures.FORBIDDEN);
    assertThat(Parties.kick(doc, 2, 1).result().error().code()).isEqualTo(Failures.FORBIDDEN);
    assertThat(Parties.kick(doc, 3, 1).result().error().code()).isEqualTo(Failures.CONFLICT);
    assertThat(Parties.kick(doc, 1, 1).result().error().code()).isEqualTo(Failures.BAD_REQUEST);
  }

  @Test
  void goingOfflineLeavesAndForgets() {
    JsonObject doc = stored(Parties.invite(Parties.emptyDocument(), 1, 2, 0, TTL, LIMITS), Parties.emptyDocument());
    doc = stored(Parties.accept(doc, 2, 1, 1, LIMITS), doc);
    doc = stored(Parties.invite(doc, 1, 3, 2, TTL, LIMITS), doc);
    doc = stored(Parties.setFactions(doc, 2, List.of("aeon")), doc);
    Change<Parties.Outcome> gone = Parties.offline(doc, 2);
    assertThat(gone.result().pushes()).extracting(Parties.Push::player).containsExactly(1);
    doc = stored(gone, doc);
    assertThat(Parties.partyOf(doc, 2)).isNull();
    assertThat(doc.getJsonObject("factions").containsKey("2")).isFalse();
    doc = stored(Parties.offline(doc, 3), doc);
    assertThat(Parties.accept(doc, 3, 1, 3, LIMITS).result().error()).isNotNull();
    assertThat(Parties.offline(doc, 3).next()).as("nothing left to forget").isNull();
  }

  @Test
  void factionsSurviveLeaving() {
    JsonObject doc = stored(Parties.invite(Parties.emptyDocument(), 1, 2, 0, TTL, LIMITS), Parties.emptyDocument());
    doc = stored(Parties.accept(doc, 2, 1, 1, LIMITS), doc);
    doc = stored(Parties.setFactions(doc, 2, List.of("seraphim")), doc);
    Change<Parties.Outcome> left = Parties.leave(doc, 2);
    JsonObject solo = left.result().pushes().stream().filter(p -> p.player() == 2).findFirst().orElseThrow().message();
    assertThat(solo.getInteger("owner")).isEqualTo(2);
    assertThat(solo.getJsonArray("members").getJsonObject(0).getJsonArray("factions")).isEqualTo(new JsonArray().add("seraphim"));
  }

  @Test
  void factionParsing() {
    assertThat(Parties.parseFactions(new JsonArray().add(1).add("uef").add("Aeon").add(4)))
      .containsExactly("uef", "aeon", "seraphim");
    assertThatThrownBy(() -> Parties.parseFactions(new JsonArray())).isInstanceOf(ServiceException.class);
    assertThatThrownBy(() -> Parties.parseFactions(new JsonArray().add(5))).isInstanceOf(ServiceException.class);
    assertThatThrownBy(() -> Parties.parseFactions(new JsonArray().add("nomads"))).isInstanceOf(ServiceException.class);
    assertThatThrownBy(() -> Parties.parseFactions("uef")).isInstanceOf(ServiceException.class);
  }

  @Test
  void pendingInvitesAreCappedPerOwnerUntilAnsweredOrExpired() {
    Parties.Limits two = new Parties.Limits(100, 2);
    JsonObject doc = stored(Parties.invite(Parties.emptyDocument(), 1, 2, 0, TTL, two), Parties.emptyDocument());
    doc = stored(Parties.invite(doc, 1, 3, 0, TTL, two), doc);
    Change<Parties.Outcome> third = Parties.invite(doc, 1, 4, 0, TTL, two);
    assertThat(third.next()).isNull();
    assertThat(third.result().error().code()).isEqualTo(Failures.CONFLICT);
    assertThat(third.result().pushes()).isEmpty();
    // inviting a pending player again renews that invite
    doc = stored(Parties.invite(doc, 1, 3, 1, TTL, two), doc);
    // an answered invite frees its place, and so does an expired one
    doc = stored(Parties.accept(doc, 2, 1, 2, two), doc);
    doc = stored(Parties.invite(doc, 1, 4, 3, TTL, two), doc);
    assertThat(Parties.invite(doc, 1, 5, 4, TTL, two).result().error()).isNotNull();
    stored(Parties.invite(doc, 1, 5, TTL + 1, TTL, two), doc);
  }

  @Test
  void aFullPartyCanNeitherInviteNorBeJoined() {
    Parties.Limits pair = new Parties.Limits(2, 100);
    JsonObject doc = stored(Parties.invite(Parties.emptyDocument(), 1, 2, 0, TTL, pair), Parties.emptyDocument());
    doc = stored(Parties.invite(doc, 1, 3, 0, TTL, pair), doc);
    doc = stored(Parties.accept(doc, 2, 1, 1, pair), doc);
    Change<Parties.Outcome> late = Parties.accept(doc, 3, 1, 2, pair);
    assertThat(late.next()).isNull();
    assertThat(late.result().error().code()).isEqualTo(Failures.CONFLICT);
    assertThat(Parties.invite(doc, 1, 4, 2, TTL, pair).result().error().code()).isEqualTo(Failures.CONFLICT);
    // once a member leaves, the pending invite can be taken up
    doc = stored(Parties.leave(doc, 2), doc);
    doc = stored(Parties.accept(doc, 3, 1, 3, pair), doc);
    assertThat(Parties.partyOf(doc, 3)).isEqualTo(1);
  }
}
