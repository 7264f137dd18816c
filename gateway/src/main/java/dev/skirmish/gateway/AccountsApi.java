package dev.skirmish.gateway;

import dev.skirmish.common.Bans;
import dev.skirmish.common.Ids;
import dev.skirmish.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
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

  private final Gateway gw;

  AccountsApi(Gateway gw) {
    this.gw = gw;
  }

  /**
   * The operations of the OpenAPI document this class serves. Register and login (both prefixes) allow CORS
   * from registered game origins and count against the address's rate limit before validation, and word a
   * refused request in the CL Omega reference's plain text; the token endpoint counts too, and answers in the
   * OAuth 2.0 error shape (the REST error shape) with {@code Cache-Control: no-store}.
   */
  Map<String, RestOperation> operations(Cors cors) {
    Map<String, RestOperation> ops = new HashMap<>();
    List<Handler<RoutingContext>> omegaBefore = List.of(cors::actual, ctx -> limited(ctx, false));
    for (String suffix : List.of("", "Unversioned")) {
      ops.put("register" + suffix, new RestOperation(omegaBefore, this::register, ctx -> refuse(ctx, true)));
      ops.put("login" + suffix, new RestOperation(omegaBefore, this::login, ctx -> refuse(ctx, false)));
      ops.put("register" + suffix + "Preflight", RestOperation.of(cors::preflight));
      ops.put("login" + suffix + "Preflight", RestOperation.of(cors::preflight));
    }
    ops.put("token", new RestOperation(List.of(ctx -> {
      ctx.response().putHeader("Cache-Control", "no-store");
      limited(ctx, true);
    }), this::token, RestErrors::failure));
    ops.put("jwks", RestOperation.of(ctx -> ctx.response()
      .putHeader("Content-Type", "application/json")
      .end(gw.tokens().jwks().encode())));
    return ops;
  }

  /** Before validation: over the address's limit, 429; else on to the next handler. */
  private void limited(RoutingContext ctx, boolean oauth) {
    if (!overAddressLimit(ctx, oauth)) {
      ctx.next();
    }
  }

  /**
   * A register or login request the router refused: a 400 in the CL Omega reference's plain text (the
   * failing fields' lines, or a malformed body), anything else in the REST error shape.
   */
  private void refuse(RoutingContext ctx, boolean register) {
    int status = RestErrors.status(ctx);
    if (status != 400) {
      RestErrors.failure(ctx);
      return;
    }
    JsonObject json = Rest.jsonBody(ctx);
    if (json == null) {
      Rest.text(ctx, 400, "Malformed JSON body");
      return;
    }
    for (String field : register ? List.of("username", "password", "email") : List.of("email", "password")) {
      if (json.getValue(field) != null && !(json.getValue(field) instanceof String)) {
        Rest.text(ctx, 400, "Malformed JSON body: " + field + " must be a string");
        return;
      }
    }
    List<String> errors = register ? registerErrors(json) : loginErrors(json);
    if (errors.isEmpty()) {
      // the document's rule and the reference's disagree: the document decides, the words stay the reference's
      errors = List.of(RestErrors.description(ctx, 400));
    }
    validationFailed(ctx, errors);
  }

  /** The reference's 400: {@code Validation failed:} and one line per failing field. */
  private static void validationFailed(RoutingContext ctx, List<String> errors) {
    Rest.text(ctx, 400, "Validation failed:\n" + String.join("\n", errors) + "\n");
  }

  private static String str(JsonObject json, String key) {
    return json.getValue(key) instanceof String s ? s : null;
  }

  /** The reference's validation of a register body, one line per failing field. */
  static List<String> registerErrors(JsonObject json) {
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
    return errors;
  }

  /** The reference's validation of a login body. */
  static List<String> loginErrors(JsonObject json) {
    List<String> errors = new ArrayList<>();
    for (String field : List.of("email", "password")) {
      String value = str(json, field);
      if (value == null || value.isEmpty()) {
        errors.add(field + ": required");
      }
    }
    return errors;
  }

  /** The body when it keeps the reference's rules; otherwise answers the reference's 400 and returns null. */
  private static JsonObject checked(RoutingContext ctx, Function<JsonObject, List<String>> rules) {
    JsonObject json = Rest.jsonBody(ctx);
    if (json == null) {
      Rest.text(ctx, 400, "Malformed JSON body");
      return null;
    }
    List<String> errors = rules.apply(json);
    if (!errors.isEmpty()) {
      validationFailed(ctx, errors);
      return null;
    }
    return json;
  }

  private void register(RoutingContext ctx) {
    JsonObject json = checked(ctx, AccountsApi::registerErrors);
    if (json == null) {
      return;
    }
    String username = str(json, "username");
    String password = str(json, "password");
    String email = str(json, "email");
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
    JsonObject json = checked(ctx, AccountsApi::loginErrors);
    if (json == null) {
      return;
    }
    String email = str(json, "email");
    String password = str(json, "password");
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
