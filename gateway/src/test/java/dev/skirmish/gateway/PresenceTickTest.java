package dev.skirmish.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PresenceTickTest {

  /** A viewer that keeps what it is sent, decoded. */
  private static final class Viewer implements PresenceTick.Viewer {
    final int id;
    final List<JsonObject> received = new ArrayList<>();

    Viewer(int id) {
      this.id = id;
    }

    @Override
    public int playerId() {
      return id;
    }

    @Override
    public void sendLine(Buffer... parts) {
      Buffer line = Buffer.buffer();
      for (Buffer part : parts) {
        line.appendBuffer(part);
      }
      String text = line.toString();
      assertThat(text).endsWith("\n");
      received.add(new JsonObject(text.trim()));
    }

    List<JsonObject> commands(String command) {
      return received.stream().filter(m -> command.equals(m.getString("command"))).toList();
    }
  }

  private static String joined(Buffer[] parts) {
    Buffer line = Buffer.buffer();
    for (Buffer part : parts) {
      line.appendBuffer(part);
    }
    assertThat(line.toString()).endsWith("\n");
    return line.toString().trim();
  }

  private static JsonObject player(int id) {
    return new JsonObject().put("id", id).put("login", "p" + id).put("country", "");
  }

  private static JsonObject online(String connection, int id) {
    return new JsonObject().put("online", new JsonArray().add(new JsonObject().put("connection", connection).put("player", player(id))));
  }

  private static JsonObject offline(String connection, int id) {
    return new JsonObject().put("offline", new JsonArray().add(new JsonObject().put("connection", connection).put("player", player(id))));
  }

  private static List<Integer> ids(JsonObject playerInfo) {
    return playerInfo.getJsonArray("players").stream().map(p -> ((JsonObject) p).getInteger("id")).toList();
  }

  private static JsonObject game(long uid, String state, JsonObject audience) {
    return new JsonObject().put("games", new JsonArray().add(new JsonObject()
      .put("info", new JsonObject().put("uid", uid).put("state", state).put("title", "g" + uid))
      .put("audience", audience)));
  }

  @Test
  @DisplayName("many changes between two ticks reach every viewer in one player_info, the viewer's own change included")
  void oneTickCarriesEveryChange() {
    PresenceTick presence = new PresenceTick();
    Viewer a = new Viewer(1);
    Viewer b = new Viewer(2);
    presence.join(a);
    presence.join(b);
    for (int id = 1; id <= 50; id++) {
      presence.onPresence(online("c" + id, id));
    }
    assertThat(a.received).as("nothing is sent between ticks").isEmpty();
    presence.tick();
    assertThat(a.commands("player_info")).hasSize(1);
    assertThat(ids(a.commands("player_info").get(0))).hasSize(50).contains(1, 2, 50);
    assertThat(b.received).isEqualTo(a.received);
    presence.tick();
    assertThat(a.received).as("an idle tick sends nothing").hasSize(1);
  }

  @Test
  @DisplayName("a player who logs out is sent once as offline; a late offline of an older session does not hide the newer one")
  void offlineOnceAndOnlyForTheSameSession() {
    PresenceTick presence = new PresenceTick();
    Viewer v = new Viewer(9);
    presence.join(v);
    presence.onPresence(online("old", 5));
    presence.tick();
    presence.onPresence(online("new", 5));
    presence.onPresence(offline("old", 5));
    presence.tick();
    assertThat(presence.player(5)).isNotNull();
    JsonObject second = v.commands("player_info").get(1);
    assertThat(second.getJsonArray("players").getJsonObject(0).containsKey("state")).isFalse();

    presence.onPresence(offline("new", 5));
    presence.tick();
    JsonObject third = v.commands("player_info").get(2);
    assertThat(third.getJsonArray("players").getJsonObject(0).getString("state")).isEqualTo("offline");
    assertThat(presence.player(5)).isNull();
    assertThat(presence.online()).isZero();
  }

  @Test
  @DisplayName("the login's list holds everyone online at the last tick, then the changes since, then the newcomer")
  void loginListIsTheSnapshotPlusPendingChanges() {
    PresenceTick presence = new PresenceTick();
    presence.onPresence(online("a", 1));
    presence.onPresence(online("b", 2));
    presence.tick();
    presence.onPresence(online("c", 3));
    presence.onPresence(offline("a", 1));
    JsonObject list = new JsonObject(joined(presence.loginPlayerList(player(4))));
    assertThat(list.getString("command")).isEqualTo("player_info");
    assertThat(ids(list)).containsExactly(1, 2, 3, 1, 4);
    assertThat(list.getJsonArray("players").getJsonObject(3).getString("state")).isEqualTo("offline");
    presence.tick();
    assertThat(ids(new JsonObject(joined(presence.loginPlayerList(player(4)))))).containsExactlyInAnyOrder(2, 3, 4);
  }

  @Test
  @DisplayName("game_info goes once per changed game per tick, only to viewers the audience allows; closed games leave the list")
  void gamesAreFilteredPerViewer() {
    PresenceTick presence = new PresenceTick();
    Viewer host = new Viewer(1);
    Viewer foe = new Viewer(2);
    Viewer other = new Viewer(3);
    List.of(host, foe, other).forEach(presence::join);
    JsonObject audience = new JsonObject().put("host", 1).put("participants", new JsonArray().add(1))
      .put("foes", new JsonArray().add(2));
    presence.onGames(game(7, "closed", audience));
    presence.onGames(game(7, "open", audience));
    presence.tick();
    assertThat(host.commands("game_info")).hasSize(1);
    assertThat(host.commands("game_info").get(0).getString("state")).isEqualTo("open");
    assertThat(foe.commands("game_info")).isEmpty();
    assertThat(other.commands("game_info")).hasSize(1);
    assertThat(presence.visibleGames(3, null)).hasSize(1);
    assertThat(presence.visibleGames(2, null)).isEmpty();
    assertThat(presence.gamesOf(1)).containsExactly(7L);

    presence.onGames(game(7, "closed", audience));
    presence.tick();
    assertThat(other.commands("game_info")).hasSize(2);
    assertThat(presence.visibleGames(3, null)).isEmpty();
    assertThat(presence.gamesOf(1)).isEmpty();
  }

  @Test
  @DisplayName("matchmaker_info carries the latest entry of each queue changed since the last tick, once")
  void queuesAreCoalesced() {
    PresenceTick presence = new PresenceTick();
    Viewer v = new Viewer(1);
    presence.join(v);
    presence.onQueues(new JsonObject().put("queues", new JsonArray()
      .add(new JsonObject().put("queue_name", "ladder1v1").put("num_players", 1))
      .add(new JsonObject().put("queue_name", "tmm2v2").put("num_players", 0))));
    presence.onQueues(new JsonObject().put("queues", new JsonArray()
      .add(new JsonObject().put("queue_name", "ladder1v1").put("num_players", 2))));
    presence.tick();
    assertThat(v.commands("matchmaker_info")).hasSize(1);
    JsonArray queues = v.commands("matchmaker_info").get(0).getJsonArray("queues");
    assertThat(queues).hasSize(2);
    assertThat(queues.getJsonObject(0).getInteger("num_players")).isEqualTo(2);
    presence.leave(v);
    presence.onQueues(new JsonObject().put("queues", new JsonArray().add(new JsonObject().put("queue_name", "tmm2v2"))));
    presence.tick();
    assertThat(v.received).as("a viewer that left gets nothing more").hasSize(1);
  }
}
