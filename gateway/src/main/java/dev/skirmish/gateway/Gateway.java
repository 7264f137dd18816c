package dev.skirmish.gateway;

import dev.skirmish.common.AckedEvents;
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
  AccountRepository accounts,
  PasswordHasher hasher,
  TokenService tokens,
  ConnectionRegistry connections,
  SessionDirectory fafSessions,
  SessionDirectory omegaSessions,
  RelayCache relayCache,
  PresenceTick presence,
  LoginLog loginLog,
  CountryLookup countries,
  DisabledCommands disabled,
  LoginThrottle throttle,
  ConnectionLimits connectionLimits,
  AckedEvents events) {

  DeliveryOptions requestOptions() {
    return new DeliveryOptions().setSendTimeout(config.getLong(Setting.REQUEST_TIMEOUT_MS));
  }
}
