package dev.skirmish.signaling;

import dev.skirmish.common.DocumentStore.Change;
import dev.skirmish.signaling.Lobbies.Caller;
import dev.skirmish.signaling.LobbyMembership.HostConfig;
import dev.skirmish.signaling.LobbyMembership.PasswordCheck;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded random command sequences over the lobby rules of one game: whatever the order of hosting,
 * joining, leaving, closing, controls and claims, no rule throws, a socket is in at most one lobby and
 * once in it, a lobby's host is not also its peer, a lobby is never empty, and a limited lobby never has
 * more peers than its size.
 */
class LobbyRulesPropertyTest {

  private static final String UGI = "01HNPHRWS0N0AYMM5K4HN31V4W";
  private static final List<String> NAMES = List.of("a", "b", "c");
  private static final int SOCKETS = 6;
  private static final int STEPS = 300;

  static IntStream seeds() {
    return IntStream.range(0, 200);
  }

  private static Caller socket(int i) {
    return new Caller(UGI, "ID" + i, "user" + i, "node" + (i % 2), "conn" + i);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void invariantsHoldAfterEveryCommand(int seed) {
    Random random = new Random(seed);
    JsonObject doc = new JsonObject().put("lobbies", new JsonObject());
    for (int step = 0; step < STEPS; step++) {
      Caller caller = socket(random.nextInt(SOCKETS));
      String command = "";
      try {
        Change<Effects> change;
        String name = NAMES.get(random.nextInt(NAMES.size()));
        String other = socket(random.nextInt(SOCKETS)).id();
        switch (random.nextInt(11)) {
          case 0 -> {
            command = "host " + name;
            change = LobbyMembership.host(doc, caller, new HostConfig(name, random.nextBoolean(), random.nextBoolean(),
              random.nextInt(4), random.nextInt(4) == 0 ? "HASH" : null, random.nextBoolean() ? "key" : null,
              random.nextInt(5) == 0));
          }
          case 1, 2 -> {
            command = "join " + name;
            PasswordCheck check = switch (random.nextInt(3)) {
              case 0 -> PasswordCheck.NONE;
              case 1 -> new PasswordCheck("HASH", true, true);
              default -> new PasswordCheck("HASH", true, false);
            };
            change = LobbyMembership.join(doc, caller, name, random.nextBoolean() ? "key" : null, check);
          }
          case 3 -> {
            command = "leave";
            change = LobbyMembership.leave(doc, caller);
          }
          case 4 -> {
            command = "closed";
            change = LobbyMembership.closed(doc, UGI, caller.id(), caller.connection());
          }
          case 5 -> {
            command = "lock";
            change = LobbyControls.lock(doc, caller, random.nextBoolean());
          }
          case 6 -> {
            command = "size";
            change = LobbyControls.size(doc, caller, random.nextInt(5));
          }
          case 7 -> {
            command = "kick " + other;
            change = LobbyControls.kick(doc, caller, other);
          }
          case 8 -> {
            command = "transfer " + other;
            change = LobbyControls.transfer(doc, caller, other);
          }
          case 9 -> {
            command = "claim";
            change = HostReclaim.claim(doc, caller);
          }
          default -> {
            command = "list and info";
            LobbyDiscovery.list(doc, caller);
            LobbyDiscovery.info(doc, caller, name);
            change = new Change<>(null, new Effects());
          }
        }
        if (change.next() != null) {
          doc = change.next();
        }
      } catch (RuntimeException e) {
        throw new AssertionError("seed " + seed + ", step " + step + ": " + caller.connection() + " " + command, e);
      }
      checkInvariants(doc, "seed " + seed + ", step " + step + " after " + caller.connection() + " " + command);
    }
  }

  private static void checkInvariants(JsonObject doc, String where) {
    Set<String> seen = new HashSet<>();
    JsonObject lobbies = doc.getJsonObject("lobbies");
    for (String name : lobbies.fieldNames()) {
      JsonObject lobby = lobbies.getJsonObject(name);
      JsonObject host = lobby.getJsonObject("host");
      JsonArray peers = lobby.getJsonArray("peers");
      assertThat(host != null || !peers.isEmpty()).as("%s: lobby %s has members", where, name).isTrue();
      if (host != null) {
        assertThat(seen.add(host.getString("connection"))).as("%s: %s is in one lobby once", where, host).isTrue();
      }
      for (Object p : peers) {
        String connection = ((JsonObject) p).getString("connection");
        assertThat(seen.add(connection)).as("%s: %s is in one lobby once", where, connection).isTrue();
      }
      int max = lobby.getInteger("max_peers");
      if (max != 0) {
        assertThat(peers.size()).as("%s: peers of %s within its size", where, name).isLessThanOrEqualTo(max);
      }
    }
  }
}
