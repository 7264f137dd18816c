package dev.skirmish.deploy.chaos;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * One protocol connection of the chaos run (FAF lobby or CL Omega): keeps every message it received, and waits
 * for the first one after a mark that satisfies a predicate, with a deadline. Runs on the driver's one context.
 */
final class ChaosClient {

  private record Waiter(Predicate<JsonObject> test, int from, Promise<JsonObject> promise) {
  }

  final String name;
  private final Vertx vertx;
  private final WebSocket ws;
  private final boolean faf;
  private final List<JsonObject> history = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private final Promise<Void> closed = Promise.promise();
  private Runnable relayed = () -> { };
  /** Fields of this connection's account, kept by the run: FAF player id, CL Omega peer id, token. */
  int id;
  String peerId;
  String token;

  private ChaosClient(Vertx vertx, String name, WebSocket ws, boolean faf) {
    this.vertx = vertx;
    this.name = name;
    this.ws = ws;
    this.faf = faf;
    ws.textMessageHandler(text -> {
      for (String line : faf ? text.split("\n") : new String[] {text}) {
        if (!line.isBlank()) {
          received(new JsonObject(line));
        }
      }
    });
    ws.closeHandler(v -> closed.tryComplete());
    ws.exceptionHandler(err -> { });
  }

  static Future<ChaosClient> connect(Vertx vertx, WebSocketClient sockets, String name, int port, String uri, boolean faf) {
    return sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri))
      .map(ws -> new ChaosClient(vertx, name, ws, faf));
  }

  private void received(JsonObject m) {
    if ("ICE".equals(m.getString("opcode"))) {
      relayed.run();
    }
    history.add(m);
    int index = history.size() - 1;
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (index >= w.from() && w.test().test(m)) {
        it.remove();
        w.promise().tryComplete(m);
      }
    }
  }

  /** Called for every relayed CL Omega ICE packet this connection receives. */
  void onRelayed(Runnable handler) {
    this.relayed = handler;
  }

  /** A mark: {@link #next} from it sees only messages received after this call. */
  int mark() {
    return history.size();
  }

  /** The first message received since {@code mark} that satisfies {@code test}, or a failure after {@code timeoutMs}. */
  Future<JsonObject> next(int mark, Predicate<JsonObject> test, long timeoutMs, String what) {
    for (int i = mark; i < history.size(); i++) {
      if (test.test(history.get(i))) {
        return Future.succeededFuture(history.get(i));
      }
    }
    Promise<JsonObject> p = Promise.promise();
    Waiter w = new Waiter(test, mark, p);
    waiters.add(w);
    long timer = vertx.setTimer(timeoutMs, t -> {
      waiters.remove(w);
      p.tryFail(name + ": no " + what + " within " + timeoutMs / 1000.0 + " s");
    });
    return p.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  /** Sends {@code message} and waits for the first later message that satisfies {@code test}. */
  Future<JsonObject> request(JsonObject message, Predicate<JsonObject> test, long timeoutMs, String what) {
    int mark = mark();
    send(message);
    return next(mark, test, timeoutMs, what);
  }

  ChaosClient send(JsonObject message) {
    if (!ws.isClosed()) {
      ws.writeTextMessage(message.encode() + (faf ? "\n" : ""));
    }
    return this;
  }

  Future<Void> closed() {
    return closed.future();
  }

  Future<Void> close() {
    return ws.isClosed() ? Future.succeededFuture() : ws.close();
  }

  /** A FAF message with this {@code command}. */
  static Predicate<JsonObject> command(String command) {
    return m -> command.equals(m.getString("command"));
  }

  /** A CL Omega message with this {@code opcode}. */
  static Predicate<JsonObject> opcode(String opcode) {
    return m -> opcode.equals(m.getString("opcode"));
  }

  /** A FAF GPGNet message from the server to the game. */
  static JsonObject gpg(String command, Object... args) {
    JsonArray a = new JsonArray();
    for (Object o : args) {
      a.add(o);
    }
    return new JsonObject().put("command", command).put("target", "game").put("args", a);
  }

  /** A game_info about {@code uid} in {@code state}, alone or in a list. */
  static Predicate<JsonObject> gameInfo(long uid, String state) {
    Predicate<JsonObject> one = g -> g.getLong("uid", -1L) == uid && state.equals(g.getString("state"));
    return m -> "game_info".equals(m.getString("command")) && (one.test(m)
      || m.getJsonArray("games", new JsonArray()).stream().anyMatch(g -> g instanceof JsonObject o && one.test(o)));
  }

  /** A player_info naming {@code player} in {@code state} ("offline"), alone or in its list. */
  static Predicate<JsonObject> playerState(int player, String state) {
    Predicate<JsonObject> one = p -> p.getInteger("id", -1) == player && state.equals(p.getString("state"));
    return m -> "player_info".equals(m.getString("command")) && (one.test(m)
      || m.getJsonArray("players", new JsonArray()).stream().anyMatch(p -> p instanceof JsonObject o && one.test(o)));
  }
}
