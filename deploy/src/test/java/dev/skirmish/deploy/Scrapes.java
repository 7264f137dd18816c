package dev.skirmish.deploy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.DoublePredicate;

/** Reads Prometheus text from a node's {@code /metrics}: one series' value, or a wait until a series has a wanted value. */
final class Scrapes {

  private Scrapes() {
  }

  /**
   * The value of the first series named {@code name} whose labels include {@code labels} (key, value pairs), or
   * empty when there is none.
   */
  static OptionalDouble value(String body, String name, String... labels) {
    for (String line : body.split("\n")) {
      if (line.startsWith("#") || !line.startsWith(name)) {
        continue;
      }
      String rest = line.substring(name.length());
      Map<String, String> tags = new HashMap<>();
      if (rest.startsWith("{")) {
        int end = rest.indexOf('}');
        for (String pair : rest.substring(1, end).split(",")) {
          int eq = pair.indexOf('=');
          if (eq > 0) {
            tags.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
          }
        }
        rest = rest.substring(end + 1);
      } else if (!rest.startsWith(" ")) {
        continue; // another series whose name starts with this one
      }
      boolean matches = true;
      for (int i = 0; i < labels.length; i += 2) {
        matches &= labels[i + 1].equals(tags.get(labels[i]));
      }
      if (matches) {
        return OptionalDouble.of(Double.parseDouble(rest.trim().split(" ")[0]));
      }
    }
    return OptionalDouble.empty();
  }

  /**
   * Scrapes {@code http://127.0.0.1:port/metrics} every 100 ms until the series {@code name} with {@code labels}
   * has a value that {@code wanted} accepts (gauges over documents are counted every METRICS_REFRESH_MS); the
   * test's own time-out bounds the wait. Completes with the body of that scrape.
   */
  static Future<String> await(Vertx vertx, int port, DoublePredicate wanted, String name, String... labels) {
    WebClient web = WebClient.create(vertx);
    Promise<String> found = Promise.promise();
    long timer = vertx.setPeriodic(1, 100, id -> web.get(port, "127.0.0.1", "/metrics").send().onSuccess(resp -> {
      OptionalDouble v = value(resp.bodyAsString(), name, labels);
      if (v.isPresent() && wanted.test(v.getAsDouble())) {
        found.tryComplete(resp.bodyAsString());
      }
    }));
    return found.future().onComplete(ar -> {
      vertx.cancelTimer(timer);
      web.close();
    });
  }
}
