package dev.skirmish.gateway;

import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.Setting;

import java.util.Locale;

/**
 * The limits on password logins and registrations of one gateway node: every request to the login, token
 * and register endpoints and every FAF {@code hello} counts against its IP address
 * ({@code AUTH_REQUESTS_PER_IP} per {@code AUTH_REQUEST_WINDOW_SECONDS}); every wrong password counts against
 * its account ({@code LOGIN_FAILURES_PER_ACCOUNT} per {@code LOGIN_FAILURE_WINDOW_SECONDS}), and an account
 * at its limit is refused before its password is even checked. Each method answers 0 for "go ahead", else
 * the seconds after which a retry may succeed.
 */
final class LoginThrottle {

  private final RateLimiter perIp;
  private final RateLimiter failures;

  LoginThrottle(NodeConfig config) {
    this.perIp = new RateLimiter(config.getInt(Setting.AUTH_REQUESTS_PER_IP),
      config.getLong(Setting.AUTH_REQUEST_WINDOW_SECONDS) * 1000);
    this.failures = new RateLimiter(config.getInt(Setting.LOGIN_FAILURES_PER_ACCOUNT),
      config.getLong(Setting.LOGIN_FAILURE_WINDOW_SECONDS) * 1000);
  }

  /** Counts one request from {@code ip}. */
  long request(String ip) {
    return perIp.hit(ip == null ? "" : ip);
  }

  /** Whether the account (by id when it exists, else by the name given) may try a password now. */
  long accountBlocked(Integer accountId, String name) {
    return failures.retryAfter(key(accountId, name));
  }

  /** Counts a wrong password for the account. */
  void failed(Integer accountId, String name) {
    failures.hit(key(accountId, name));
  }

  private static String key(Integer accountId, String name) {
    return accountId != null ? "#" + accountId : String.valueOf(name).trim().toLowerCase(Locale.ROOT);
  }

  /** Forgets finished windows; called periodically. */
  void prune() {
    perIp.prune();
    failures.prune();
  }
}
