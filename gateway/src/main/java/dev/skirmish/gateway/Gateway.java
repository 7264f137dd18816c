package dev.skirmish.gateway;

import dev.skirmish.common.AckedEvents;
import dev.skirmish.common.DatabaseHealth;
import dev.skirmish.common.Failures;
import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.SessionDirectory;
import dev.skirmish.common.Setting;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

/** What every connection handler of a gateway node shares. */
record Gateway(
  Vertx vertx,
  NodeConfig config,
  String nodeId,
  DatabaseHealth database,
  AccountRepository accounts,
  PasswordHasher hasher,
  TokenService tokens,
  ConnectionRegistry connections,
  SessionDirectory fafSessions,
  SessionDirectory omegaSessions,
  RelayCache relayCache,
  NodeTextBatches textBatches,
  FafGameRelay fafRelay,
  PresenceTick presence,
  LoginLog loginLog,
  CountryLookup countries,
  DisabledCommands disabled,
  LoginThrottle throttle,
  ConnectionLimits connectionLimits,
  AckedEvents events,
  GatewayMeters meters,
  GameOrigins origins) {

  /**
   * Whether {@code err} means the database cannot be reached ({@link Failures#isUnavailable}); if so, the
   * database is probed at once, so {@code /ready} follows without waiting for the next probe.
   */
  boolean unavailable(Throwable err) {
    if (!Failures.isUnavailable(err)) {
      return false;
    }
    database.failed(err);
    return true;
  }

  DeliveryOptions requestOptions() {
    return new DeliveryOptions().setSendTimeout(config.getLong(Setting.REQUEST_TIMEOUT_MS));
  }
}
