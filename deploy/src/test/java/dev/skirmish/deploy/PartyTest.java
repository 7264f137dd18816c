package dev.skirmish.deploy;

import dev.skirmish.deploy.FafTestSupport.Player;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static dev.skirmish.deploy.FafTestSupport.account;
import static dev.skirmish.deploy.FafTestSupport.loggedIn;
import static dev.skirmish.deploy.FafTestSupport.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

/** FAF parties over real WebSockets: invites, joining, factions, kicks, leaving, disbanding, disconnects. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class PartyTest {

  private static final List<String> ALL_FACTIONS = List.of("uef", "aeon", "cybran", "seraphim");

  @RegisterExtension
  static final TestNode NODE = new TestNode();

  @Test
  @DisplayName("invite, accept, set factions, kick, re-kick, leave: every member sees each party state")
  void fullWorkflow(Vertx vertx, VertxTestContext ctx) {
    FafGameKit.players(vertx, NODE.node(), "owner", "friend", "third").compose(ps -> {
      Player a = ps.get(0);
      Player b = ps.get(1);
      Player c = ps.get(2);
      a.client().send(invite(b));
      return a.client().inbox().next(party(a.id(), a.id()), "own party created by the invite")
        .compose(v -> b.client().expect("party_invite"))
        .compose(inv -> {
          ctx.verify(() -> assertThat(inv).isEqualTo(new JsonObject().put("command", "party_invite").put("sender", a.id())));
          b.client().send(accept(a));
          return Future.all(expectParty(a, a.id(), a.id(), b.id()), expectParty(b, a.id(), a.id(), b.id()));
        })
        .compose(v -> {
          JsonObject seen = b.client().inbox().history().stream()
            .filter(party(a.id(), a.id(), b.id())).findFirst().orElseThrow();
          ctx.verify(() -> {
            assertThat(seen.fieldNames()).containsExactlyInAnyOrder("command", "owner", "members");
            assertThat(factionsOf(seen, b.id())).containsExactlyElementsOf(ALL_FACTIONS);
            assertThat(factionsOf(seen, a.id())).containsExactlyElementsOf(ALL_FACTIONS);
          });
          b.client().send(factions(new JsonArray().add("aeon").add(3).add("aeon").add(2)));
          Predicate<JsonObject> chosen = party(a.id(), a.id(), b.id())
            .and(m -> factionsOf(m, b.id()).equals(List.of("aeon", "cybran")));
          return Future.all(a.client().inbox().next(chosen, "b's factions seen by a"),
            b.client().inbox().next(chosen, "b's own factions"));
        })
        .compose(v -> {
          // A member that is not the owner cannot invite.
          b.client().send(invite(c));
          return b.client().expectNotice("error");
        })
        .compose(v -> {
          a.client().send(invite(c));
          return expectParty(a, a.id(), a.id(), b.id()).compose(x -> c.client().expect("party_invite"));
        })
        .compose(v -> {
          c.client().send(accept(a));
          return Future.all(expectParty(a, a.id(), a.id(), b.id(), c.id()), expectParty(b, a.id(), a.id(), b.id(), c.id()),
            expectParty(c, a.id(), a.id(), b.id(), c.id()));
        })
        .compose(v -> {
          a.client().send(kick(b));
          return Future.all(b.client().expect("kicked_from_party"), expectParty(a, a.id(), a.id(), c.id()),
            expectParty(c, a.id(), a.id(), c.id()));
        })
        .compose(v -> {
          // Kicking someone who is not in the party re-sends the state to the kicker.
          a.client().send(kick(b));
          return expectParty(a, a.id(), a.id(), c.id());
        })
        .compose(v -> {
          c.client().send(command("leave_party"));
          return Future.all(expectParty(a, a.id(), a.id()), expectParty(c, c.id(), c.id()));
        })
        .compose(v -> {
          c.client().send(command("leave_party"));
          return c.client().expectNotice("error");
        })
        .compose(v -> {
          // Sentinel for b: a fresh invite; nothing about the party may reach b between the kick and it.
          a.client().send(invite(b));
          return expectParty(a, a.id(), a.id()).compose(x -> b.client().expect("party_invite"));
        })
        .map(v -> {
          List<String> after = b.client().inbox().history().stream().map(m -> m.getString("command"))
            .dropWhile(cmd -> !"kicked_from_party".equals(cmd)).toList();
          ctx.verify(() -> assertThat(after).containsExactly("kicked_from_party", "party_invite"));
          return ps;
        });
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("inviting an offline player is an error notice")
  void inviteOffline(Vertx vertx, VertxTestContext ctx) {
    account(vertx, NODE.node(), "absent").compose(absent -> loggedIn(vertx, NODE.node(), "inviter").compose(a -> {
      a.client().send(invite(absent));
      return a.client().expectNotice("error").map(n -> {
        ctx.verify(() -> assertThat(n.getString("text")).contains("offline"));
        return List.of(a);
      });
    })).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("accepting without an invite, or from an offline sender, is an error notice; the connection stays")
  void acceptWithoutInvite(Vertx vertx, VertxTestContext ctx) {
    account(vertx, NODE.node(), "gone").compose(gone -> FafGameKit.players(vertx, NODE.node(), "host", "guest").compose(ps -> {
      Player a = ps.get(0);
      Player b = ps.get(1);
      b.client().send(accept(a));
      return b.client().expectNotice("error")
        .compose(n -> {
          b.client().send(accept(gone));
          return b.client().expectNotice("error");
        })
        .compose(n -> roundTrip(b.client()))
        .map(pong -> {
          ctx.verify(() -> assertThat(b.client().inbox().history()).noneMatch(m -> "update_party".equals(m.getString("command"))));
          return ps;
        });
    })).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("the owner leaving disbands the party: every ex-member gets an empty party")
  void ownerLeavesDisbands(Vertx vertx, VertxTestContext ctx) {
    FafGameKit.players(vertx, NODE.node(), "boss", "m1", "m2").compose(ps -> {
      Player a = ps.get(0);
      Player b = ps.get(1);
      Player c = ps.get(2);
      return join(a, b).compose(v -> join(a, c))
        .compose(v -> Future.all(expectParty(b, a.id(), a.id(), b.id(), c.id()), expectParty(a, a.id(), a.id(), b.id(), c.id())))
        .compose(v -> {
          a.client().send(command("leave_party"));
          return Future.all(ps.stream().map(p -> p.client().inbox().next(party(a.id()), "disbanded party")).toList());
        })
        .compose(v -> {
          b.client().send(command("leave_party"));
          return b.client().expectNotice("error");
        })
        .compose(v -> {
          // The old owner's invites went with the party.
          c.client().send(accept(a));
          return c.client().expectNotice("error");
        })
        .map(v -> ps);
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a member who disconnects leaves; an owner who disconnects disbands")
  void disconnectLeaves(Vertx vertx, VertxTestContext ctx) {
    FafGameKit.players(vertx, NODE.node(), "stay", "drop", "alsodrop").compose(ps -> {
      Player a = ps.get(0);
      Player b = ps.get(1);
      Player c = ps.get(2);
      return join(a, b).compose(v -> join(a, c))
        .compose(v -> expectParty(b, a.id(), a.id(), b.id(), c.id()))
        .compose(v -> b.client().close())
        .compose(v -> Future.all(expectParty(a, a.id(), a.id(), c.id()), expectParty(c, a.id(), a.id(), c.id())))
        .compose(v -> a.client().close())
        .compose(v -> c.client().inbox().next(party(a.id()), "party disbanded by the owner's disconnect"))
        .compose(v -> c.client().close());
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("factions are de-duplicated; empty or unknown factions are error notices that keep the connection")
  void factions(Vertx vertx, VertxTestContext ctx) {
    loggedIn(vertx, NODE.node(), "picky").compose(a -> {
      a.client().send(factions(new JsonArray().add("seraphim").add(4).add("SERAPHIM").add(1)));
      return a.client().inbox().next(party(a.id(), a.id()), "solo party with the chosen factions")
        .compose(m -> {
          ctx.verify(() -> assertThat(factionsOf(m, a.id())).containsExactly("seraphim", "uef"));
          a.client().send(factions(new JsonArray()));
          return a.client().expectNotice("error");
        })
        .compose(n -> {
          a.client().send(factions(new JsonArray().add("cybran").add("nomads")));
          return a.client().expectNotice("error");
        })
        .compose(n -> {
          a.client().send(factions(new JsonArray().add(7)));
          return a.client().expectNotice("error");
        })
        .compose(n -> roundTrip(a.client()))
        .map(pong -> {
          ctx.verify(() -> {
            assertThat(a.client().isClosed()).isFalse();
            assertThat(a.client().inbox().history().stream().filter(m -> "update_party".equals(m.getString("command"))))
              .hasSize(1);
          });
          return List.of(a);
        });
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("accepting another invite leaves the old party, keeping one's factions")
  void switchParties(Vertx vertx, VertxTestContext ctx) {
    FafGameKit.players(vertx, NODE.node(), "first", "second", "hopper").compose(ps -> {
      Player a = ps.get(0);
      Player b = ps.get(1);
      Player c = ps.get(2);
      return join(a, c).compose(v -> expectParty(a, a.id(), a.id(), c.id()))
        .compose(v -> {
          c.client().send(factions(new JsonArray().add("cybran")));
          Predicate<JsonObject> chosen = party(a.id(), a.id(), c.id()).and(m -> factionsOf(m, c.id()).equals(List.of("cybran")));
          return Future.all(a.client().inbox().next(chosen, "c's factions"), c.client().inbox().next(chosen, "own factions"));
        })
        .compose(v -> {
          b.client().send(invite(c));
          return c.client().expect("party_invite");
        })
        .compose(inv -> {
          c.client().send(accept(b));
          Predicate<JsonObject> joined = party(b.id(), b.id(), c.id()).and(m -> factionsOf(m, c.id()).equals(List.of("cybran")));
          return Future.all(expectParty(a, a.id(), a.id()), b.client().inbox().next(joined, "c joined b"),
            c.client().inbox().next(joined, "c's new party"));
        })
        .map(v -> ps);
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("an invite from a player on the recipient's foe list is silently ignored")
  void foeInviteIgnored(Vertx vertx, VertxTestContext ctx) {
    FafGameKit.players(vertx, NODE.node(), "foe", "target", "mate").compose(ps -> {
      Player foe = ps.get(0);
      Player target = ps.get(1);
      Player mate = ps.get(2);
      return NODE.node().database().pool()
        .preparedQuery("INSERT INTO friends_and_foes (user_id, subject_id, status) VALUES ($1, $2, 'FOE')")
        .execute(io.vertx.sqlclient.Tuple.of(target.id(), foe.id()))
        .compose(r -> {
          foe.client().send(invite(target));
          // the foe's invite is answered like any other on its side, so it cannot tell it was dropped
          return roundTrip(foe.client());
        })
        .compose(v -> {
          mate.client().send(invite(target));
          // the first invite the target receives is the later one: the foe's never arrived
          return target.client().expect("party_invite");
        })
        .map(received -> {
          ctx.verify(() -> assertThat(received.getInteger("sender")).isEqualTo(mate.id()));
          return ps;
        });
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("ready_party and unready_party are harmless no-ops")
  void readyIsNoOp(Vertx vertx, VertxTestContext ctx) {
    loggedIn(vertx, NODE.node(), "ready").compose(a -> {
      a.client().send(command("ready_party")).send(command("unready_party"));
      return roundTrip(a.client()).map(pong -> {
        ctx.verify(() -> assertThat(a.client().inbox().history())
          .noneMatch(m -> "notice".equals(m.getString("command")) || "invalid".equals(m.getString("command"))));
        return List.of(a);
      });
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  // ---- helpers ---------------------------------------------------------------------------------------


  /** {@code owner} invites {@code member}, who accepts once the invite arrived; completes when the member saw the party. */
  private static Future<JsonObject> join(Player owner, Player member) {
    owner.client().send(invite(member));
    return member.client().expect("party_invite").compose(inv -> {
      member.client().send(accept(owner));
      return member.client().inbox().next(m -> "update_party".equals(m.getString("command"))
        && m.getInteger("owner") == owner.id() && memberIds(m).contains(member.id()), "joined party of " + owner.id());
    });
  }


  static Future<JsonObject> expectParty(Player p, int owner, Integer... members) {
    return p.client().inbox().next(party(owner, members), "update_party owner " + owner + " members " + Arrays.toString(members));
  }

  /** An update_party with this owner and exactly these members (in any order). */
  private static Predicate<JsonObject> party(int owner, Integer... members) {
    Set<Integer> expected = Set.of(members);
    return m -> "update_party".equals(m.getString("command")) && m.getInteger("owner") == owner
      && memberIds(m).equals(expected) && memberIds(m).size() == m.getJsonArray("members").size();
  }

  static Set<Integer> memberIds(JsonObject update) {
    return update.getJsonArray("members", new JsonArray()).stream()
      .map(o -> ((JsonObject) o).getInteger("player")).collect(Collectors.toSet());
  }

  private static List<String> factionsOf(JsonObject update, int player) {
    return update.getJsonArray("members").stream().map(o -> (JsonObject) o)
      .filter(m -> m.getInteger("player") == player).findFirst()
      .map(m -> m.getJsonArray("factions").stream().map(String::valueOf).toList()).orElse(List.of());
  }

  static JsonObject command(String name) {
    return new JsonObject().put("command", name);
  }

  static JsonObject invite(Player recipient) {
    return command("invite_to_party").put("recipient_id", recipient.id());
  }

  static JsonObject accept(Player sender) {
    return command("accept_party_invite").put("sender_id", sender.id());
  }

  private static JsonObject kick(Player kicked) {
    return command("kick_player_from_party").put("kicked_player_id", kicked.id());
  }

  private static JsonObject factions(JsonArray factions) {
    return command("set_party_factions").put("factions", factions);
  }
}
