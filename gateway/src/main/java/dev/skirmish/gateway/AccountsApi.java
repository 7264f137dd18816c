package dev.skirmish.gateway;

import dev.skirmish.common.Bans;
import dev.skirmish.common.Ids;
import dev.skirmish.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Account and token endpoints: CL Omega register/login (plain-text replies with the reference's status
 * codes), the FAF OAuth2 password grant, and the JWKS that verifies its tokens.
 */
final class AccountsApi {

  private static final Logger LOG = LoggerFactory.getLogger(AccountsApi.class);
  private static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9_-]{3,20}$");
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
  private static final Set<String> GRANTABLE_SCOPES = Set.of("lobby", "openid", "offline_access", "public_profile");
  private static final int BODY_LIMIT = 64 * 1024;

  private final Gateway gw;

  AccountsApi(Gateway gw) {
    this.gw = gw;
  }

  void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(BODY_LIMIT);
    for (String prefix : List.of("/api/v0", "/api")) {
      router.post(prefix + "/register").handler(body).handler(LogContext.rest(this::register));
      router.post(prefix + "/login").handler(body).handler(LogContext.rest(this::login));
    }
    router.post("/oauth2/token").handler(body).handler(LogContext.rest(this::token));
    router.get("/.well-known/jwks.json").handler(ctx -> ctx.response()
      .putHeader("Content-Type", "application/json")
      .end(gw.tokens().jwks().encode()));
  }

  private static String str(JsonObject json, String key) {
    return json.getValue(key) instanceof String s ? s : null;
  }

  private void register(RoutingContext ctx) {
    if (overAddressLimit(ctx, false)) {
      return;
    }
    JsonObject json = Rest.jsonBody(ctx);
    if (json == null) {
      Rest.text(ctx, 400, "Malformed JSON body");
      return;
    }
    String username = str(json, "username");
    String password = str(json, "password");
    String email = str(json, "email");
    List<String> errors = new ArrayList<>();
    if (username == null || username.isEmpty()) {
      errors.add("username: required");
    } else if (username.length() < 3) {
      errors.add("username: min");
    } else if (username.length() > 20) {
      errors.add("username: max");
    } else if (!USERNAME.matcher(username).matches()) {
      errors.add("username: alphanumunderscoredash");
    }
    if (password == null || password.isEmpty()) {
      errors.add("password: required");
    } else if (password.length() < 8) {
      errors.add("password: min");
    } else if (password.length() > 128) {
      errors.add("password: max");
    }
    if (email == null || email.isEmpty()) {
      errors.add("email: required");
    } else if (email.length() > 320) {
      errors.add("email: max");
    } else if (!EMAIL.matcher(email).matches()) {
      errors.add("email: email");
    }
    if (!errors.isEmpty()) {
      Rest.text(ctx, 400, "Validation failed:\n" + String.join("\n", errors) + "\n");
      return;
    }
    gw.hasher().hash(PasswordHasher.sha256Hex(password))
      .compose(hash -> gw.accounts().create(Ids.ulid(), username, email, hash))
      .onSuccess(conflict -> {
        switch (conflict) {
          case USERNAME_TAKEN -> Rest.text(ctx, 409, "username taken");
          case EMAIL_IN_USE -> Rest.text(ctx, 409, "email in use");
          default -> {
            LOG.info("Registered account {}", username);
            Rest.text(ctx, 201, "OK");
          }
        }
      })
      .onFailure(err -> failed(ctx, "register", err, false));
  }

  private void login(RoutingContext ctx) {
    if (overAddressLimit(ctx, false)) {
      return;
    }
    JsonObject json = Rest.jsonBody(ctx);
    if (json == null) {
      Rest.text(ctx, 400, "Malformed JSON body");
      return;
    }
    String email = str(json, "email");
    String password = str(json, "password");
    List<String> errors = new ArrayList<>();
    if (email == null || email.isEmpty()) {
      errors.add("email: required");
    }
    if (password == null || password.isEmpty()) {
      errors.add("password: required");
    }
    if (!errors.isEmpty()) {
      Rest.text(ctx, 400, "Validation failed:\n" + String.join("\n", errors) + "\n");
      return;
    }
    String origin = ctx.request().getHeader("Origin");
    gw.accounts().byEmail(email).compose(account -> {
      Integer accountId = account == null ? null : account.id();
      long wait = gw.throttle().accountBlocked(accountId, email);
      if (wait > 0) {
        tooMany(ctx, wait, false, "Too many failed logins for this account");
        return Future.succeededFuture();
      }
      return gw.hasher().verify(PasswordHasher.sha256Hex(password), account == null ? null : account.passwordHash())
        .compose(ok -> {
          if (account == null) {
            gw.throttle().failed(null, email);
            Rest.text(ctx, 401, "user not found");
            return Future.succeededFuture();
          }
          if (!ok) {
            gw.throttle().failed(accountId, email);
            Rest.text(ctx, 401, "Incorrect password");
            return Future.succeededFuture();
          }
          if (account.disabled()) {
            Rest.text(ctx, 403, "account disabled");
            return Future.succeededFuture();
          }
          String token = Ids.secretUlid();
          return gw.accounts().createOmegaSession(token, account.id(),
              gw.config().getLong(Setting.OMEGA_TOKEN_LIFETIME_SECONDS), origin)
            .onSuccess(v -> Rest.text(ctx, 200, token));
        });
    }).onFailure(err -> failed(ctx, "login", err, false));
  }

  private void token(RoutingContext ctx) {
    ctx.response().putHeader("Cache-Control", "no-store");
    if (overAddressLimit(ctx, true)) {
      return;
    }
    String grantType = ctx.request().getFormAttribute("grant_type");
    if (!"password".equals(grantType)) {
      oauthError(ctx, grantType == null ? "invalid_request" : "unsupported_grant_type",
        grantType == null ? "grant_type is required" : "only grant_type=password is supported");
      return;
    }
    String username = ctx.request().getFormAttribute("username");
    String password = ctx.request().getFormAttribute("password");
    if (username == null || username.isBlank() || password == null) {
      oauthError(ctx, "invalid_request", "username and password are required");
      return;
    }
    String scopeParam = ctx.request().getFormAttribute("scope");
    Set<String> scopes = new LinkedHashSet<>();
    for (String s : (scopeParam == null || scopeParam.isBlank() ? "lobby" : scopeParam).trim().split("\\s+")) {
      if (!GRANTABLE_SCOPES.contains(s)) {
        oauthError(ctx, "invalid_scope", "unknown scope: " + s);
        return;
      }
      scopes.add(s);
    }
    gw.accounts().byLoginOrEmail(username.trim()).compose(account -> {
      Integer accountId = account == null ? null : account.id();
      long wait = gw.throttle().accountBlocked(accountId, username);
      if (wait > 0) {
        tooMany(ctx, wait, true, "Too many failed logins for this account");
        return Future.succeededFuture();
      }
      return gw.hasher().verify(PasswordHasher.sha256Hex(password), account == null ? null : account.passwordHash())
        .compose(ok -> {
          if (!ok) {
            gw.throttle().failed(accountId, username);
            oauthError(ctx, "invalid_grant", "invalid username or password");
            return Future.succeededFuture();
          }
          if (account.disabled()) {
            oauthError(ctx, "invalid_grant", "account disabled");
            return Future.succeededFuture();
          }
          return Bans.active(gw.accounts().pool(), account.id()).map(ban -> {
            if (ban != null) {
              oauthError(ctx, "invalid_grant", ban.text());
              return null;
            }
            issue(ctx, account, scopes);
            return null;
          });
        });
    }).onFailure(err -> failed(ctx, "token", err, true));
  }

  private void issue(RoutingContext ctx, AccountRepository.Account account, Set<String> scopes) {
    String jwt = gw.tokens().issue(account.id(), account.login(), List.copyOf(scopes));
    ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
      .put("access_token", jwt)
      .put("token_type", "Bearer")
      .put("expires_in", gw.tokens().lifetimeSeconds())
      .put("scope", String.join(" ", scopes))
      .encode());
  }

  private static void oauthError(RoutingContext ctx, String error, String description) {
    Rest.json(ctx, 400, new JsonObject().put("error", error).put("error_description", description));
  }

  /** Counts the request against its IP address; over the limit, answers 429 and returns true. */
  private boolean overAddressLimit(RoutingContext ctx, boolean oauth) {
    var address = ctx.request().remoteAddress();
    long wait = gw.throttle().request(address == null ? null : address.hostAddress());
    if (wait == 0) {
      return false;
    }
    tooMany(ctx, wait, oauth, "Too many requests from your address");
    return true;
  }

  private static void tooMany(RoutingContext ctx, long seconds, boolean oauth, String what) {
    ctx.response().putHeader("Retry-After", String.valueOf(seconds));
    String text = what + ": try again in " + seconds + " s";
    if (oauth) {
      Rest.json(ctx, 429, new JsonObject().put("error", "too_many_requests").put("error_description", text));
    } else {
      Rest.text(ctx, 429, text);
    }
  }

  /**
   * A failed request: 503 with Retry-After when the database cannot be reached or password hashing is at
   * capacity, else 500.
   */
  private void failed(RoutingContext ctx, String what, Throwable err, boolean oauth) {
    if (gw.unavailable(err)) {
      Rest.unavailable(ctx);
      return;
    }
    if (!(err instanceof PasswordHasher.Busy)) {
      internal(ctx, what, err);
      return;
    }
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().putHeader("Retry-After", "1");
    String text = "The server is busy: try again in a moment";
    if (oauth) {
      Rest.json(ctx, 503, new JsonObject().put("error", "temporarily_unavailable").put("error_description", text));
    } else {
      Rest.text(ctx, 503, text);
    }
  }

  private static void internal(RoutingContext ctx, String what, Throwable err) {
    LOG.error("{} failed", what, err);
    if (!ctx.response().ended()) {
      Rest.text(ctx, 500, "internal error");
    }
  }
}
