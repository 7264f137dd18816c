package dev.skirmish.party;

import dev.skirmish.common.Addresses;
import dev.skirmish.common.CommandHandlers;
import dev.skirmish.common.NodeConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/** The FAF party service. */
public final class PartyVerticle extends VerticleBase {

  private final NodeConfig config;

  public PartyVerticle(NodeConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    // Party readiness is not part of the protocol: clients that send it get a harmless no-op.
    CommandHandlers commands = CommandHandlers.faf()
      .on("ready_party", r -> Future.succeededFuture(new JsonObject()))
      .on("unready_party", r -> Future.succeededFuture(new JsonObject()));
    return vertx.eventBus().<JsonObject>consumer(Addresses.PARTY_COMMAND, commands::handle).completion();
  }
}
