package dev.skirmish.deploy;

import dev.skirmish.common.NodeConfig;
import dev.skirmish.common.Setting;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The clustered event bus's network options: where it binds and, when {@code EVENTBUS_TLS_CERT}, {@code
 * EVENTBUS_TLS_KEY} and {@code EVENTBUS_TLS_CA} are set, mutual TLS: every node presents its certificate and
 * accepts only peers whose certificate the configured authority signed, so a host that can reach the port
 * but holds no such certificate can neither send a service a command nor receive one. Host names are not
 * verified (nodes reach each other by address); the shared authority is the membership check.
 */
final class EventBusSecurity {

  private EventBusSecurity() {
  }

  static EventBusOptions options(NodeConfig config) {
    String host = config.get(Setting.EVENTBUS_HOST);
    String publicHost = config.get(Setting.EVENTBUS_PUBLIC_HOST);
    EventBusOptions options = new EventBusOptions().setHost(host)
      .setClusterPublicHost(publicHost.isBlank() ? host : publicHost);
    List<Setting> tls = List.of(Setting.EVENTBUS_TLS_CERT, Setting.EVENTBUS_TLS_KEY, Setting.EVENTBUS_TLS_CA);
    long set = tls.stream().filter(s -> !config.get(s).isBlank()).count();
    if (set == 0) {
      return options;
    }
    if (set < tls.size()) {
      throw new IllegalArgumentException("event-bus TLS needs all of EVENTBUS_TLS_CERT, EVENTBUS_TLS_KEY and"
        + " EVENTBUS_TLS_CA; only some are set");
    }
    for (Setting s : tls) {
      if (!Files.isReadable(Path.of(config.get(s)))) {
        throw new IllegalArgumentException(s.name() + ": cannot read " + config.get(s));
      }
    }
    return options.setSsl(true)
      .setClientAuth(ClientAuth.REQUIRED)
      .setKeyCertOptions(new PemKeyCertOptions().setCertPath(config.get(Setting.EVENTBUS_TLS_CERT))
        .setKeyPath(config.get(Setting.EVENTBUS_TLS_KEY)))
      .setTrustOptions(new PemTrustOptions().addCertPath(config.get(Setting.EVENTBUS_TLS_CA)));
  }
}
