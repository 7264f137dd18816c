package dev.skirmish.deploy;

import dev.skirmish.common.testing.MessageInbox;
import dev.skirmish.common.testing.OmegaClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.function.Supplier;

/** Helpers shared by the CL Omega front-door tests. */
final class OmegaSupport {

  /** The seeded demo game. */
  static final String DEMO_UGI = "01HNPHRWS0N0AYMM5K4HN31V4W";
  static final String DEMO_GAME = "Demo Game";
  static final String DEMO_DEVELOPER = "Test Developer";

  private OmegaSupport() {
  }

  static String path(String ugi) {
    return "/api/v0/signaling?ugi=" + ugi;
  }

  /** The account ULID of a user name, read from the database. */
  static Future<String> accountUlid(Pool pool, String username) {
    return pool.preparedQuery("SELECT ulid FROM account WHERE login = $1").execute(Tuple.of(username))
      .map(rows -> rows.iterator().next().getString("ulid").trim());
  }

  /** Inserts a developer and a game owned by it, with the given authorized origins. */
  static Future<Void> insertGame(Pool pool, String developerId, String ugi, String name, String... origins) {
    Future<Void> chain = pool.preparedQuery("INSERT INTO developers (id, name) VALUES ($1, $2)")
      .execute(Tuple.of(developerId, "Dev " + name))
      .compose(r -> pool.preparedQuery("INSERT INTO games (id, developer_id, name) VALUES ($1, $2, $3)")
        .execute(Tuple.of(ugi, developerId, name)))
      .mapEmpty();
    for (String origin : origins) {
      chain = chain.compose(v -> pool.preparedQuery("INSERT INTO games_authorized_origins (game_id, origin) VALUES ($1, $2)")
        .execute(Tuple.of(ugi, origin)).mapEmpty());
    }
    return chain;
  }

  /**
   * Opens a WebSocket whose handshake carries no Origin header at all (the Vert.x client adds one by
   * default). The returned future fails like the upgrade does.
   */
  static Future<RawSocket> connectWithoutOrigin(Vertx vertx, int port, String path) {
    WebSocketClient client = vertx.createWebSocketClient();
    MessageInbox inbox = new MessageInbox(vertx);
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path)
      .setAllowOriginHeader(false);
    return client.connect(options)
      .map(ws -> {
        ws.textMessageHandler(text -> inbox.add(new JsonObject(text)));
        ws.closeHandler(v -> {
          inbox.markClosed();
          client.close();
        });
        return new RawSocket(ws, inbox);
      })
      .onFailure(err -> client.close());
  }

  /** A CL Omega socket opened without the test fixture, for handshakes the fixture cannot express. */
  record RawSocket(WebSocket ws, MessageInbox inbox) {

    RawSocket send(String opcode, Object payload, String listener) {
      JsonObject p = new JsonObject().put("opcode", opcode);
      if (payload != null) {
        p.put("payload", payload);
      }
      if (listener != null) {
        p.put("listener", listener);
      }
      ws.writeTextMessage(p.encode());
      return this;
    }

    Future<JsonObject> expect(String opcode) {
      return inbox.next(m -> opcode.equals(m.getString("opcode")), "opcode " + opcode);
    }
  }

  /**
   * Sends INIT until it is answered with INIT_OK, as long as the answer is SESSION_EXISTS: for a previous
   * socket of the account whose close the server has not processed yet. Bounded: fails after
   * {@code attempts} answers, reporting the last one.
   */
  static Future<JsonObject> initOnceFree(Vertx vertx, OmegaClient client, String token, int attempts) {
    client.send("INIT", token, "retry");
    return client.inbox().next(m -> "retry".equals(m.getString("listener")), "an answer to INIT").compose(answer -> {
      if ("INIT_OK".equals(answer.getString("opcode"))) {
        return Future.succeededFuture(answer);
      }
      if (!"SESSION_EXISTS".equals(answer.getString("opcode")) || attempts <= 1) {
        return Future.failedFuture("INIT answered " + answer.encode());
      }
      return after(vertx, 20, () -> initOnceFree(vertx, client, token, attempts - 1));
    });
  }

  private static <T> Future<T> after(Vertx vertx, long ms, Supplier<Future<T>> next) {
    Promise<T> p = Promise.promise();
    vertx.setTimer(ms, t -> next.get().onComplete(p));
    return p.future();
  }
}
