package dev.skirmish.gateway;

import dev.skirmish.common.Addresses;
import dev.skirmish.common.Bans;
import dev.skirmish.common.Delivery;
import dev.skirmish.common.Faf;
import dev.skirmish.common.Failures;
import dev.skirmish.common.GameVisibility;
import dev.skirmish.common.Ids;
import dev.skirmish.common.SessionDirectory.Entry;
import dev.skirmish.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One FAF lobby connection, over WebSocket or TCP: framing, the login sequence, and routing of commands
 * to the owning service. Messages of one connection are handled strictly in order, one at a time.
 */
final class FafSession implements ClientConnection {

  private static final Logger LOG = LoggerFactory.getLogger(FafSession.class);

  /** Commands allowed before login. */
  private static final Set<String> PRE_LOGIN = Set.of("ask_session", "auth", "hello", "create_account", "ping", "pong",
    "Bottleneck");

  /** Commands owned by a service, and the address that owns them. */
  private static final Map<String, String> ROUTES = Map.ofEntries(
    Map.entry("game_host", Addresses.GAMES_COMMAND),
    Map.entry("game_join", Addresses.GAMES_COMMAND),
    Map.entry("restore_game_session", Addresses.GAMES_COMMAND),
    Map.entry("social_add", Addresses.GAMES_COMMAND),
    Map.entry("social_remove", Addresses.GAMES_COMMAND),
    Map.entry("avatar", Addresses.GAMES_COMMAND),
    Map.entry("admin", Addresses.GAMES_COMMAND),
    Map.entry("coop_list", Addresses.GAMES_COMMAND),
    Map.entry("modvault", Addresses.GAMES_COMMAND),
    Map.entry("game_matchmaking", Addresses.MATCHMAKER_COMMAND),
    Map.entry("matchmaker_info", Addresses.MATCHMAKER_COMMAND),
    Map.entry("set_player_vetoes", Addresses.MATCHMAKER_COMMAND),
    Map.entry("match_ready", Addresses.MATCHMAKER_COMMAND),
    Map.entry("is_ready_response", Addresses.MATCHMAKER_COMMAND),
    Map.entry("invite_to_party", Addresses.PARTY_COMMAND),
    Map.entry("accept_party_invite", Addresses.PARTY_COMMAND),
    Map.entry("kick_player_from_party", Addresses.PARTY_COMMAND),
    Map.entry("leave_party", Addresses.PARTY_COMMAND),
    Map.entry("set_party_factions", Addresses.PARTY_COMMAND),
    Map.entry("ready_party", Addresses.PARTY_COMMAND),
    Map.entry("unready_party", Addresses.PARTY_COMMAND));

  private enum State { NEW, LOGGING_IN, LOGGED_IN, CLOSED }

  private final Gateway gw;
  private final LineTransport transport;
  private final String id = Ids.ulid();
  private final int maxMessageBytes;
  private final long loginTimer;
  private State state = State.NEW;
  /** Set once the server has decided to close: from then on nothing is sent and no message is handled. */
  private boolean closing;
  private Future<Void> inbox = Future.succeededFuture();
  private int playerId;
  private String login;
  private String userAgent;
  private Entry entry;
  /**
   * The game this connection was last launched into: passed along with GPGNet messages as a hint that
   * spares the games service a look-up (it checks the hint against the game before trusting it).
   */
  private Long gameHint;
  /** This player's own player document (ratings for rating-range filters), kept current from player_info. */
  private JsonObject me;

  FafSession(Gateway gw, LineTransport transport) {
    this.gw = gw;
    this.transport = transport;
    this.maxMessageBytes = gw.config().getInt(Setting.MAX_MESSAGE_BYTES);
    this.loginTimer = gw.vertx().setTimer(gw.config().getLong(Setting.FAF_LOGIN_TIMEOUT_SECONDS) * 1000, t -> {
      if (!closing && (state == State.NEW || state == State.LOGGING_IN)) {
        LOG.info("FAF connection {} from {} did not log in in time", id, transport.remoteAddress());
        sendAndClose(Faf.errorNotice("Login timed out: no successful login within "
          + gw.config().get(Setting.FAF_LOGIN_TIMEOUT_SECONDS) + " s."));
      }
    });
    gw.connections().add(this);
  }

  @Override
  public String id() {
    return id;
  }

  boolean isLoggedIn() {
    return state == State.LOGGED_IN;
  }

  int playerId() {
    return playerId;
  }

  /** Sends the games of a game_info publish that this player may see, one game_info per game. */
  void offerGames(JsonArray games) {
    if (state != State.LOGGED_IN) {
      return;
    }
    for (Object o : games) {
      if (o instanceof JsonObject g && GameVisibility.visibleTo(g.getJsonObject("audience"), playerId, me)) {
        send(Faf.command("game_info").mergeIn(g.getJsonObject("info", new JsonObject())));
      }
    }
  }

  /** Keeps this player's own document current when a broadcast player_info lists them. */
  void observe(JsonObject message) {
    if (state == State.LOGGED_IN && "player_info".equals(message.getString("command"))) {
      for (Object o : message.getJsonArray("players", new JsonArray())) {
        if (o instanceof JsonObject p && p.getInteger("id", -1) == playerId && !p.containsKey("state")) {
          me = p;
        }
      }
    }
  }

  @Override
  public boolean isOpen() {
    return state != State.CLOSED && !closing;
  }

  @Override
  public void send(JsonObject message) {
    if (isOpen()) {
      if ("game_launch".equals(message.getString("command")) && message.getValue("uid") instanceof Number uid) {
        gameHint = uid.longValue();
      }
      transport.write(message.encode() + "\n");
    }
  }

  @Override
  public void sendAndClose(JsonObject message) {
    if (isOpen()) {
      send(message);
      close();
    }
  }

  /** Starts closing the socket; {@link #onClosed()} follows once it is closed. */
  private void close() {
    closing = true;
    transport.close();
  }

  /** A WebSocket frame: one or more newline-separated messages (a last piece without newline counts too). */
  void onFrame(Buffer frame) {
    String text = frame.toString(StandardCharsets.UTF_8);
    for (String piece : text.split("\n")) {
      if (!piece.isBlank()) {
        onMessage(piece);
      }
    }
  }

  /** One complete message (a line without its newline); handled after every message before it. */
  void onMessage(String line) {
    if (!isOpen()) {
      return;
    }
    inbox = inbox.transform(ar -> process(line));
  }

  private Future<Void> process(String line) {
    if (!isOpen()) {
      return Future.succeededFuture();
    }
    if (MessageSizeGuard.exceeds(line, maxMessageBytes)) {
      tooLarge();
      return Future.succeededFuture();
    }
    JsonObject message;
    try {
      message = new JsonObject(line);
    } catch (DecodeException | ClassCastException e) {
      LOG.info("FAF connection {}: malformed JSON, closing", id);
      sendAndClose(Faf.errorNotice("Malformed message: not a JSON object. Closing the connection."));
      return Future.succeededFuture();
    }
    if (!(message.getValue("command") instanceof String command)) {
      sendAndClose(Faf.errorNotice("Malformed message: 'command' must be a string. Closing the connection."));
      return Future.succeededFuture();
    }
    return handle(message).recover(err -> {
      LOG.warn("FAF connection {}: {} failed", id, command, err);
      send(Faf.errorNotice("The server could not process " + command + "."));
      return Future.succeededFuture();
    });
  }

  /** The transport refused a message over the size limit; answered after every message before it. */
  void onOversize() {
    inbox = inbox.transform(ar -> {
      tooLarge();
      return Future.succeededFuture();
    });
  }

  private void tooLarge() {
    LOG.info("FAF connection {}: message over {} bytes, closing", id, maxMessageBytes);
    sendAndClose(Faf.errorNotice("Message too large: the limit is " + maxMessageBytes + " bytes. Closing the connection."));
  }

  private Future<Void> handle(JsonObject msg) {
    if (!isOpen()) {
      return Future.succeededFuture();
    }
    String command = msg.getString("command");
    if ("game".equals(msg.getValue("target"))) {
      if (state != State.LOGGED_IN) {
        send(Faf.errorNotice("Log in before sending game messages."));
        return Future.succeededFuture();
      }
      return route(Addresses.GAMES_COMMAND, msg);
    }
    switch (command) {
      case "ping":
        send(Faf.command("pong"));
        return Future.succeededFuture();
      case "pong":
      case "Bottleneck":
        return Future.succeededFuture();
      case "ask_session":
        return askSession(msg);
      case "auth":
        return alreadyLoggedIn() ? Future.succeededFuture() : auth(msg);
      case "hello":
        return alreadyLoggedIn() ? Future.succeededFuture() : hello(msg);
      case "create_account":
        send(Faf.errorNotice("Accounts are created with POST /api/v0/register, not through the lobby."));
        return Future.succeededFuture();
      default:
        break;
    }
    if (state != State.LOGGED_IN) {
      send(Faf.errorNotice("'" + command + "' needs a logged-in session: send auth first."));
      return Future.succeededFuture();
    }
    if ("ice_servers".equals(command)) {
      send(Faf.command("ice_servers").put("ice_servers", new JsonArray()));
      return Future.succeededFuture();
    }
    String address = ROUTES.get(command);
    if (address == null) {
      send(Faf.command("invalid").put("text", "Unknown command: " + command));
      return Future.succeededFuture();
    }
    return route(address, msg);
  }

  private boolean alreadyLoggedIn() {
    if (state == State.LOGGED_IN || state == State.LOGGING_IN) {
      send(Faf.infoNotice("You are already signed in on this connection."));
      return true;
    }
    return false;
  }

  private Future<Void> askSession(JsonObject msg) {
    Object agent = msg.getValue("user_agent");
    userAgent = agent instanceof String s ? s : null;
    if (userAgent == null || !userAgent.contains("downlords-faf-client")) {
      send(Faf.infoNotice("You are using an unofficial client. Some features may not work as expected."));
    }
    send(Faf.command("session").put("session", ThreadLocalRandom.current().nextLong(1, 1L << 32)));
    return Future.succeededFuture();
  }

  private Future<Void> auth(JsonObject msg) {
    if (!(msg.getValue("token") instanceof String token) || token.isBlank()) {
      send(authFailed("The auth command needs a token."));
      return Future.succeededFuture();
    }
    state = State.LOGGING_IN;
    return gw.tokens().verify(token)
      .transform(ar -> {
        if (ar.failed()) {
          return Future.succeededFuture(new Failure(authFailed("Token signature was invalid or the token has expired.")));
        }
        JsonObject claims = ar.result();
        if (!hasLobbyScope(claims.getValue("scp"))) {
          return Future.succeededFuture(new Failure(authFailed("Token does not have permission to log in to the lobby server.")));
        }
        int id;
        try {
          id = Integer.parseInt(String.valueOf(claims.getValue("sub")));
        } catch (NumberFormatException e) {
          return Future.succeededFuture(new Failure(authFailed("Token subject is not a player id.")));
        }
        return gw.accounts().byId(id).map(account -> account == null
          ? new Failure(authFailed("Cannot find user id " + id + "."))
          : (Object) account);
      })
      .compose(result -> result instanceof AccountRepository.Account account
        ? login(account, true)
        : fail((Failure) result));
  }

  private Future<Void> hello(JsonObject msg) {
    if (!gw.config().getBoolean(Setting.FAF_ALLOW_PASSWORD_LOGIN)) {
      sendAndClose(Faf.errorNotice("Password login is disabled on this server: log in with a token."));
      return Future.succeededFuture();
    }
    if (!(msg.getValue("login") instanceof String name) || !(msg.getValue("password") instanceof String password)) {
      send(authFailed("The hello command needs login and password."));
      return Future.succeededFuture();
    }
    state = State.LOGGING_IN;
    return gw.accounts().byLogin(name.trim())
      .compose(account -> gw.hasher().verify(password, account == null ? null : account.passwordHash())
        .compose(ok -> ok
          ? login(account, false)
          : fail(new Failure(authFailed("Login not found or password incorrect.")))));
  }

  private record Failure(JsonObject message) {
  }

  private Future<Void> fail(Failure failure) {
    if (state == State.LOGGING_IN) {
      state = State.NEW;
    }
    send(failure.message());
    return Future.succeededFuture();
  }

  private static JsonObject authFailed(String text) {
    return Faf.command("authentication_failed").put("text", text);
  }

  private static boolean hasLobbyScope(Object scp) {
    if (scp instanceof JsonArray arr) {
      return arr.contains("lobby");
    }
    if (scp instanceof String s) {
      return Set.of(s.split(" ")).contains("lobby");
    }
    return false;
  }

  private Future<Void> login(AccountRepository.Account account, boolean viaToken) {
    return gw.accounts().activeBan(account.id()).compose(ban -> {
      if (ban != null) {
        LOG.info("Refused login of banned player {} ({})", account.id(), account.login());
        sendAndClose(Faf.errorNotice(ban.text()));
        return Future.succeededFuture();
      }
      if (!isOpen()) {
        return Future.succeededFuture();
      }
      if (viaToken) {
        send(Faf.command("irc_password").put("password", "deprecated"));
      }
      playerId = account.id();
      login = account.login();
      Future<JsonObject> info = gw.accounts().recordLogin(account.id(), transport.remoteAddress(), userAgent)
        .compose(v -> gw.accounts().playerInfo(account.id()));
      Future<AccountRepository.Social> social = gw.accounts().social(account.id());
      return Future.all(info, social).compose(all -> completeLogin(info.result(), social.result()));
    });
  }

  private Future<Void> completeLogin(JsonObject me, AccountRepository.Social social) {
    if (!isOpen()) {
      return Future.succeededFuture();
    }
    Entry mine = new Entry(gw.nodeId(), id, me);
    String key = String.valueOf(playerId);
    return gw.fafSessions().claim(key, mine).compose(previous -> {
      entry = mine;
      this.me = me;
      if (previous != null && !previous.connection().equals(id)) {
        kick(previous);
      }
      if (!isOpen()) {
        // Closed while claiming: undo, so the directory never holds a dead session.
        return release();
      }
      state = State.LOGGED_IN;
      gw.vertx().cancelTimer(loginTimer);
      LOG.info("Player {} ({}) logged in on connection {}", playerId, login, id);
      send(Faf.command("welcome").put("me", me).put("current_time", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString())
        .put("id", playerId).put("login", login));
      return gw.fafSessions().entries().compose(entries -> {
        JsonArray players = new JsonArray();
        for (Entry e : entries) {
          players.add(e.data());
        }
        send(Faf.command("player_info").put("players", players));
        JsonObject newcomer = Faf.command("player_info").put("players", new JsonArray().add(me));
        send(newcomer);
        gw.vertx().eventBus().publish(Addresses.FAF_BROADCAST,
          new JsonObject().put("message", newcomer).put("exceptConnection", id));
        send(socialMessage(social, me));
        return gw.vertx().eventBus().<JsonObject>request(Addresses.GAMES_VISIBLE,
            new JsonObject().put("viewer", playerId), gw.requestOptions())
          .map(reply -> visible(reply.body().getJsonArray("games", new JsonArray())))
          .otherwise(err -> {
            LOG.warn("Game list unavailable at login of {}: {}", playerId, err.getMessage());
            return new JsonArray();
          })
          .map(games -> {
            send(Faf.command("game_info").put("games", games));
            return null;
          });
      });
    });
  }

  private JsonArray visible(JsonArray games) {
    JsonArray list = new JsonArray();
    for (Object o : games) {
      if (o instanceof JsonObject g && GameVisibility.visibleTo(g.getJsonObject("audience"), playerId, me)) {
        // Each listed game is a whole game_info message, as the reference sends it (clients decode it so).
        list.add(Faf.command("game_info").mergeIn(g.getJsonObject("info", new JsonObject())));
      }
    }
    return list;
  }

  private void kick(Entry previous) {
    LOG.info("Player {} signed in elsewhere: kicking connection {} on node {}", playerId, previous.connection(),
      previous.node());
    gw.vertx().eventBus().send(Addresses.gatewayNode(previous.node()), new JsonObject()
      .put("type", "kick")
      .put("connection", previous.connection())
      .put("message", Faf.notice("kick", "You have been signed out because you signed in elsewhere.")));
  }

  private static JsonObject socialMessage(AccountRepository.Social social, JsonObject me) {
    JsonArray channels = new JsonArray();
    boolean admin = social.groups().contains("faf_server_administrators");
    boolean moderator = social.groups().contains("faf_moderators_global");
    if (admin || moderator) {
      channels.add("#moderators");
    }
    if (me.getString("clan") != null) {
      channels.add("#" + me.getString("clan") + "_clan");
    }
    return Faf.command("social")
      .put("autojoin", channels.copy())
      .put("channels", channels)
      .put("friends", new JsonArray(social.friends()))
      .put("foes", new JsonArray(social.foes()))
      .put("power", admin ? 2 : moderator ? 1 : 0);
  }

  private Future<Void> route(String address, JsonObject msg) {
    JsonObject request = new JsonObject()
      .put("player", playerId)
      .put("login", login)
      .put("node", gw.nodeId())
      .put("connection", id)
      .put("message", msg);
    if (gameHint != null && "game".equals(msg.getValue("target"))) {
      request.put("game", gameHint);
    }
    return gw.vertx().eventBus().<JsonObject>request(address, request, gw.requestOptions())
      .map(reply -> {
        JsonObject body = reply.body();
        if (body != null) {
          for (Object m : body.getJsonArray("messages", new JsonArray())) {
            send((JsonObject) m);
          }
          if (body.getBoolean("close", false)) {
            close();
          }
        }
        return (Void) null;
      })
      .recover(err -> {
        send(replyError(msg.getString("command"), err));
        return Future.succeededFuture();
      });
  }

  private static JsonObject replyError(String command, Throwable err) {
    if (err instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.NO_HANDLERS || re.failureType() == ReplyFailure.TIMEOUT) {
        return Faf.errorNotice("The service for '" + command + "' is unavailable right now; try again shortly.");
      }
      if (re.failureCode() == Failures.UNSUPPORTED) {
        return Faf.command("invalid").put("text", "Unsupported command: " + command);
      }
      if (re.failureCode() != Failures.INTERNAL) {
        return Faf.errorNotice(re.getMessage());
      }
    }
    return Faf.errorNotice("The server could not process " + command + ".");
  }

  /** The socket closed: leave the directory (unless a newer session replaced us) and tell everyone. */
  void onClosed() {
    if (state == State.CLOSED) {
      return;
    }
    boolean wasLoggedIn = state == State.LOGGED_IN;
    state = State.CLOSED;
    gw.vertx().cancelTimer(loginTimer);
    gw.connections().remove(this);
    if (wasLoggedIn) {
      release();
    }
  }

  private Future<Void> release() {
    Entry mine = entry;
    if (mine == null) {
      return Future.succeededFuture();
    }
    String key = String.valueOf(playerId);
    // By connection, not by value: services may have updated the entry's player data since the claim.
    return gw.fafSessions().releaseConnection(key, mine.node(), mine.connection()).map(removed -> {
      if (removed != null) {
        LOG.info("Player {} ({}) went offline", playerId, login);
        Delivery.fafSessionEnded(gw.vertx(), key, removed);
      }
      return (Void) null;
    }).otherwise(err -> {
      LOG.warn("Could not release session of player {}: {}", playerId, err.getMessage());
      return null;
    });
  }

  /** Server ping to a logged-in client. */
  void ping() {
    if (state == State.LOGGED_IN) {
      send(Faf.command("ping"));
    }
  }
}
