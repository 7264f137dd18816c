package dev.skirmish.deploy;

import dev.skirmish.common.testing.FafClient;
import dev.skirmish.common.testing.TestAccounts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;

/** Shared steps of the FAF front-door tests: fresh logged-in players, id look-ups, message predicates. */
final class FafTestSupport {

  private FafTestSupport() {
  }

  /** A registered account with its player id, a lobby token and (once connected) a client. */
  record Player(TestAccounts.Account account, int id, String token, FafClient client) {

    Player with(FafClient c) {
      return new Player(account, id, token, c);
    }

    String login() {
      return account.username();
    }
  }

  /** Registers a fresh account and fetches its player id and a lobby token, without connecting. */
  static Future<Player> account(Vertx vertx, Node node, String prefix) {
    TestAccounts accounts = new TestAccounts(vertx, node.httpPort());
    return accounts.register(prefix).compose(account -> accounts.fafToken(account)
      .compose(token -> playerId(node, account.username()).map(id -> new Player(account, id, token, null))));
  }

  /** A fresh account logged in over WebSocket; completes once the whole login sequence (up to game_info) arrived. */
  static Future<Player> loggedIn(Vertx vertx, Node node, String prefix) {
    return account(vertx, node, prefix).compose(p -> FafClient.webSocket(vertx, node.httpPort())
      .compose(client -> loginFully(client, p.token()).map(v -> p.with(client))));
  }

  /** Sends auth and waits for the last message of the login sequence. */
  static Future<Void> loginFully(FafClient client, String token) {
    client.send(auth(token));
    return client.expect("welcome").compose(w -> client.expect("game_info")).mapEmpty();
  }

  static JsonObject auth(String token) {
    return new JsonObject().put("command", "auth").put("token", token).put("unique_id", "test-uid");
  }

  static JsonObject hello(String login, String sha256Password) {
    return new JsonObject().put("command", "hello").put("login", login).put("password", sha256Password)
      .put("unique_id", "test-uid").put("version", "0.0.0").put("user_agent", "skirmish-tests");
  }

  static JsonObject ping() {
    return new JsonObject().put("command", "ping");
  }

  /** Sends ping and waits for pong: proof that the connection is open and everything sent before was handled. */
  static Future<JsonObject> roundTrip(FafClient client) {
    client.send(ping());
    return client.expect("pong");
  }

  static Future<Integer> playerId(Node node, String login) {
    return node.database().pool().preparedQuery("SELECT id FROM account WHERE login = $1").execute(Tuple.of(login))
      .compose(rows -> rows.size() == 1
        ? Future.succeededFuture(rows.iterator().next().getInteger("id"))
        : Future.failedFuture("no account " + login));
  }

  static String sha256Hex(String plain) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(plain.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> commands(FafClient client) {
    return client.inbox().history().stream().map(m -> m.getString("command")).toList();
  }

  /**
   * The commands received, without the presence tick's messages after the login sequence ({@code player_info}
   * and {@code matchmaker_info} after the login's {@code game_info}): the tick's timing is not the subject.
   */
  static List<String> commandsIgnoringTicks(FafClient client) {
    List<String> out = new java.util.ArrayList<>();
    boolean loggedIn = false;
    for (String c : commands(client)) {
      if (loggedIn && ("player_info".equals(c) || "matchmaker_info".equals(c))) {
        continue;
      }
      loggedIn |= "game_info".equals(c);
      out.add(c);
    }
    return out;
  }

  /**
   * Waits until, for every predicate, a message matching it has arrived; one message may match several (a
   * presence tick carries every change since the last one in one {@code player_info}). Completes with null.
   */
  static Future<JsonObject> awaitAll(FafClient client, List<Predicate<JsonObject>> wanted, String what) {
    if (wanted.isEmpty()) {
      return Future.succeededFuture();
    }
    Predicate<JsonObject> any = wanted.stream().reduce(Predicate::or).orElseThrow();
    return client.inbox().next(any, what).compose(m ->
      awaitAll(client, wanted.stream().filter(p -> !p.test(m)).toList(), what));
  }

  static long count(FafClient client, Predicate<JsonObject> predicate) {
    return client.inbox().history().stream().filter(predicate).count();
  }

  static boolean isNotice(JsonObject m, String style) {
    return "notice".equals(m.getString("command")) && style.equals(m.getString("style"));
  }

  /** A player_info that lists {@code playerId} as offline. */
  static Predicate<JsonObject> offline(int playerId) {
    return m -> players(m).stream().anyMatch(p -> p.getInteger("id") == playerId && "offline".equals(p.getString("state")));
  }

  /** A player_info that lists {@code playerId} as online. */
  static Predicate<JsonObject> online(int playerId) {
    return m -> players(m).stream().anyMatch(p -> p.getInteger("id") == playerId && !p.containsKey("state"));
  }

  static List<JsonObject> players(JsonObject m) {
    if (!"player_info".equals(m.getString("command"))) {
      return List.of();
    }
    JsonArray players = m.getJsonArray("players", new JsonArray());
    return players.stream().map(p -> (JsonObject) p).toList();
  }
}
