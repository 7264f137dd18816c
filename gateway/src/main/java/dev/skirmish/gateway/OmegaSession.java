package dev.skirmish.gateway;

import dev.skirmish.common.Addresses;
import dev.skirmish.common.Delivery;
import dev.skirmish.common.Failures;
import dev.skirmish.common.Ids;
import dev.skirmish.common.Omega;
import dev.skirmish.common.ServiceRequests;
import dev.skirmish.common.SessionDirectory.Entry;
import dev.skirmish.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.OffsetDateTime;

/**
 * One CL Omega signaling connection: envelope validation, KEEPALIVE, INIT with the token checks, relays
 * of SDP and ICE straight to the recipient's node, and forwarding of lobby opcodes to the signaling
 * service. Packets of one connection are handled in order.
 */
final class OmegaSession implements ClientConnection {

  private static final Logger LOG = LoggerFactory.getLogger(OmegaSession.class);
  private static final short POLICY_VIOLATION = 1008;
  private static final short GOING_AWAY = 1001;

  private final Gateway gw;
  private final ServerWebSocket ws;
  private final String id = Ids.ulid();
  private final String ugi;
  private final JsonObject game;
  private final String origin;
  private final int maxMessageBytes;
  private Future<Void> inbox = Future.succeededFuture();
  private boolean open = true;
  /** Set once a VIOLATION (or another closing reply) went out: nothing is read or written after it. */
  private boolean closing;
  private boolean initialised;
  private String accountId;
  private String username;
  /** {@code {"id":…,"user":…}} of this session, encoded once at INIT for the packets it relays. */
  private String originJson;
  private final OmegaRelayFastPath relays;
  private Entry entry;
  private String lobby;
  private final MessageRateLimit rate;
  private final IdleTimeout idle;
  private final long initTimer;
  private final OutboundLimit out;
  /** When INIT began ({@link System#nanoTime()}). */
  private long initStarted;
  /** Packets handled so far (the request numbers of the log context). */
  private long packets;

  /**
   * @param relays   the relay fast path of this gateway
   * @param upgraded the HTTP connection the WebSocket was upgraded from
   */
  OmegaSession(Gateway gw, OmegaRelayFastPath relays, ServerWebSocket ws, HttpConnection upgraded, String ugi,
               JsonObject game) {
    this.gw = gw;
    this.relays = relays;
    this.ws = ws;
    this.ugi = ugi;
    this.game = game;
    this.origin = ws.headers().get("Origin");
    this.maxMessageBytes = gw.config().getInt(Setting.MAX_MESSAGE_BYTES);
    // Counts message sizes frame by frame: a message beyond the WebSocket message size limit is dropped by
    // Vert.x (with only an exception), so it would otherwise never reach onText and never be refused.
    ws.frameHandler(new MessageSizeGuard(maxMessageBytes, this::onOversizedMessage));
    this.rate = new MessageRateLimit(gw.config().getInt(Setting.INBOUND_MESSAGES_PER_SECOND),
      gw.config().getInt(Setting.INBOUND_MESSAGE_BURST));
    long idleSeconds = gw.config().getLong(Setting.IDLE_TIMEOUT_SECONDS);
    this.idle = new IdleTimeout(gw.vertx(), idleSeconds * 1000,
      () -> violation("Nothing received for " + idleSeconds + " s: closing the connection"));
    long initSeconds = gw.config().getLong(Setting.OMEGA_INIT_TIMEOUT_SECONDS);
    this.initTimer = gw.vertx().setTimer(initSeconds * 1000, t -> {
      if (!initialised && isOpen()) {
        violation("No INIT within " + initSeconds + " s: closing the connection");
      }
    });
    this.out = new OutboundLimit(gw.vertx(), gw.config(), ws, upgraded,
      ws.remoteAddress() == null ? null : ws.remoteAddress().hostAddress());
    gw.connections().add(this);
  }

  @Override
  public String id() {
    return id;
  }

  String ugi() {
    return ugi;
  }

  /** The lobby this connection is in, as last reported by the signaling service (null = none). */
  String lobby() {
    return lobby;
  }

  void setLobby(String lobby) {
    this.lobby = lobby;
  }

  @Override
  public boolean isOpen() {
    return open && !closing;
  }

  @Override
  public void send(JsonObject packet) {
    if (isOpen()) {
      String text = packet.encode();
      if (out.admit(text.length())) {
        ws.writeTextMessage(text);
      }
    }
  }

  /** Sends a packet already encoded as JSON text. */
  @Override
  public void sendText(String text) {
    if (isOpen() && out.admit(text.length())) {
      ws.writeTextMessage(text);
    }
  }

  /** Whether INIT has succeeded: the socket is a session of an account. */
  boolean isInitialised() {
    return initialised;
  }

  /** The account of the session (null before INIT). */
  String accountId() {
    return accountId;
  }

  /** The {@code origin} object of the packets this session relays, as JSON text (null before INIT). */
  String originJson() {
    return originJson;
  }

  @Override
  public void sendAndClose(JsonObject packet) {
    if (isOpen()) {
      send(packet);
      closing = true;
      ws.close(POLICY_VIOLATION, packet.getString("opcode"));
    }
  }

  /**
   * The node is going away: the socket is closed with status 1001 (going away) and a reason, the way the
   * protocol ends a session the server will not keep, so the client reconnects (to another node).
   */
  void goingAway(String reason) {
    if (isOpen()) {
      closing = true;
      ws.close(GOING_AWAY, reason);
    }
  }

  /** Sends VIOLATION with the given payload, then closes the socket. */
  void violation(Object payload) {
    LOG.info("CL Omega connection {}: VIOLATION {}", id, payload);
    sendAndClose(Omega.packet("VIOLATION", payload));
  }

  /** One WebSocket message; handled after every message before it. */
  void onText(String text) {
    if (!isOpen()) {
      return;
    }
    idle.touch();
    if (rate.admit(this::tooFast, () -> violation("Too many messages: closing the connection"))) {
      gw.meters().received(GatewayMeters.Protocol.OMEGA);
      // A relay with nothing queued before it takes the fast path when it can; everything else is handled in turn.
      if (inbox.isComplete() && initialised && lobby != null && !MessageSizeGuard.exceeds(text, maxMessageBytes)
        && relays.tryRelay(this, text)) {
        return;
      }
      inbox = inbox.transform(ar -> process(text));
    } else {
      gw.meters().rejected(GatewayMeters.Protocol.OMEGA, GatewayMeters.Rejection.RATE);
    }
  }

  private void tooFast() {
    LOG.info("CL Omega connection {}: too many messages, dropping", id);
    send(Omega.packet("WARNING", "Too many messages: slow down. Messages beyond the limit are dropped, and a"
      + " client that keeps sending is disconnected."));
  }

  /**
   * Every frame (Vert.x hands it to its own message aggregation first): refuses a data message as soon as
   * its frames add up to more than MAX_MESSAGE_BYTES, in turn with the messages before it. Messages over
   * the server's WebSocket message limit never reach {@link #onText}, so this is where they are refused.
   */
  private void onOversizedMessage() {
    if (isOpen()) {
      inbox = inbox.transform(ar -> {
        tooLarge();
        return Future.succeededFuture();
      });
    }
  }


  private void tooLarge() {
    gw.meters().rejected(GatewayMeters.Protocol.OMEGA, GatewayMeters.Rejection.OVERSIZE);
    violation("[Signaling] Error reading packet: message exceeds " + maxMessageBytes + " bytes");
  }

  /** Handles one packet with the connection, account and request ids in the log context. */
  private Future<Void> process(String text) {
    LogContext.enter(id, accountId, ++packets);
    try {
      return handleText(text);
    } finally {
      LogContext.exit();
    }
  }

  private Future<Void> handleText(String text) {
    if (!isOpen()) {
      return Future.succeededFuture();
    }
    if (MessageSizeGuard.exceeds(text, maxMessageBytes)) {
      tooLarge();
      return Future.succeededFuture();
    }
    JsonObject packet;
    try {
      packet = new JsonObject(text);
    } catch (RuntimeException e) {
      gw.meters().rejected(GatewayMeters.Protocol.OMEGA, GatewayMeters.Rejection.MALFORMED);
      violation("[Signaling] Error reading packet: " + firstLine(e.getMessage()));
      return Future.succeededFuture();
    }
    String error = envelopeError(packet);
    if (error != null) {
      gw.meters().rejected(GatewayMeters.Protocol.OMEGA, GatewayMeters.Rejection.MALFORMED);
      violation("[Signaling] Error reading packet: " + error);
      return Future.succeededFuture();
    }
    return handle(packet).recover(err -> {
      if (gw.unavailable(err)) {
        send(Omega.reply("WARNING", Failures.UNAVAILABLE_TEXT, listener(packet)));
      } else {
        LOG.warn("CL Omega connection {}: {} failed", id, packet.getString("opcode"), err);
        send(Omega.reply("WARNING", "Internal error while handling " + packet.getString("opcode"), listener(packet)));
      }
      return Future.succeededFuture();
    });
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "invalid JSON";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Type checks of the envelope keys, as the reference's struct decoding does them. */
  private static String envelopeError(JsonObject p) {
    if (!(p.getValue("opcode") instanceof String)) {
      return "opcode must be a string";
    }
    Object recipient = p.getValue("recipient");
    if (recipient != null && !(recipient instanceof String)) {
      return "recipient must be a string";
    }
    Object origin = p.getValue("origin");
    if (origin != null && !(origin instanceof JsonObject)) {
      return "origin must be an object";
    }
    Object listener = p.getValue("listener");
    if (listener != null && !(listener instanceof String)) {
      return "listener must be a string";
    }
    return null;
  }

  private static String listener(JsonObject p) {
    return p.getString("listener");
  }

  private Future<Void> handle(JsonObject packet) {
    if (!isOpen()) {
      return Future.succeededFuture();
    }
    String opcode = packet.getString("opcode");
    String listener = listener(packet);
    if ("KEEPALIVE".equals(opcode)) {
      send(Omega.reply("KEEPALIVE", null, listener));
      return Future.succeededFuture();
    }
    if ("INIT".equals(opcode)) {
      return init(packet.getValue("payload"), listener);
    }
    if (!Omega.LOBBY_OPCODES.contains(opcode)) {
      gw.meters().rejected(GatewayMeters.Protocol.OMEGA, GatewayMeters.Rejection.UNKNOWN_COMMAND);
      LOG.debug("CL Omega connection {}: ignoring unknown opcode {}", id, opcode);
      return Future.succeededFuture();
    }
    if (!initialised) {
      gw.meters().rejected(GatewayMeters.Protocol.OMEGA, GatewayMeters.Rejection.NOT_LOGGED_IN);
      send(Omega.reply("CONFIG_REQUIRED", null, listener));
      return Future.succeededFuture();
    }
    if (OmegaRelay.OPCODES.contains(opcode)) {
      return OmegaRelay.relay(gw, accountId, username, ugi, lobby, packet).map(reply -> {
        send(reply);
        return (Void) null;
      });
    }
    return forward(packet);
  }

  private Future<Void> init(Object payload, String listener) {
    if (initialised) {
      send(Omega.reply("SESSION_EXISTS", null, listener));
      return Future.succeededFuture();
    }
    if (!Ids.isUlid(payload)) {
      violation(Omega.validationError("payload", "ulid"));
      return Future.succeededFuture();
    }
    String token = Ids.canonical((String) payload);
    initStarted = System.nanoTime();
    return gw.accounts().omegaSession(token).compose(session -> {
      if (session == null) {
        send(Omega.reply("TOKEN_INVALID", "session not found", listener));
        return Future.succeededFuture();
      }
      String key = session.account().ulid();
      return liveSession(key).compose(live -> {
        if (live) {
          send(Omega.reply("SESSION_EXISTS", null, listener));
          return Future.succeededFuture();
        }
        if (session.origin() != null && !session.origin().equals(origin)) {
          send(Omega.reply("TOKEN_ORIGIN_MISMATCH", null, listener));
          return Future.succeededFuture();
        }
        if (session.expires().isBefore(OffsetDateTime.now())) {
          send(Omega.reply("TOKEN_EXPIRED", null, listener));
          return Future.succeededFuture();
        }
        if ((session.account().state() & 2) == 0) {
          violation("Your account has no verified email address. Please try again.");
          return Future.succeededFuture();
        }
        return claim(key, session.account().login(), listener);
      });
    });
  }

  /** Whether the directory holds a session for {@code key} whose socket is still open. */
  private Future<Boolean> liveSession(String key) {
    return gw.omegaSessions().get(key).compose(existing -> existing == null
      ? Future.succeededFuture(false)
      : isAlive(existing));
  }

  private Future<Boolean> isAlive(Entry e) {
    if (e.node().equals(gw.nodeId())) {
      ClientConnection c = gw.connections().get(e.connection());
      return Future.succeededFuture(c != null && c.isOpen());
    }
    return Delivery.isAlive(gw.vertx(), e.node(), e.connection(), 2000);
  }

  private Future<Void> claim(String key, String user, String listener) {
    Entry mine = new Entry(gw.nodeId(), id, new JsonObject().put("user", user).put("ugi", ugi));
    return gw.omegaSessions().claim(key, mine).compose(previous -> {
      Future<Boolean> raced = previous == null ? Future.succeededFuture(false) : isAlive(previous);
      return raced.compose(live -> {
        if (live) {
          // Another socket of the account initialised between our check and our claim: it keeps the session.
          return gw.omegaSessions().update(key, mine, previous).map(v -> {
            send(Omega.reply("SESSION_EXISTS", null, listener));
            return (Void) null;
          });
        }
        if (!isOpen()) {
          // closed (or closing) while INIT was checked: give the session back at once
          return gw.omegaSessions().release(key, mine).mapEmpty();
        }
        entry = mine;
        accountId = key;
        username = user;
        originJson = new JsonObject().put("id", key).put("user", user).encode();
        initialised = true;
        gw.meters().loggedIn(GatewayMeters.Protocol.OMEGA, initStarted);
        gw.vertx().cancelTimer(initTimer);
        // Relays cached for an earlier socket of the account must find this one now.
        gw.vertx().eventBus().publish(Addresses.OMEGA_SESSION_CHANGED,
          new JsonObject().put("ids", new JsonArray().add(key)));
        LOG.info("CL Omega session {} ({}) initialised on connection {} for game {}", key, user, id, ugi);
        send(Omega.reply("INIT_OK", new JsonObject()
          .put("user", user)
          .put("id", key)
          .put("game", game.getString("game", ""))
          .put("developer", game.getString("developer", "")), listener));
        return Future.succeededFuture();
      });
    });
  }

  private Future<Void> forward(JsonObject packet) {
    String listener = listener(packet);
    JsonObject request = new JsonObject()
      .put("ugi", ugi)
      .put("id", accountId)
      .put("user", username)
      .put("node", gw.nodeId())
      .put("connection", id)
      .put("packet", packet);
    return ServiceRequests.request(gw.vertx(), Addresses.SIGNALING_COMMAND, request, gw.requestOptions())
      .map(reply -> {
        applyReply(reply.body(), listener);
        return (Void) null;
      })
      .recover(err -> {
        if (gw.unavailable(err)) {
          send(Omega.reply("WARNING", Failures.UNAVAILABLE_TEXT, listener));
        } else if (err instanceof ReplyException re && re.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
          send(Omega.reply("WARNING", "Signaling service unavailable, try again shortly", listener));
        } else {
          send(Omega.reply("WARNING", err.getMessage(), listener));
        }
        return Future.succeededFuture();
      });
  }

  /**
   * Applies a signaling reply: {@code replies} go to this socket with the request's listener,
   * {@code lobby} (when present) records the lobby this socket is now in, {@code close} ends the socket.
   */
  private void applyReply(JsonObject body, String listener) {
    if (body == null) {
      return;
    }
    if (body.containsKey("lobby")) {
      lobby = body.getString("lobby");
    }
    JsonArray replies = body.getJsonArray("replies", new JsonArray());
    for (int i = 0; i < replies.size(); i++) {
      JsonObject r = replies.getJsonObject(i).copy();
      boolean direct = !Boolean.FALSE.equals(r.remove("direct"));
      if (direct && listener != null && !"VIOLATION".equals(r.getString("opcode"))) {
        r.put("listener", listener);
      }
      send(r);
    }
    if (body.getBoolean("close", false) && isOpen()) {
      closing = true;
      ws.close(POLICY_VIOLATION, "VIOLATION");
    }
  }

  void onClosed() {
    if (!open) {
      return;
    }
    open = false;
    gw.vertx().cancelTimer(initTimer);
    idle.cancel();
    gw.connections().remove(this);
    if (entry != null) {
      // By connection, not by value: the signaling service records the socket's lobby in the entry. The
      // close is announced either way; the signaling service applies it once, matched by connection.
      Entry mine = entry;
      gw.omegaSessions().releaseConnection(accountId, gw.nodeId(), id)
        .onFailure(err -> LOG.warn("Could not release CL Omega session {}: {}", accountId, err.getMessage()))
        .onComplete(ar -> Delivery.omegaSessionEnded(gw.vertx(), gw.events(), accountId, mine));
    }
  }
}
