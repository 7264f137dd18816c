package dev.skirmish.deploy;

import dev.skirmish.deploy.FafTestSupport.Player;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;

import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/** Steps of the FAF game tests: hosting, joining, GPGNet messages from the players' games, game_info checks. */
final class FafGameKit {

  private FafGameKit() {
  }

  /** Fresh players logged in over WebSocket on {@code node}. */
  static Future<List<Player>> players(Vertx vertx, Node node, String... prefixes) {
    List<Future<Player>> all = Arrays.stream(prefixes).map(p -> FafTestSupport.loggedIn(vertx, node, p)).toList();
    return Future.all(all).map(done -> all.stream().map(Future::result).toList());
  }

  static Future<Void> closeAll(List<Player> ps) {
    return Future.all(ps.stream().map(p -> p.client().close()).toList()).mapEmpty();
  }

  /** A GPGNet message from a player's game. */
  static JsonObject gpg(String command, Object... args) {
    return new JsonObject().put("command", command).put("target", "game").put("args", new JsonArray(Arrays.asList(args)));
  }

  static JsonObject hostCommand(String title) {
    return new JsonObject().put("command", "game_host").put("visibility", "public").put("title", title);
  }

  /** Sends game_host and completes with the game_launch. */
  static Future<JsonObject> host(Player host, JsonObject command) {
    host.client().send(command);
    return host.client().expect("game_launch");
  }

  /** The host's game reports Idle then Lobby; completes with the HostGame order. */
  static Future<JsonObject> openLobby(Player host) {
    host.client().send(gpg("GameState", "Idle")).send(gpg("GameState", "Lobby"));
    return host.client().inbox().next(gpgMessage("HostGame"), "HostGame");
  }

  /** Hosts a public game and opens its lobby; completes with the game id. */
  static Future<Long> hostOpen(Player host, String title) {
    return hostOpen(host, hostCommand(title));
  }

  /** Hosts a game with this {@code game_host} command and opens its lobby; completes with the game id. */
  static Future<Long> hostOpen(Player host, JsonObject command) {
    return host(host, command).compose(launch -> openLobby(host).map(v -> launch.getLong("uid")));
  }

  /** Sends game_join and completes with the reply (game_launch or a notice). */
  static Future<JsonObject> sendJoin(Player joiner, long uid, String password) {
    JsonObject join = new JsonObject().put("command", "game_join").put("uid", uid);
    if (password != null) {
      join.put("password", password);
    }
    joiner.client().send(join);
    return joiner.client().inbox().next(m -> "game_launch".equals(m.getString("command"))
      || "notice".equals(m.getString("command")), "game_launch or notice");
  }

  /** Joins and connects the joiner's game: completes when the joiner got JoinGame and the host ConnectToPeer. */
  static Future<Void> join(Player joiner, long uid, Player host) {
    return sendJoin(joiner, uid, null).compose(launch -> {
      if (!"game_launch".equals(launch.getString("command"))) {
        return Future.failedFuture("join refused: " + launch);
      }
      joiner.client().send(gpg("GameState", "Idle")).send(gpg("GameState", "Lobby"));
      return Future.all(
        joiner.client().inbox().next(gpgMessage("JoinGame", host.login(), host.id()), "JoinGame"),
        host.client().inbox().next(gpgMessage("ConnectToPeer", joiner.login(), joiner.id(), true), "ConnectToPeer to host"));
    }).mapEmpty();
  }

  /**
   * A public game of {@code host} that {@code joiner} joined, both seated for a 1v1 (host army 1 team 2,
   * joiner army 2 team 3), not launched yet; completes with the game id.
   */
  static Future<Long> seatedDuel(Player host, Player joiner, String title) {
    return hostOpen(host, title).compose(uid -> join(joiner, uid, host).map(v -> {
      slot(host, host, 2, 1);
      slot(host, joiner, 3, 2);
      return uid;
    }));
  }

  /** A message to the game with this command and, if given, exactly these arguments. */
  static Predicate<JsonObject> gpgMessage(String command, Object... args) {
    return m -> command.equals(m.getString("command")) && "game".equals(m.getString("target"))
      && (args.length == 0 || new JsonArray(Arrays.asList(args)).equals(m.getJsonArray("args")));
  }

  /** A game_info about {@code uid} in {@code state} that also satisfies {@code more}. */
  static Predicate<JsonObject> gameInfo(long uid, String state, Predicate<JsonObject> more) {
    return m -> "game_info".equals(m.getString("command")) && m.getLong("uid", -1L) == uid
      && state.equals(m.getString("state")) && more.test(m);
  }

  static Predicate<JsonObject> gameInfo(long uid, String state) {
    return gameInfo(uid, state, m -> true);
  }

  /** A message matching {@code predicate} that {@code p} received after {@code marker} (one of its messages). */
  static Predicate<JsonObject> after(Player p, JsonObject marker, Predicate<JsonObject> predicate) {
    return m -> predicate.test(m) && position(p, m) > position(p, marker);
  }

  /** Where {@code m} (the very object) is in the player's history, or -1. */
  private static int position(Player p, JsonObject m) {
    List<JsonObject> history = p.client().inbox().history();
    for (int i = history.size() - 1; i >= 0; i--) {
      if (history.get(i) == m) {
        return i;
      }
    }
    return -1;
  }

  /** Whether any game_info about {@code uid} reached the player so far. */
  static boolean sawGame(Player p, long uid) {
    return p.client().inbox().history().stream().anyMatch(m -> "game_info".equals(m.getString("command"))
      && (m.getLong("uid", -1L) == uid || m.getJsonArray("games", new JsonArray()).stream()
      .anyMatch(g -> ((JsonObject) g).getLong("uid") == uid)));
  }

  /** Makes {@code subject} a friend or foe of {@code user} directly in the database. */
  static Future<Void> relate(Node node, Player user, Player subject, String status) {
    return node.database().pool().preparedQuery(
        "INSERT INTO friends_and_foes (user_id, subject_id, status) VALUES ($1, $2, $3)")
      .execute(Tuple.of(user.id(), subject.id(), status)).mapEmpty();
  }

  /** Sets a player's slot options the way the host's lobby does. */
  static void slot(Player host, Player p, int team, int army) {
    host.client().send(gpg("PlayerOption", p.id(), "Team", team))
      .send(gpg("PlayerOption", p.id(), "Army", army))
      .send(gpg("PlayerOption", p.id(), "StartSpot", army))
      .send(gpg("PlayerOption", p.id(), "Faction", 1))
      .send(gpg("PlayerOption", p.id(), "Color", army));
  }
}
