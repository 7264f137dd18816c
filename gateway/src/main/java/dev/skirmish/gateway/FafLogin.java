package dev.skirmish.gateway;

import dev.skirmish.common.Addresses;
import dev.skirmish.common.Delivery;
import dev.skirmish.common.Faf;
import dev.skirmish.common.Failures;
import dev.skirmish.common.SessionDirectory.Entry;
import dev.skirmish.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * The login of one FAF connection: credentials ({@code auth} with a token, or the legacy {@code hello}),
 * the ban check, the cluster-wide claim of the player's session (kicking an older one) and the login
 * sequence of messages.
 */
final class FafLogin {

  private static final Logger LOG = LoggerFactory.getLogger(FafLogin.class);
  static final String DISABLED = "Your account is disabled. If you think this is a mistake, contact the moderators.";

  private final Gateway gw;
  private final FafSession session;

  FafLogin(Gateway gw, FafSession session) {
    this.gw = gw;
    this.session = session;
  }

  Future<Void> auth(JsonObject msg) {
    if (!(msg.getValue("token") instanceof String token) || token.isBlank()) {
      session.send(authFailed("The auth command needs a token."));
      return Future.succeededFuture();
    }
    session.beginLogin();
    return gw.tokens().verify(token)
      .transform(ar -> {
        if (ar.failed()) {
          return Future.succeededFuture(new Failure(authFailed(ar.cause() instanceof TokenService.Rejected r
            ? r.getMessage()
            : "Token signature was invalid or the token has expired.")));
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
        return gw.accounts().profileById(id).map(profile -> profile == null
          ? new Failure(authFailed("Cannot find user id " + id + "."))
          : (Object) profile);
      })
      .compose(result -> result instanceof AccountRepository.Profile profile
        ? login(profile, true)
        : fail((Failure) result))
      .recover(this::unavailable);
  }

  /** A login that failed for want of the database is refused like bad credentials: the client may retry. */
  private Future<Void> unavailable(Throwable err) {
    return gw.unavailable(err)
      ? fail(new Failure(authFailed(Failures.UNAVAILABLE_TEXT)))
      : Future.failedFuture(err);
  }

  Future<Void> hello(JsonObject msg) {
    if (!gw.config().getBoolean(Setting.FAF_ALLOW_PASSWORD_LOGIN)) {
      session.sendAndClose(Faf.errorNotice("Password login is disabled on this server: log in with a token."));
      return Future.succeededFuture();
    }
    if (!(msg.getValue("login") instanceof String name) || !(msg.getValue("password") instanceof String password)) {
      session.send(authFailed("The hello command needs login and password."));
      return Future.succeededFuture();
    }
    session.beginLogin();
    long wait = gw.throttle().request(session.remoteAddress());
    if (wait > 0) {
      return fail(new Failure(authFailed("Too many login attempts from your address: try again in " + wait + " s.")));
    }
    return gw.accounts().profileByLogin(name.trim()).compose(profile -> {
      Integer accountId = profile == null ? null : profile.account().id();
      long blocked = gw.throttle().accountBlocked(accountId, name);
      if (blocked > 0) {
        return fail(new Failure(authFailed("Too many failed logins for this account: try again in " + blocked + " s.")));
      }
      return gw.hasher().verify(password, profile == null ? null : profile.account().passwordHash()).compose(ok -> {
        if (ok) {
          return login(profile, false);
        }
        gw.throttle().failed(accountId, name);
        return fail(new Failure(authFailed("Login not found or password incorrect.")));
      });
    }).recover(err -> err instanceof PasswordHasher.Busy
      ? fail(new Failure(Faf.errorNotice("The server is busy checking passwords: try again in a moment.")))
      : unavailable(err));
  }

  private record Failure(JsonObject message) {
  }

  private Future<Void> fail(Failure failure) {
    session.loginFailed();
    session.send(failure.message());
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

  /**
   * The credentials are good: refuse a banned player, claim the player's session in the cluster-wide
   * directory (kicking an older one), then send the login sequence from this node's presence snapshot:
   * {@code welcome}, {@code player_info} with everyone online, {@code social}, {@code game_info} with the
   * games the player may see. Everyone (the newcomer included) gets the newcomer's {@code player_info} at
   * the next presence tick. Nothing here scans a cluster map or reads the database beyond the profile.
   */
  private Future<Void> login(AccountRepository.Profile profile, boolean viaToken) {
    AccountRepository.Account account = profile.account();
    if (profile.ban() != null) {
      LOG.info("Refused login of banned player {} ({})", account.id(), account.login());
      session.sendAndClose(Faf.errorNotice(profile.ban().text()));
      return Future.succeededFuture();
    }
    if (account.disabled()) {
      LOG.info("Refused login of disabled account {} ({})", account.id(), account.login());
      session.sendAndClose(Faf.errorNotice(DISABLED));
      return Future.succeededFuture();
    }
    if (!session.isOpen()) {
      return Future.succeededFuture();
    }
    if (viaToken) {
      session.send(Faf.command("irc_password").put("password", "deprecated"));
    }
    session.identify(account.id(), account.login());
    String ip = session.remoteAddress();
    gw.loginLog().record(account.id(), ip, session.userAgent());
    JsonObject me = profile.player().put("country", gw.countries().country(ip));
    int playerId = account.id();
    String id = session.id();
    Entry mine = new Entry(gw.nodeId(), id, me);
    return gw.fafSessions().claim(String.valueOf(playerId), mine).compose(previous -> {
      session.claimed(mine);
      if (previous != null && !previous.connection().equals(id)) {
        kick(previous);
      }
      if (!session.isOpen()) {
        // Closed while claiming: undo, so the directory never holds a dead session.
        return session.release();
      }
      session.loggedIn();
      LOG.info("Player {} ({}) logged in on connection {}", playerId, account.login(), id);
      session.send(Faf.command("welcome").put("me", me)
        .put("current_time", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString())
        .put("id", playerId).put("login", account.login()));
      session.sendLine(gw.presence().loginPlayerList(me));
      Delivery.fafOnline(gw.vertx(), id, me);
      session.send(socialMessage(profile.social(), me));
      session.send(Faf.command("game_info").put("games", gw.presence().visibleGames(playerId, me)));
      return Future.succeededFuture();
    });
  }

  private void kick(Entry previous) {
    int playerId = session.playerId();
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
}
