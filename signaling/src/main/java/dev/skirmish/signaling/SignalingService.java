package dev.skirmish.signaling;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import dev.skirmish.common.Addresses;
import dev.skirmish.common.Delivery;
import dev.skirmish.common.Ids;
import dev.skirmish.common.Omega;
import dev.skirmish.common.SessionDirectory;
import dev.skirmish.signaling.Lobbies.Caller;
import dev.skirmish.signaling.Lobbies.HostConfig;
import dev.skirmish.signaling.Lobbies.PasswordCheck;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * CL Omega lobby operations: validates payloads, hashes and checks lobby passwords off the event loop,
 * applies {@link Lobbies} rules through the {@link LobbyStore}, then performs the effects: membership
 * changes in the session directory first (so relays between new members are accepted at once), then
 * pushes and broadcasts, then the reply.
 */
final class SignalingService {

  private static final Logger LOG = LoggerFactory.getLogger(SignalingService.class);
  private static final int MAX_LOBBY_NAME = 256;
  private static final int MAX_PASSWORD = 128;
  private static final int MAX_PEERS = 100;

  private final Vertx vertx;
  private final LobbyStore store;
  private final SessionDirectory sessions;
  private final Argon2Function passwordHash = Argon2Function.getInstance(4096, 1, 1, 32, Argon2.ID);

  SignalingService(Vertx vertx) {
    this.vertx = vertx;
    this.store = new LobbyStore(vertx);
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
        return change(ugi, doc -> Lobbies.leaveRequest(doc, caller));
      case "LOCK":
        return change(ugi, doc -> Lobbies.lock(doc, caller, true));
      case "UNLOCK":
        return change(ugi, doc -> Lobbies.lock(doc, caller, false));
      case "SIZE":
        if (!(payload instanceof Integer size) || size < 0 || size > MAX_PEERS) {
          return violation(payload instanceof Integer ? Omega.validationError("payload", size(payload)) 
            : "[Signaling] Error reading packet: SIZE payload must be an integer from 0 to " + MAX_PEERS);
        }
        return change(ugi, doc -> Lobbies.size(doc, caller, size));
      case "KICK":
        return withPeerId(payload, id -> change(ugi, doc -> Lobbies.kick(doc, caller, id)));
      case "TRANSFER_HOST":
        return withPeerId(payload, id -> change(ugi, doc -> Lobbies.transfer(doc, caller, id)));
      case "CLAIM_HOST":
        return change(ugi, doc -> Lobbies.claim(doc, caller));
      case "LOBBY_LIST":
        return store.read(ugi).map(doc -> Lobbies.list(doc, caller).body());
      case "LOBBY_INFO":
        if (!(payload instanceof String name)) {
          return violation("[Signaling] Error reading packet: LOBBY_INFO payload must be a lobby name");
        }
        return store.read(ugi).map(doc -> Lobbies.info(doc, caller, name).body());
      default:
        return Future.succeededFuture(new Effects()
          .reply(Omega.packet("WARNING", "Unsupported opcode " + packet.getString("opcode"))).body());
    }
  }

  private static String size(Object payload) {
    return ((Integer) payload) < 0 ? "min" : "max";
  }

  /** The gateway reported that a socket closed. */
  Future<Void> closed(JsonObject event) {
    String ugi = event.getString("ugi");
    if (ugi == null || event.getString("connection") == null) {
      return Future.succeededFuture();
    }
    return change(ugi, doc -> Lobbies.closed(doc, ugi, event.getString("id"), event.getString("connection")))
      .mapEmpty();
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

  private Future<JsonObject> change(String ugi, java.util.function.Function<JsonObject, LobbyStore.Change<Effects>> rule) {
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
    String name = p.getString("lobby_id", "");
    int maxPeers = p.getInteger("max_peers", 0);
    String password = p.getString("password", "");
    List<JsonObject> errors = new ArrayList<>();
    if (name.isEmpty()) {
      errors.add(new JsonObject().put("lobby_id", "required"));
    } else if (name.length() > MAX_LOBBY_NAME) {
      errors.add(new JsonObject().put("lobby_id", "max"));
    }
    if (maxPeers < 0) {
      errors.add(new JsonObject().put("max_peers", "min"));
    } else if (maxPeers > MAX_PEERS) {
      errors.add(new JsonObject().put("max_peers", "max"));
    }
    if (password.length() > MAX_PASSWORD) {
      errors.add(new JsonObject().put("password", "max"));
    }
    if (!errors.isEmpty()) {
      return violation(new JsonObject().put("Validation error", new JsonArray(errors)));
    }
    Future<String> hash = password.isEmpty() ? Future.succeededFuture(null)
      : vertx.executeBlocking(() -> Password.hash(password).addRandomSalt(16).with(passwordHash).getResult(), false);
    return hash.compose(h -> change(caller.ugi(), doc -> Lobbies.host(doc, caller, new HostConfig(name,
      p.getBoolean("allow_host_reclaim", false), p.getBoolean("allow_peers_to_claim_host", false), maxPeers, h,
      p.getString("pubkey"), p.getBoolean("locked", false)))));
  }

  private Future<JsonObject> configPeer(Caller caller, Object payload) {
    if (!(payload instanceof JsonObject p)) {
      return violation("[Signaling] Error reading packet: CONFIG_PEER payload must be an object");
    }
    String typeError = firstTypeError(p, "lobby_id", String.class, "password", String.class, "pubkey", String.class);
    if (typeError != null) {
      return violation("[Signaling] Error reading packet: " + typeError);
    }
    String name = p.getString("lobby_id", "");
    String password = p.getString("password", "");
    if (name.isEmpty()) {
      return violation(Omega.validationError("lobby_id", "required"));
    }
    if (password.length() > MAX_PASSWORD) {
      return violation(Omega.validationError("password", "max"));
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
    return check.compose(c -> change(caller.ugi(), doc -> Lobbies.join(doc, caller, name, p.getString("pubkey"), c)));
  }

  /** Pairs of (key, type); the first key present with another JSON type, as the reference's decoder reports it. */
  private static String firstTypeError(JsonObject p, Object... keyTypes) {
    for (int i = 0; i < keyTypes.length; i += 2) {
      String key = (String) keyTypes[i];
      Class<?> type = (Class<?>) keyTypes[i + 1];
      Object v = p.getValue(key);
      if (v != null && !type.isInstance(v)) {
        String expected = type == Integer.class ? "an integer" : type == Boolean.class ? "a boolean" : "a string";
        return key + " must be " + expected;
      }
    }
    return null;
  }

  /** Performs stored effects in order: memberships, then pushes and broadcasts; returns the reply body. */
  private Future<JsonObject> perform(Effects e) {
    List<Future<Void>> moves = new ArrayList<>();
    for (Effects.Membership m : e.memberships) {
      moves.add(setLobby(m.who(), m.lobby(), 0));
    }
    return Future.join(moves).transform(ar -> {
      for (Effects.Push push : e.pushes) {
        JsonObject body = new JsonObject().put("type", "deliver").put("connection", push.to().connection())
          .put("message", push.packet());
        if (push.changesLobby()) {
          body.put("lobby", push.lobby());
        }
        vertx.eventBus().send(Addresses.gatewayNode(push.to().node()), body);
      }
      for (Effects.Broadcast b : e.broadcasts) {
        JsonObject body = new JsonObject().put("ugi", b.ugi()).put("message", b.packet());
        if (b.exceptConnection() != null) {
          body.put("exceptConnection", b.exceptConnection());
        }
        vertx.eventBus().publish(Addresses.OMEGA_BROADCAST, body);
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
      JsonObject data = entry.data().copy().put("lobby", lobby);
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
