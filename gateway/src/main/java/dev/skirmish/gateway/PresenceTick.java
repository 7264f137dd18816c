package dev.skirmish.gateway;

import dev.skirmish.common.GameVisibility;
import dev.skirmish.common.SessionDirectory;
import io.vertx.core.Future;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The FAF presence of one gateway node: a snapshot of every online player, every open or live game and every
 * matchmaker queue of the cluster, kept current from the presence publishes, and the tick that sends each
 * logged-in connection what changed since the last tick: at most one {@code player_info} with every changed
 * player (offline ones with {@code "state": "offline"}, the connection's own player included), one
 * {@code game_info} per changed game the viewer may see, and at most one {@code matchmaker_info} with the
 * changed queues. Each of those messages is encoded once per tick, whatever the number of connections.
 *
 * <p>The login sequence lists the snapshot, so a login scans no cluster map and asks no service. Every
 * gateway applies the same publishes, so presence is the same on every gateway within one tick.
 *
 * <p>Runs on the gateway verticle's event loop only.
 */
final class PresenceTick {

  private static final Logger LOG = LoggerFactory.getLogger(PresenceTick.class);
  private static final String PLAYER_INFO_HEAD = "{\"command\":\"player_info\",\"players\":[";
  private static final String LIST_TAIL = "]}\n";
  private static final Buffer PLAYER_INFO_HEAD_BYTES = shared(PLAYER_INFO_HEAD);

  /** A logged-in connection as the tick sees it. */
  interface Viewer {
    int playerId();

    /**
     * Sends one message already encoded as a newline-terminated UTF-8 line, in parts (the same buffers go to
     * every viewer).
     */
    void sendLine(Buffer... parts);
  }

  /**
   * An online player: the session's connection (so a late offline of an older session is ignored) and its document,
   * kept encoded only: it is sent as text, and a decoded tree would cost every idle connection's player about
   * 2.5 KB of heap more.
   */
  private record Online(String connection, String encoded) {
  }

  private final Map<Integer, Online> players = new HashMap<>();
  /** Open and live games by id: their announcement ({@code {info, audience}}). */
  private final Map<Long, JsonObject> games = new LinkedHashMap<>();
  private final Map<String, JsonObject> queues = new LinkedHashMap<>();

  private final Map<Integer, String> changedPlayers = new LinkedHashMap<>();
  private final Map<Long, JsonObject> changedGames = new LinkedHashMap<>();
  private final Set<String> changedQueues = new LinkedHashSet<>();
  /** Players touched by a publish while the initial snapshot was loading: the publish wins over the snapshot. */
  private Set<Integer> touchedWhileLoading = new HashSet<>();
  private Set<Long> gamesTouchedWhileLoading = new HashSet<>();

  /** The logged-in FAF connections of this node: the audience of every tick. */
  private final Set<Viewer> audience = new LinkedHashSet<>();
  /** The encoded documents of the players online at the last tick, comma separated (the bulk of a login's list). */
  private Buffer listAtTick = shared("");
  private boolean listStale;

  /**
   * Loads the snapshot: the directory of FAF sessions (players online) and the games the games service
   * lists. Publishes received meanwhile are kept and win over what the load finds.
   */
  Future<Void> load(SessionDirectory sessions, Future<JsonArray> visibleGames) {
    Future<Void> loadPlayers = sessions.snapshot().map(all -> {
      all.forEach((key, entry) -> {
        if (entry != null && entry.data().getValue("id") instanceof Number id
          && !touchedWhileLoading.contains(id.intValue())) {
          players.put(id.intValue(), online(entry.connection(), entry.data()));
        }
      });
      touchedWhileLoading = null;
      rebuildList();
      return null;
    });
    Future<Void> loadGames = visibleGames.<Void>map(list -> {
      for (Object o : list) {
        if (o instanceof JsonObject g && g.getJsonObject("info") != null
          && !gamesTouchedWhileLoading.contains(g.getJsonObject("info").getLong("uid", -1L))) {
          keepGame(g);
        }
      }
      gamesTouchedWhileLoading = null;
      return null;
    }).recover(err -> {
      LOG.warn("Open games unavailable at start ({}); the game list fills as games change", err.getMessage());
      gamesTouchedWhileLoading = null;
      return Future.<Void>succeededFuture();
    });
    return Future.all(loadPlayers, loadGames).mapEmpty();
  }

  /** A {@code FAF_PRESENCE} publish. */
  void onPresence(JsonObject body) {
    for (JsonObject change : changes(body, "online")) {
      int id = change.getJsonObject("player").getInteger("id");
      Online now = online(change.getString("connection"), change.getJsonObject("player"));
      players.put(id, now);
      changedPlayers.put(id, now.encoded());
      touched(id);
    }
    for (JsonObject change : changes(body, "offline")) {
      int id = change.getJsonObject("player").getInteger("id");
      Online current = players.get(id);
      if (current != null && current.connection() != null && change.getString("connection") != null
        && !current.connection().equals(change.getString("connection"))) {
        continue; // a newer session of the player is online: this offline is about an older one
      }
      players.remove(id);
      changedPlayers.put(id, change.getJsonObject("player").copy().put("state", "offline").encode());
      touched(id);
    }
  }

  /** The well-formed changes ({@code {connection, player: {id, ...}}}) under {@code key} of a presence publish. */
  private static List<JsonObject> changes(JsonObject body, String key) {
    List<JsonObject> out = new ArrayList<>();
    for (Object o : body.getJsonArray(key, new JsonArray())) {
      if (o instanceof JsonObject change && change.getJsonObject("player") != null
        && change.getJsonObject("player").getValue("id") instanceof Number) {
        out.add(change);
      }
    }
    return out;
  }

  private void touched(int player) {
    listStale = true;
    if (touchedWhileLoading != null) {
      touchedWhileLoading.add(player);
    }
  }

  /** A {@code FAF_GAME_INFO} publish: the announcements of games that changed. */
  void onGames(JsonObject body) {
    for (Object o : body.getJsonArray("games", new JsonArray())) {
      if (o instanceof JsonObject g && g.getJsonObject("info") != null && g.getJsonObject("info").getValue("uid") instanceof Number uid) {
        changedGames.put(uid.longValue(), g);
        keepGame(g);
        if (gamesTouchedWhileLoading != null) {
          gamesTouchedWhileLoading.add(uid.longValue());
        }
      }
    }
  }

  private void keepGame(JsonObject announcement) {
    JsonObject info = announcement.getJsonObject("info");
    long uid = info.getLong("uid");
    String state = info.getString("state");
    if ("open".equals(state) || "playing".equals(state)) {
      games.put(uid, announcement);
    } else {
      games.remove(uid);
    }
  }

  /** A {@code FAF_MATCHMAKER_INFO} publish: the entries of queues that changed. */
  void onQueues(JsonObject body) {
    for (Object o : body.getJsonArray("queues", new JsonArray())) {
      if (o instanceof JsonObject q && q.getString("queue_name") != null) {
        queues.put(q.getString("queue_name"), q);
        changedQueues.add(q.getString("queue_name"));
      }
    }
  }

  /** The connection's player is logged in: it is sent every tick from now on. */
  void join(Viewer session) {
    audience.add(session);
  }

  void leave(Viewer session) {
    audience.remove(session);
  }

  /** The player document of an online player (null when offline), decoded anew. */
  JsonObject player(int id) {
    Online o = players.get(id);
    return o == null ? null : new JsonObject(o.encoded());
  }

  /** Number of players online in the cluster, as this node sees them. */
  int online() {
    return players.size();
  }

  /**
   * The login's {@code player_info} line: every player online, with the changes not yet ticked (offline
   * ones included, so the newcomer's list ends as everyone else's will after the tick), and {@code self}.
   */
  Buffer[] loginPlayerList(JsonObject self) {
    StringBuilder rest = new StringBuilder(300 * (changedPlayers.size() + 1));
    boolean first = listAtTick.length() == 0;
    // Changes since the last tick come after the list as it was then, exactly as the tick will send them.
    for (String encoded : changedPlayers.values()) {
      rest.append(first ? "" : ",").append(encoded);
      first = false;
    }
    rest.append(first ? "" : ",").append(self.encode()).append(LIST_TAIL);
    return new Buffer[] {PLAYER_INFO_HEAD_BYTES, listAtTick, Buffer.buffer(rest.toString())};
  }

  /** The open and live games {@code viewer} may see, each a whole game_info message (the login's game list). */
  JsonArray visibleGames(int viewer, JsonObject viewerPlayer) {
    JsonArray list = new JsonArray();
    for (JsonObject g : games.values()) {
      if (GameVisibility.visibleTo(g.getJsonObject("audience"), viewer, viewerPlayer)) {
        list.add(gameInfo(g));
      }
    }
    return list;
  }

  /** The announcement ({@code {info, audience}}) of an open or live game, or null. */
  JsonObject game(long uid) {
    return games.get(uid);
  }

  /** The announcements of every open or live game (for the operator console). */
  List<JsonObject> games() {
    return new ArrayList<>(games.values());
  }

  /** The latest {@code matchmaker_info} entry of every queue. */
  List<JsonObject> queues() {
    return new ArrayList<>(queues.values());
  }

  /** The open or live games this player takes part in (host or participant). */
  List<Long> gamesOf(int player) {
    List<Long> out = new ArrayList<>();
    games.forEach((uid, g) -> {
      JsonObject a = g.getJsonObject("audience", new JsonObject());
      if (a.getInteger("host", -1) == player || a.getJsonArray("participants", new JsonArray()).contains(player)) {
        out.add(uid);
      }
    });
    return out;
  }

  private static JsonObject gameInfo(JsonObject announcement) {
    JsonObject message = new JsonObject().put("command", "game_info");
    return message.mergeIn(announcement.getJsonObject("info", new JsonObject()));
  }

  /** One tick: sends every logged-in connection what changed since the last one. */
  void tick() {
    if (!changedPlayers.isEmpty()) {
      Buffer line = shared(PLAYER_INFO_HEAD + String.join(",", changedPlayers.values()) + LIST_TAIL);
      changedPlayers.clear();
      for (Viewer s : audience) {
        s.sendLine(line);
      }
    }
    if (listStale) {
      rebuildList();
    }
    if (!changedGames.isEmpty()) {
      for (JsonObject g : changedGames.values()) {
        JsonObject audienceOf = g.getJsonObject("audience");
        Buffer line = shared(gameInfo(g).encode() + "\n");
        for (Viewer s : audience) {
          if (GameVisibility.visibleTo(audienceOf, s.playerId(), player(s.playerId()))) {
            s.sendLine(line);
          }
        }
      }
      changedGames.clear();
    }
    if (!changedQueues.isEmpty()) {
      JsonArray changed = new JsonArray();
      for (String name : changedQueues) {
        changed.add(queues.get(name));
      }
      changedQueues.clear();
      Buffer line = shared(new JsonObject().put("command", "matchmaker_info").put("queues", changed).encode() + "\n");
      for (Viewer s : audience) {
        s.sendLine(line);
      }
    }
  }

  private void rebuildList() {
    StringBuilder list = new StringBuilder(players.size() * 300);
    for (Online o : players.values()) {
      list.append(list.length() == 0 ? "" : ",").append(o.encoded());
    }
    listAtTick = shared(list.toString());
    listStale = false;
  }

  /**
   * {@code text} as UTF-8 bytes in direct memory, to be written to many sockets: the kernel reads them from
   * there for every connection, with no copy per connection. The JDK frees the memory once unreachable.
   */
  static Buffer shared(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length);
    direct.put(bytes).flip();
    return BufferInternal.buffer(Unpooled.wrappedBuffer(direct));
  }

  private static Online online(String connection, JsonObject player) {
    return new Online(connection, player.encode());
  }
}
