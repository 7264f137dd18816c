package dev.skirmish.deploy;

import dev.skirmish.deploy.FafTestSupport.Player;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafTestSupport.roundTrip;
import static dev.skirmish.deploy.PartyTest.accept;
import static dev.skirmish.deploy.PartyTest.command;
import static dev.skirmish.deploy.PartyTest.invite;
import static org.assertj.core.api.Assertions.assertThat;

/** The per-account party caps over real WebSockets: pending invites of an owner, members of a party. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class PartyCapsTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode("FAF_PARTY_MAX_MEMBERS", "2", "FAF_PARTY_MAX_INVITES", "2");

  @Test
  @DisplayName("an owner has at most FAF_PARTY_MAX_INVITES invites out; a party of FAF_PARTY_MAX_MEMBERS can neither invite nor be joined")
  void invitesAndMembersAreCapped(Vertx vertx, VertxTestContext ctx) {
    FafGameKit.players(vertx, NODE.node(), "capa", "capb", "capc", "capd").compose(ps -> {
      Player a = ps.get(0);
      Player b = ps.get(1);
      Player c = ps.get(2);
      Player d = ps.get(3);
      a.client().send(invite(b));
      return b.client().expect("party_invite")
        .compose(v -> {
          a.client().send(invite(c));
          return c.client().expect("party_invite");
        })
        .compose(v -> {
          // a third pending invite is one too many; the error names the cap's reason
          a.client().send(invite(d));
          return a.client().expectNotice("error");
        })
        .compose(notice -> {
          ctx.verify(() -> assertThat(notice.getString("text")).contains("2 party invites"));
          // inviting a pending player again renews the invite: no error
          a.client().send(invite(b));
          return b.client().expect("party_invite");
        })
        .compose(v -> {
          b.client().send(accept(a));
          return Future.all(expectParty(a, a, a, b), expectParty(b, a, a, b));
        })
        .compose(v -> {
          // the party is full: c's pending invite cannot be taken up, and a cannot invite
          c.client().send(accept(a));
          return c.client().expectNotice("error");
        })
        .compose(notice -> {
          ctx.verify(() -> assertThat(notice.getString("text")).contains("full"));
          a.client().send(invite(d));
          return a.client().expectNotice("error");
        })
        .compose(notice -> {
          ctx.verify(() -> assertThat(notice.getString("text")).contains("full"));
          // b's own solo party comes back once its leaving is stored
          b.client().send(command("leave_party"));
          return expectParty(b, b, b);
        })
        .compose(v -> {
          // a place is free again: c's invite still stands
          c.client().send(accept(a));
          return Future.all(expectParty(a, a, a, c), expectParty(c, a, a, c));
        })
        .compose(v -> roundTrip(d.client()))
        .compose(v -> {
          ctx.verify(() -> assertThat(d.client().inbox().history().stream()
            .filter(m -> "party_invite".equals(m.getString("command"))).toList()).as("invites d received").isEmpty());
          return FafGameKit.closeAll(ps);
        });
    }).onComplete(ctx.succeedingThenComplete());
  }

  private static Future<JsonObject> expectParty(Player p, Player owner, Player... members) {
    return PartyTest.expectParty(p, owner.id(), Arrays.stream(members).map(Player::id).toArray(Integer[]::new));
  }
}
