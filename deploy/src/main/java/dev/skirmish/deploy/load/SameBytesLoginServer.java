package dev.skirmish.deploy.load;

import dev.skirmish.common.Players;
import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The second baseline of the FAF login benchmark, run in its own JVM like the node: a bare Vert.x server that
 * puts on the wire the bytes the FAF login protocol requires, and does nothing else (no token check, no
 * database, no event bus, no cluster). It is the ceiling for a server that speaks the protocol, where
 * {@link BareLoginServer} is the ceiling for a server that only answers.
 *
 * <p>The first message a client sends (its {@code auth}) makes it player {@code n}: it is answered with
 * {@code welcome}, one {@code player_info} listing every player online (the list as of the last tick, encoded
 * once into direct memory and shared by every login of the tick, then the players who came since, then the
 * newcomer) and an empty {@code game_info} game list. Once per tick ({@code PRESENCE_TICK_MS}, default 1000) every
 * connected client gets one {@code player_info} with the players who came or left since the last tick, encoded
 * once. Player objects have the fields and sizes of the node's (ratings, country, login of the benchmark's
 * length). Messages are newline-terminated like the node's. Listens on 127.0.0.1 at {@code HTTP_PORT}; {@code
 * GET /ready} answers 200.
 */
public final class SameBytesLoginServer {

  private static final String PLAYER_INFO_HEAD = "{\"command\":\"player_info\",\"players\":[";
  private static final Buffer PLAYER_INFO_HEAD_BYTES = shared(PLAYER_INFO_HEAD);
  private static final String LIST_TAIL = "]}\n";
  private static final Buffer GAME_LIST = shared("{\"command\":\"game_info\",\"games\":[]}\n");

  /** Every player online, by id, encoded; in login order. */
  private final Map<Integer, String> online = new LinkedHashMap<>();
  private final List<ServerWebSocket> sockets = new ArrayList<>();
  /** Players who came or left since the last tick, encoded. */
  private final List<String> changed = new ArrayList<>();
  /** Players who came since the last tick, encoded (also in {@link #changed}). */
  private final List<String> newSinceTick = new ArrayList<>();
  /** The online list as of the last tick: encoded players separated by commas, no brackets. */
  private Buffer listAtTick = shared("");
  private boolean listAtTickEmpty = true;
  private int nextId;

  private SameBytesLoginServer() {
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(System.getenv().getOrDefault("HTTP_PORT", "0"));
    long tick = Long.parseLong(System.getenv().getOrDefault("PRESENCE_TICK_MS", "1000"));
    Vertx vertx = Vertx.vertx();
    SameBytesLoginServer server = new SameBytesLoginServer();
    vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
      .requestHandler(req -> {
        if ("/lobby".equals(req.path())) {
          req.toWebSocket().onSuccess(server::accept);
        } else if ("/ready".equals(req.path())) {
          req.response().end("ready");
        } else {
          req.response().setStatusCode(404).end();
        }
      })
      .listen()
      .onSuccess(s -> {
        // The tick runs on the server's event loop, like the connections' handlers: no locking anywhere.
        vertx.setPeriodic(tick, t -> server.tick());
        System.out.println("Same-bytes login server ready on port " + s.actualPort());
      })
      .onFailure(err -> {
        System.err.println("Same-bytes login server could not listen on port " + port + ": " + err);
        System.exit(1);
      });
  }

  private void accept(ServerWebSocket ws) {
    int[] id = {0};
    ws.textMessageHandler(text -> {
      if (id[0] == 0) {
        id[0] = ++nextId;
        login(ws, id[0]);
      }
    });
    ws.closeHandler(v -> {
      sockets.remove(ws);
      if (id[0] != 0 && online.remove(id[0]) != null) {
        changed.add(new JsonObject().put("id", id[0]).put("login", login(id[0])).put("state", "offline").encode());
      }
    });
  }

  private void login(ServerWebSocket ws, int id) {
    JsonObject player = player(id);
    String encoded = player.encode();
    ws.writeTextMessage(new JsonObject().put("command", "welcome").put("me", player).put("id", id)
      .put("login", player.getString("login")).encode() + "\n");
    StringBuilder since = new StringBuilder();
    for (String p : newSinceTick) {
      since.append(',').append(p);
    }
    since.append(',').append(encoded);
    String rest = (listAtTickEmpty ? since.substring(1) : since.toString()) + LIST_TAIL;
    write(ws, PLAYER_INFO_HEAD_BYTES, listAtTick, Buffer.buffer(rest));
    write(ws, GAME_LIST);
    online.put(id, encoded);
    newSinceTick.add(encoded);
    changed.add(encoded);
    sockets.add(ws);
  }

  private void tick() {
    if (changed.isEmpty()) {
      return;
    }
    Buffer message = shared(PLAYER_INFO_HEAD + String.join(",", changed) + LIST_TAIL);
    for (ServerWebSocket ws : sockets) {
      write(ws, message);
    }
    changed.clear();
    newSinceTick.clear();
    listAtTick = shared(String.join(",", online.values()));
    listAtTickEmpty = online.isEmpty();
  }

  /** One text message in parts: a text frame, then continuations, each straight from its buffer. */
  private static void write(ServerWebSocket ws, Buffer... parts) {
    for (int i = 0; i < parts.length; i++) {
      ws.writeFrame(new WebSocketFrameImpl(i == 0 ? WebSocketFrameType.TEXT : WebSocketFrameType.CONTINUATION,
        ((BufferInternal) parts[i]).getByteBuf(), i == parts.length - 1));
    }
  }

  /** A player object with the node's fields: default ratings, empty country, a login as long as the benchmark's. */
  private static JsonObject player(int id) {
    JsonArray rating = new JsonArray().add(Players.DEFAULT_MEAN).add(Players.DEFAULT_DEVIATION);
    JsonObject ratings = new JsonObject()
      .put("global", new JsonObject().put("rating", rating.copy()).put("number_of_games", 0))
      .put("ladder_1v1", new JsonObject().put("rating", rating.copy()).put("number_of_games", 0));
    return new JsonObject().put("id", id).put("login", login(id)).put("country", "").put("ratings", ratings)
      .put("global_rating", rating.copy()).put("ladder_rating", rating.copy()).put("number_of_games", 0);
  }

  private static String login(int id) {
    return "lbxxxxxxxx_" + id;
  }

  private static Buffer shared(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length);
    direct.put(bytes).flip();
    return BufferInternal.buffer(Unpooled.wrappedBuffer(direct));
  }
}
