package dev.skirmish.gateway;

import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals of one gateway node's traffic for the operator console: inbound messages per protocol and
 * relays sent on (FAF {@code IceMsg}, CL Omega MAKE_OFFER/MAKE_ANSWER/ICE). The console turns the totals of
 * two status publishes into rates.
 */
final class TrafficCounters {

  private final LongAdder fafIn = new LongAdder();
  private final LongAdder omegaIn = new LongAdder();
  private final LongAdder fafRelays = new LongAdder();
  private final LongAdder omegaRelays = new LongAdder();

  void fafIn() {
    fafIn.increment();
  }

  void omegaIn() {
    omegaIn.increment();
  }

  void fafRelay() {
    fafRelays.increment();
  }

  void omegaRelay() {
    omegaRelays.increment();
  }

  JsonObject totals() {
    return new JsonObject().put("faf_in", fafIn.sum()).put("omega_in", omegaIn.sum())
      .put("faf_relays", fafRelays.sum()).put("omega_relays", omegaRelays.sum());
  }
}
