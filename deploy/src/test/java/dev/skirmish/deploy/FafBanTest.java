package dev.skirmish.deploy;

import dev.skirmish.common.testing.FafClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafTestSupport.account;
import static dev.skirmish.deploy.FafTestSupport.auth;
import static dev.skirmish.deploy.FafTestSupport.commands;
import static dev.skirmish.deploy.FafTestSupport.hello;
import static dev.skirmish.deploy.FafTestSupport.sha256Hex;
import static org.assertj.core.api.Assertions.assertThat;

/** Lobby bans (table {@code ban}) at FAF login. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FafBanTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode();

  private static Future<Void> ban(int playerId, String level, String reason, OffsetDateTime expiresAt,
                                  OffsetDateTime revokeTime) {
    return NODE.node().database().pool().preparedQuery(
        "INSERT INTO ban (player_id, reason, level, expires_at, revoke_time, revoke_reason) VALUES ($1, $2, $3, $4, $5, $6)")
      .execute(Tuple.of(playerId, reason, level, expiresAt, revokeTime, revokeTime == null ? null : "appeal accepted"))
      .mapEmpty();
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }

  /** Logs in with {@code message} and expects a ban notice quoting {@code reason}, then the close. */
  private static Future<JsonObject> expectBanned(Vertx vertx, VertxTestContext ctx, JsonObject message, String reason) {
    return FafClient.webSocket(vertx, NODE.httpPort()).compose(client -> {
      client.send(message);
      return client.expectNotice("error").compose(notice -> client.expectClosed().map(v -> {
        ctx.verify(() -> {
          assertThat(notice.getString("text")).containsIgnoringCase("banned").contains(reason);
          assertThat(commands(client)).containsExactly("notice");
        });
        return notice;
      }));
    });
  }

  @Test
  @DisplayName("a permanent GLOBAL ban: auth gets an error notice naming the ban (forever), then the connection closes")
  void permanentBanViaToken(Vertx vertx, VertxTestContext ctx) {
    account(vertx, NODE.node(), "banned").compose(p -> ban(p.id(), "GLOBAL", "griefing in ranked games", null, null)
        .compose(v -> expectBanned(vertx, ctx, auth(p.token()), "griefing in ranked games")))
      .onSuccess(notice -> ctx.verify(() -> assertThat(notice.getString("text")).contains("forever")))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a GLOBAL ban that expires in two days: hello gets the ban notice with its end, then the close")
  void temporaryBanViaHello(Vertx vertx, VertxTestContext ctx) {
    account(vertx, NODE.node(), "tempban").compose(p -> ban(p.id(), "GLOBAL", "flaming", now().plusDays(2), null)
        .compose(v -> expectBanned(vertx, ctx, hello(p.login(), sha256Hex(p.account().password())), "flaming")))
      .onSuccess(notice -> ctx.verify(() -> assertThat(notice.getString("text")).doesNotContain("forever")))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("expired, revoked and chat-only bans do not stop a login")
  void inactiveBansAllowLogin(Vertx vertx, VertxTestContext ctx) {
    account(vertx, NODE.node(), "oldbans").compose(p -> ban(p.id(), "GLOBAL", "expired", now().minusDays(1), null)
        .compose(v -> ban(p.id(), "GLOBAL", "revoked", null, now().minusHours(1)))
        .compose(v -> ban(p.id(), "GLOBAL", "revoked temporary", now().plusDays(3), now().minusHours(1)))
        .compose(v -> ban(p.id(), "CHAT", "chat only", null, null))
        .compose(v -> FafClient.webSocket(vertx, NODE.httpPort()))
        .compose(client -> client.login(p.token()).map(welcome -> {
          ctx.verify(() -> {
            assertThat(welcome.getInteger("id")).isEqualTo(p.id());
            assertThat(commands(client)).doesNotContain("notice");
          });
          return client;
        })))
      .compose(FafClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("an expired ban alone does not stop hello; a revoked ban alone does not stop auth")
  void expiredAndRevokedBansSeparately(Vertx vertx, VertxTestContext ctx) {
    Future<FafClient> expired = account(vertx, NODE.node(), "expban").compose(p ->
      ban(p.id(), "GLOBAL", "expired", now().minusMinutes(1), null)
        .compose(v -> FafClient.webSocket(vertx, NODE.httpPort()))
        .compose(client -> {
          client.send(hello(p.login(), sha256Hex(p.account().password())));
          return client.expect("welcome").map(w -> client);
        }));
    Future<FafClient> revoked = account(vertx, NODE.node(), "revban").compose(p ->
      ban(p.id(), "GLOBAL", "revoked", null, now().minusMinutes(1))
        .compose(v -> FafClient.webSocket(vertx, NODE.httpPort()))
        .compose(client -> client.login(p.token()).map(w -> client)));
    Future.all(expired, revoked)
      .compose(all -> Future.all(expired.result().close(), revoked.result().close()))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a banned player's failed login leaves nothing online: others see no player_info for them")
  void bannedPlayerIsNeverOnline(Vertx vertx, VertxTestContext ctx) {
    FafTestSupport.loggedIn(vertx, NODE.node(), "banwatch").compose(watcher -> account(vertx, NODE.node(), "banned2")
      .compose(p -> ban(p.id(), "GLOBAL", "cheating", null, null)
        .compose(v -> expectBanned(vertx, ctx, auth(p.token()), "cheating"))
        // A later login is the sentinel: its broadcast arrives after anything the banned login could have caused.
        .compose(n -> FafTestSupport.loggedIn(vertx, NODE.node(), "sentinel"))
        .compose(sentinel -> watcher.client().inbox()
          .next(FafTestSupport.online(sentinel.id()), "sentinel player_info")
          .map(m -> {
            ctx.verify(() -> assertThat(watcher.client().inbox().history())
              .noneMatch(msg -> FafTestSupport.players(msg).stream().anyMatch(pl -> pl.getInteger("id") == p.id())));
            return sentinel;
          }))
        .compose(sentinel -> sentinel.client().close())
        .compose(v -> watcher.client().close())))
      .onComplete(ctx.succeedingThenComplete());
  }
}
