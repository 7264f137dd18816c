package dev.skirmish.signaling;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import dev.skirmish.common.Addresses;
import dev.skirmish.common.Delivery;
import dev.skirmish.common.DocumentStore;
import dev.skirmish.common.Failures;
import dev.skirmish.common.Ids;
import dev.skirmish.common.Omega;
import dev.skirmish.common.OmegaLimits;
import dev.skirmish.common.ServiceException;
import dev.skirmish.common.SessionDirectory;
import dev.skirmish.signaling.Lobbies.Caller;
import dev.skirmish.signaling.LobbyMembership.HostConfig;
import dev.skirmish.signaling.LobbyMembership.PasswordCheck;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * CL Omega lobby operations: validates payloads, hashes and checks lobby passwords off the event loop,
 * applies the lobby rules ({@link Lobbies}) through a {@link DocumentStore} of one document per game, then performs the effects: membership
 * changes in the session directory first (so relays between new members are accepted at once), then
 * pushes and broadcasts, then the reply.
 */
final class SignalingService {

  private static final Logger LOG = LoggerFactory.getLogger(SignalingService.class);
  /** Cluster-wide map of lobby documents, one per game (UGI). */
  static final String LOBBIES_MAP = "omega.lobbies";

  private final Vertx vertx;
  private final DocumentStore store;
  private final SessionDirectory sessions;
  private final OmegaLimits limits;
  private final Argon2Function passwordHash = Argon2Function.getInstance(4096, 1, 1, 32, Argon2.ID);

  SignalingService(Vertx vertx, OmegaLimits limits) {
    this.vertx = vertx;
    this.limits = limits;
    this.store = new DocumentStore(vertx, LOBBIES_MAP, () -> new JsonObject().put("lobbies", new JsonObject()),
      doc -> doc.getJsonObject("lobbies", new JsonObject()).isEmpty());
    this.sessions = new SessionDirectory(vertx, Delivery.OMEGA_SESSIONS);
  }

  /** A request of the gateway: {@code {ugi, id, user, node, connection, packet}}. Returns the reply body. */
  Future<JsonObject> handle(JsonObject request) {
    Caller caller = new Caller(request.getString("ugi"), request.getString("id"), request.getString("user"),
      request.getString("node"), request.getString("connection"));
    JsonObject packet = request.getJsonObject("packet");
    Object payload = packet.getValue("payload");
    String ugi = caller.ugi();
    switch (packet.getString("opcode")) {
      case "CONFIG_HOST":
        return configHost(caller, payload);
      case "CONFIG_PEER":
        return configPeer(caller, payload);
      case "LEAVE_LOBBY":
        return change(ugi, doc -> LobbyMembership.leave(doc, caller));
      case "LOCK":
        return change(ugi, doc -> LobbyControls.lock(doc, caller, true));
      case "UNLOCK":
        return change(ugi, doc -> LobbyControls.lock(doc, caller, false));
      case "SIZE":
        if (!(payload instanceof Integer size) || size < 0 || size > limits.maxPeers()) {
          return violation(payload instanceof Integer ? Omega.validationError("payload", size(payload))
            : "[Signaling] Error reading packet: SIZE payload must be an integer from 0 to " + limits.maxPeers());
        }
        return change(ugi, doc -> LobbyControls.size(doc, caller, size));
      case "KICK":
        return withPeerId(payload, id -> change(ugi, doc -> LobbyControls.kick(doc, caller, id)));
      case "TRANSFER_HOST":
        return withPeerId(payload, id -> change(ugi, doc -> LobbyControls.transfer(doc, caller, id)));
      case "CLAIM_HOST":
        return change(ugi, doc -> HostReclaim.claim(doc, caller));
      case "LOBBY_LIST":
        return store.read(ugi).map(doc -> LobbyDiscovery.list(doc, caller).body());
      case "LOBBY_INFO":
        if (!(payload instanceof String name)) {
          return violation("[Signaling] Error reading packet: LOBBY_INFO payload must be a lobby name");
        }
        if (OmegaLimits.length(name) > limits.lobbyName()) {
          return violation(Omega.validationError("payload", "max"));
        }
        return store.read(ugi).map(doc -> LobbyDiscovery.info(doc, caller, name).body());
      default:
        return Future.succeededFuture(new Effects()
          .reply(Omega.packet("WARNING", "Unsupported opcode " + packet.getString("opcode"))).body());
    }
  }

  private static String size(Object payload) {
    return ((Integer) payload) < 0 ? "min" : "max";
  }

  /**
   * The gateway reported that a socket closed. Its directory entry goes first: a socket that closes inside
   * a lobby cannot release it by value itself (the entry gained the lobby since it was claimed), and a
   * session left behind would name a dead connection. Then the socket leaves its lobby.
   */
  Future<Void> closed(JsonObject event) {
    String ugi = event.getString("ugi");
    String id = event.getString("id");
    String connection = event.getString("connection");
    if (ugi == null || id == null || connection == null) {
      return Future.succeededFuture();
    }
    // The directory entry is already gone: its gateway (or the sweep of a dead node) removed it by connection.
    return change(ugi, doc -> LobbyMembership.closed(doc, ugi, id, connection)).mapEmpty();
  }

  /**
   * An operator closes a lobby ({@link Addresses#SIGNALING_ADMIN}): {@code {"closed": name, "members": n}}, or
   * a {@link Failures#NOT_FOUND} failure when the game has no such lobby.
   */
  Future<JsonObject> closeLobby(String ugi, String name) {
    return store.update(ugi, doc -> HostReclaim.closeByOperator(doc, ugi, name)).compose(e -> {
      if (e == null) {
        return Future.failedFuture(new ServiceException(Failures.NOT_FOUND, "no lobby " + name + " in game " + ugi));
      }
      return perform(e).map(body -> new JsonObject().put("closed", name).put("members", e.memberships.size()));
    });
  }

  /** Every lobby document of the cluster, by game (UGI). */
  Future<java.util.Map<String, JsonObject>> lobbyDocuments() {
    return store.entries();
  }

  private Future<JsonObject> withPeerId(Object payload, java.util.function.Function<String, Future<JsonObject>> then) {
    if (!Ids.isUlid(payload)) {
      return Future.succeededFuture(new Effects().reply(Omega.packet("WARNING", Omega.validationError("payload", "ulid"))).body());
    }
    return then.apply(Ids.canonical((String) payload));
  }

  private static Future<JsonObject> violation(Object payload) {
    Effects e = new Effects().reply(Omega.packet("VIOLATION", payload));
    e.close = true;
    return Future.succeededFuture(e.body());
  }

  private Future<JsonObject> change(String ugi, java.util.function.Function<JsonObject, DocumentStore.Change<Effects>> rule) {
    return store.update(ugi, rule).compose(this::perform);
  }

  private Future<JsonObject> configHost(Caller caller, Object payload) {
    if (!(payload instanceof JsonObject p)) {
      return violation("[Signaling] Error reading packet: CONFIG_HOST payload must be an object");
    }
    String typeError = firstTypeError(p, "lobby_id", String.class, "allow_host_reclaim", Boolean.class,
      "allow_peers_to_claim_host", Boolean.class, "max_peers", Integer.class, "password", String.class,
      "pubkey", String.class, "locked", Boolean.class);
    if (typeError != null) {
      return violation("[Signaling] Error reading packet: " + typeError);
    }
    // JSON null is an absent key, as the reference's decoder reads it into the zero value
    String name = string(p, "lobby_id");
    long maxPeers = integer(p.getValue("max_peers"));
    String password = string(p, "password");
    List<JsonObject> errors = new ArrayList<>();
    checkName(name, errors);
    if (maxPeers < 0) {
      errors.add(new JsonObject().put("max_peers", "min"));
    } else if (maxPeers > limits.maxPeers()) {
      errors.add(new JsonObject().put("max_peers", "max"));
    }
    checkSecrets(password, p, errors);
    if (!errors.isEmpty()) {
      return violation(new JsonObject().put("Validation error", new JsonArray(errors)));
    }
    Future<String> hash = password.isEmpty() ? Future.succeededFuture(null)
      : vertx.executeBlocking(() -> Password.hash(password).addRandomSalt(16).with(passwordHash).getResult(), false);
    boolean reclaim = flag(p, "allow_host_reclaim");
    boolean peersClaim = flag(p, "allow_peers_to_claim_host");
    boolean locked = flag(p, "locked");
    String pubkey = key(p);
    return hash.compose(h -> change(caller.ugi(), doc -> LobbyMembership.host(doc, caller,
      new HostConfig(name, reclaim, peersClaim, (int) maxPeers, h, pubkey, locked))));
  }

  private Future<JsonObject> configPeer(Caller caller, Object payload) {
    if (!(payload instanceof JsonObject p)) {
      return violation("[Signaling] Error reading packet: CONFIG_PEER payload must be an object");
    }
    String typeError = firstTypeError(p, "lobby_id", String.class, "password", String.class, "pubkey", String.class);
    if (typeError != null) {
      return violation("[Signaling] Error reading packet: " + typeError);
    }
    String name = string(p, "lobby_id");
    String password = string(p, "password");
    List<JsonObject> errors = new ArrayList<>();
    checkName(name, errors);
    checkSecrets(password, p, errors);
    if (!errors.isEmpty()) {
      return violation(new JsonObject().put("Validation error", new JsonArray(errors)));
    }
    // The hash is checked before the change; the change re-checks that the lobby still has that hash.
    Future<PasswordCheck> check = store.read(caller.ugi()).compose(doc -> {
      JsonObject lobby = doc.getJsonObject("lobbies").getJsonObject(name);
      String stored = lobby == null ? null : lobby.getString("password");
      if (stored == null || password.isEmpty()) {
        return Future.succeededFuture(new PasswordCheck(stored, !password.isEmpty(), false));
      }
      return vertx.executeBlocking(() -> new PasswordCheck(stored, true,
        Password.check(password, stored).with(passwordHash)), false);
    });
    return check.compose(c -> change(caller.ugi(), doc -> LobbyMembership.join(doc, caller, name, key(p), c)));
  }

  /** A lobby name is required and at most {@link OmegaLimits#lobbyName()} characters. */
  private void checkName(String name, List<JsonObject> errors) {
    if (name.isEmpty()) {
      errors.add(new JsonObject().put("lobby_id", "required"));
    } else if (OmegaLimits.length(name) > limits.lobbyName()) {
      errors.add(new JsonObject().put("lobby_id", "max"));
    }
  }

  /** The password and the pubkey a member gives its lobby, each within its limit. */
  private void checkSecrets(String password, JsonObject p, List<JsonObject> errors) {
    if (OmegaLimits.length(password) > limits.password()) {
      errors.add(new JsonObject().put("password", "max"));
    }
    if (OmegaLimits.length(string(p, "pubkey")) > limits.pubkey()) {
      errors.add(new JsonObject().put("pubkey", "max"));
    }
  }

  /** A string field that passed the type check; absent or null is "". */
  private static String string(JsonObject p, String key) {
    return p.getValue(key) == null ? "" : p.getString(key);
  }

  /** The pubkey a member offers its lobby; an empty one is none (the reference omits empty values). */
  private static String key(JsonObject p) {
    String key = string(p, "pubkey");
    return key.isEmpty() ? null : key;
  }

  /** An integer field that passed the type check (null is 0); beyond the range of long it is clamped. */
  private static long integer(Object value) {
    if (value instanceof BigInteger big) {
      return big.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return value == null ? 0 : ((Number) value).longValue();
  }

  /** A boolean field that passed the type check; absent or null is false. */
  private static boolean flag(JsonObject p, String key) {
    return Boolean.TRUE.equals(p.getValue(key));
  }

  /** Pairs of (key, type); the first key present with another JSON type, as the reference's decoder reports it. */
  private static String firstTypeError(JsonObject p, Object... keyTypes) {
    for (int i = 0; i < keyTypes.length; i += 2) {
      String key = (String) keyTypes[i];
      Class<?> type = (Class<?>) keyTypes[i + 1];
      Object v = p.getValue(key);
      // any JSON integer is an integer, however large: the range is the validation's business
      boolean integral = type == Integer.class && (v instanceof Long || v instanceof BigInteger);
      if (v != null && !type.isInstance(v) && !integral) {
        String expected = type == Integer.class ? "an integer" : type == Boolean.class ? "a boolean" : "a string";
        return key + " must be " + expected;
      }
    }
    return null;
  }

  /** Performs stored effects in order: memberships, then broadcasts and pushes; returns the reply body. */
  private Future<JsonObject> perform(Effects e) {
    List<Future<Void>> moves = new ArrayList<>();
    for (Effects.Membership m : e.memberships) {
      moves.add(setLobby(m.who(), m.lobby(), 0));
    }
    return Future.join(moves).transform(ar -> {
      if (!e.memberships.isEmpty()) {
        JsonArray ids = new JsonArray();
        e.memberships.forEach(m -> ids.add(m.who().id()));
        vertx.eventBus().publish(Addresses.OMEGA_SESSION_CHANGED, new JsonObject().put("ids", ids));
      }
      // Broadcasts go out before the pushes: a gateway hears them in that order, so the members that a push
      // moves out of a lobby are still in it when the broadcast reaches lobby-less sockets (a closing lobby's
      // members get its LOBBY_CLOSE once, not a second time as fresh lobby-less sockets).
      for (Effects.Broadcast b : e.broadcasts) {
        JsonObject body = new JsonObject().put("ugi", b.ugi()).put("message", b.packet());
        if (b.exceptConnection() != null) {
          body.put("exceptConnection", b.exceptConnection());
        }
        if (!b.leaving().isEmpty()) {
          // for gateways that skip them by name; the order of delivery covers the others
          body.put("exceptConnections", new JsonArray(new ArrayList<>(b.leaving())));
        }
        vertx.eventBus().publish(Addresses.OMEGA_BROADCAST, body);
      }
      for (Effects.Push push : e.pushes) {
        JsonObject body = new JsonObject().put("type", "deliver").put("connection", push.to().connection())
          .put("message", push.packet());
        if (push.changesLobby()) {
          body.put("lobby", push.lobby());
        }
        vertx.eventBus().send(Addresses.gatewayNode(push.to().node()), body);
      }
      return Future.succeededFuture(e.body());
    });
  }

  /** Records in the session directory which lobby a socket is in (if that socket still holds the session). */
  private Future<Void> setLobby(Effects.Target who, String lobby, int attempt) {
    return sessions.get(who.id()).compose(entry -> {
      if (entry == null || !entry.connection().equals(who.connection())) {
        return Future.succeededFuture();
      }
      // Out of any lobby, the entry gets back the exact data its socket claimed it with, so that the socket
      // can still release it by value when it closes.
      JsonObject data = entry.data().copy();
      if (lobby == null) {
        data.remove("lobby");
      } else {
        data.put("lobby", lobby);
      }
      return sessions.update(who.id(), entry, entry.withData(data)).compose(ok -> {
        if (ok || attempt > 20) {
          if (!ok) {
            LOG.warn("Could not record lobby of session {}", who.id());
          }
          return Future.succeededFuture();
        }
        return setLobby(who, lobby, attempt + 1);
      });
    });
  }
}
