package dev.skirmish.gateway;

import dev.skirmish.common.Addresses;
import dev.skirmish.common.Delivery;
import dev.skirmish.common.Faf;
import dev.skirmish.common.Failures;
import dev.skirmish.common.Ids;
import dev.skirmish.common.SessionDirectory.Entry;
import dev.skirmish.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One FAF lobby connection, over WebSocket or TCP: framing, the connection's state, and the dispatch of each
 * message to the login ({@link FafLogin}) or to the owning service ({@link FafRoutes}). Messages of one
 * connection are handled strictly in order, one at a time.
 */
final class FafSession implements ClientConnection, PresenceTick.Viewer {

  private static final Logger LOG = LoggerFactory.getLogger(FafSession.class);

  /** Commands allowed before login. */
  private static final Set<String> PRE_LOGIN = Set.of("ask_session", "auth", "hello", "create_account", "ping", "pong",
    "Bottleneck");


  /** The server ping, encoded once for every connection. */
  private static final Buffer PING = PresenceTick.shared(Faf.command("ping").encode() + "\n");

  private enum State { NEW, LOGGING_IN, LOGGED_IN, CLOSED }

  private final Gateway gw;
  private final LineTransport transport;
  private final String id = Ids.ulid();
  private final int maxMessageBytes;
  private final long loginTimer;
  private final FafLogin loginFlow;
  private final MessageRateLimit rate;
  private final IdleTimeout idle;
  private State state = State.NEW;
  /** Set once the server has decided to close: from then on nothing is sent and no message is handled. */
  private boolean closing;
  private Future<Void> inbox = Future.succeededFuture();
  private int playerId;
  private String login;
  private String userAgent;
  private Entry entry;
  /**
   * The game this connection was last launched into (or, once the relay of its {@code IceMsg} asked, the game
   * its player is in): passed along with GPGNet messages as a hint that spares the games service a look-up (it
   * checks the hint against the game before trusting it), and the game whose members {@link FafGameRelay} relays to.
   */
  private Long gameHint;
  /** When the login under way began ({@link System#nanoTime()}). */
  private long loginStarted;
  /** Messages handled so far (the request numbers of the log context). */
  private long messages;

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
    this.loginFlow = new FafLogin(gw, this);
    this.rate = new MessageRateLimit(gw.config().getInt(Setting.INBOUND_MESSAGES_PER_SECOND),
      gw.config().getInt(Setting.INBOUND_MESSAGE_BURST));
    long idleSeconds = gw.config().getLong(Setting.IDLE_TIMEOUT_SECONDS);
    this.idle = new IdleTimeout(gw.vertx(), idleSeconds * 1000, () -> {
      LOG.info("FAF connection {} from {} sent nothing for {} s, closing", id, transport.remoteAddress(), idleSeconds);
      sendAndClose(Faf.errorNotice("Nothing received for " + idleSeconds + " s. Closing the connection."));
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

  @Override
  public int playerId() {
    return playerId;
  }

  String login() {
    return login;
  }

  Long gameHint() {
    return gameHint;
  }

  /** The games service says this player's game is {@code game} (the hint named none, or another one). */
  void playsIn(long game) {
    gameHint = game;
  }

  String userAgent() {
    return userAgent;
  }

  String remoteAddress() {
    return transport.remoteAddress();
  }

  /** Credentials are being checked: no second login on this connection meanwhile. */
  void beginLogin() {
    state = State.LOGGING_IN;
    loginStarted = System.nanoTime();
  }

  /** The credentials were refused: the connection may try again. */
  void loginFailed() {
    if (state == State.LOGGING_IN) {
      state = State.NEW;
    }
  }

  /** The account this connection is logging in as. */
  void identify(int playerId, String login) {
    this.playerId = playerId;
    this.login = login;
  }

  /**
   * The player's session entry is now in the cluster-wide directory. Only its node and connection are kept (what
   * {@link #release} matches on): the player document in it would cost every idle connection about 1 KB of heap.
   */
  void claimed(Entry entry) {
    this.entry = new Entry(entry.node(), entry.connection(), null);
  }

  /** The login is complete: commands are accepted from now on. */
  void loggedIn() {
    state = State.LOGGED_IN;
    gw.meters().loggedIn(GatewayMeters.Protocol.FAF, loginStarted);
    gw.vertx().cancelTimer(loginTimer);
    gw.presence().join(this);
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

  /** Sends one message already encoded as JSON text; the line's newline is added here. */
  @Override
  public void sendText(String text) {
    if (isOpen()) {
      transport.write(text + "\n");
    }
  }

  /** Sends one message already encoded as a UTF-8 line, in parts (shared with other connections). */
  @Override
  public void sendLine(Buffer... parts) {
    if (isOpen()) {
      transport.write(parts);
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
  void close() {
    closing = true;
    transport.close();
  }

  /** A WebSocket frame: one or more newline-separated messages (a last piece without newline counts too). */
  void onFrame(Buffer frame) {
    idle.touch();
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
    idle.touch();
    if (rate.admit(this::tooFast, this::tooFastStill)) {
      gw.meters().received(GatewayMeters.Protocol.FAF);
      inbox = inbox.transform(ar -> process(line));
    } else {
      gw.meters().rejected(GatewayMeters.Protocol.FAF, GatewayMeters.Rejection.RATE);
    }
  }

  private void tooFast() {
    LOG.info("FAF connection {} from {}: too many messages, dropping", id, transport.remoteAddress());
    send(Faf.errorNotice("Too many messages: slow down. Messages beyond the limit are dropped, and a client that"
      + " keeps sending is disconnected."));
  }

  private void tooFastStill() {
    LOG.info("FAF connection {} from {}: kept sending over the message rate, closing", id, transport.remoteAddress());
    sendAndClose(Faf.errorNotice("Too many messages. Closing the connection."));
  }

  /** Handles one message with the connection, player and request ids in the log context. */
  private Future<Void> process(String line) {
    LogContext.enter(id, playerId == 0 ? null : playerId, ++messages);
    try {
      return handleLine(line);
    } finally {
      LogContext.exit();
    }
  }

  private Future<Void> handleLine(String line) {
    if (!isOpen()) {
      return Future.succeededFuture();
    }
    if (MessageSizeGuard.exceeds(line, maxMessageBytes)) {
      tooLarge();
      return Future.succeededFuture();
    }
    // The busiest message of a game, relayed without building its JSON tree; anything else in the general way.
    IceMsgLine ice = state == State.LOGGED_IN ? gw.fafRelay().read(line) : null;
    if (ice != null) {
      return gw.fafRelay().relay(this, ice).recover(err -> FafRoutes.failed(gw, this, FafGameRelay.ICE_MSG, err));
    }
    JsonObject message;
    try {
      message = new JsonObject(line);
    } catch (DecodeException | ClassCastException e) {
      LOG.info("FAF connection {}: malformed JSON, closing", id);
      gw.meters().rejected(GatewayMeters.Protocol.FAF, GatewayMeters.Rejection.MALFORMED);
      sendAndClose(Faf.errorNotice("Malformed message: not a JSON object. Closing the connection."));
      return Future.succeededFuture();
    }
    if (!(message.getValue("command") instanceof String command)) {
      gw.meters().rejected(GatewayMeters.Protocol.FAF, GatewayMeters.Rejection.MALFORMED);
      sendAndClose(Faf.errorNotice("Malformed message: 'command' must be a string. Closing the connection."));
      return Future.succeededFuture();
    }
    return handle(message).recover(err -> {
      if (gw.unavailable(err)) {
        send(Faf.errorNotice(Failures.UNAVAILABLE_TEXT));
      } else {
        LOG.warn("FAF connection {}: {} failed", id, command, err);
        send(Faf.errorNotice("The server could not process " + command + "."));
      }
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
    gw.meters().rejected(GatewayMeters.Protocol.FAF, GatewayMeters.Rejection.OVERSIZE);
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
        gw.meters().rejected(GatewayMeters.Protocol.FAF, GatewayMeters.Rejection.NOT_LOGGED_IN);
        send(Faf.errorNotice("Log in before sending game messages."));
        return Future.succeededFuture();
      }
      if (FafGameRelay.ICE_MSG.equals(command)) {
        return gw.fafRelay().relay(this, msg).recover(err -> FafRoutes.failed(gw, this, command, err));
      }
      return FafRoutes.route(gw, this, Addresses.GAMES_COMMAND, msg);
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
        return alreadyLoggedIn() ? Future.succeededFuture() : loginFlow.auth(msg);
      case "hello":
        return alreadyLoggedIn() ? Future.succeededFuture() : loginFlow.hello(msg);
      case "create_account":
        send(Faf.errorNotice("Accounts are created with POST /api/v0/register, not through the lobby."));
        return Future.succeededFuture();
      default:
        break;
    }
    if (state != State.LOGGED_IN) {
      gw.meters().rejected(GatewayMeters.Protocol.FAF, GatewayMeters.Rejection.NOT_LOGGED_IN);
      send(Faf.errorNotice("'" + command + "' needs a logged-in session: send auth first."));
      return Future.succeededFuture();
    }
    if (gw.disabled().refuses(msg)) {
      send(Faf.command("disabled").put("request", command));
      return Future.succeededFuture();
    }
    if ("ice_servers".equals(command)) {
      send(Faf.command("ice_servers").put("ice_servers", new JsonArray()));
      return Future.succeededFuture();
    }
    String address = FafRoutes.owner(command);
    if (address == null) {
      gw.meters().rejected(GatewayMeters.Protocol.FAF, GatewayMeters.Rejection.UNKNOWN_COMMAND);
      send(Faf.command("invalid").put("text", "Unknown command: " + command));
      return Future.succeededFuture();
    }
    return FafRoutes.route(gw, this, address, msg);
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

  /** The socket closed: leave the directory (unless a newer session replaced us) and tell everyone. */
  void onClosed() {
    if (state == State.CLOSED) {
      return;
    }
    boolean wasLoggedIn = state == State.LOGGED_IN;
    state = State.CLOSED;
    gw.vertx().cancelTimer(loginTimer);
    idle.cancel();
    gw.connections().remove(this);
    gw.presence().leave(this);
    if (wasLoggedIn) {
      release();
    }
  }

  /** Leaves the directory unless a newer session replaced this one; announces the player offline. */
  Future<Void> release() {
    Entry mine = entry;
    if (mine == null) {
      return Future.succeededFuture();
    }
    String key = String.valueOf(playerId);
    // By connection, not by value: services may have updated the entry's player data since the claim.
    return gw.fafSessions().releaseConnection(key, mine.node(), mine.connection()).map(removed -> {
      if (removed != null) {
        LOG.info("Player {} ({}) went offline", playerId, login);
        Delivery.fafSessionEnded(gw.vertx(), gw.events(), key, removed);
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
      sendLine(PING);
    }
  }
}
