package dev.skirmish.common.testing;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.concurrent.atomic.AtomicInteger;

/** Creates accounts and tokens through the real REST endpoints of a node. */
public final class TestAccounts {

  private static final AtomicInteger SEQ = new AtomicInteger();

  /** A registered account and its password. */
  public record Account(String username, String email, String password) {
  }

  private final WebClient web;
  private final int port;

  public TestAccounts(Vertx vertx, int port) {
    this.web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    this.port = port;
  }

  public WebClient web() {
    return web;
  }

  /** A fresh, unique user name (3 to 20 characters). */
  public static String uniqueName(String prefix) {
    String suffix = Long.toString(System.nanoTime() % 1_000_000_000L, 36) + SEQ.incrementAndGet();
    String name = prefix + suffix;
    return name.length() > 20 ? name.substring(name.length() - 20) : name;
  }

  /** Registers a new account with a unique name; fails unless the server answers 201. */
  public Future<Account> register(String prefix) {
    String username = uniqueName(prefix);
    Account account = new Account(username, username.toLowerCase() + "@example.com", "password-" + username);
    return web.post("/api/v0/register").sendJsonObject(new JsonObject()
        .put("username", account.username()).put("email", account.email()).put("password", account.password()))
      .compose(resp -> resp.statusCode() == 201
        ? Future.succeededFuture(account)
        : Future.failedFuture("register answered " + resp.statusCode() + ": " + resp.bodyAsString()));
  }

  /** POSTs the password grant and returns the whole response. */
  public Future<HttpResponse<io.vertx.core.buffer.Buffer>> tokenResponse(String username, String password, String scope) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap()
      .add("grant_type", "password").add("username", username).add("password", password);
    if (scope != null) {
      form.add("scope", scope);
    }
    return web.post("/oauth2/token").sendForm(form);
  }

  /** An FAF access token (scope lobby). */
  public Future<String> fafToken(Account account) {
    return tokenResponse(account.username(), account.password(), "lobby").compose(resp -> resp.statusCode() == 200
      ? Future.succeededFuture(resp.bodyAsJsonObject().getString("access_token"))
      : Future.failedFuture("token answered " + resp.statusCode() + ": " + resp.bodyAsString()));
  }

  /** A CL Omega session token, bound to {@code origin} when not null. */
  public Future<String> omegaToken(Account account, String origin) {
    var req = web.post("/api/v0/login");
    if (origin != null) {
      req.putHeader("Origin", origin);
    }
    return req.sendJsonObject(new JsonObject().put("email", account.email()).put("password", account.password()))
      .compose(resp -> resp.statusCode() == 200
        ? Future.succeededFuture(resp.bodyAsString())
        : Future.failedFuture("login answered " + resp.statusCode() + ": " + resp.bodyAsString()));
  }

  public int port() {
    return port;
  }
}
