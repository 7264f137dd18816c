package dev.skirmish.common;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What a service needs for its domain meters: the node's Micrometer registry (tagged with the node id), the
 * documents the node holds ({@link OwnedDocuments}) and how often gauges over them are counted again
 * ({@code METRICS_REFRESH_MS}). {@link #none()} when metrics are off: meters then go to a registry that keeps
 * nothing, so a service has one code path either way.
 */
public record ServiceMetrics(MeterRegistry registry, OwnedDocuments owned, long refreshMs) {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceMetrics.class);

  /** No metrics: a registry without backends (its meters do nothing) and no counting of documents. */
  public static ServiceMetrics none() {
    return new ServiceMetrics(new CompositeMeterRegistry(), null, 0);
  }

  /** Whether meters reach a scraped registry. */
  public boolean enabled() {
    return owned != null;
  }

  /** A gauge that reads the returned number (held strongly by the gauge); tags come in key, value pairs. */
  public AtomicLong gauge(String name, String description, String... tags) {
    AtomicLong value = new AtomicLong();
    Gauge.builder(name, value, AtomicLong::get).description(description).tags(tags).strongReference(true)
      .register(registry);
    return value;
  }

  /**
   * Every {@link #refreshMs}, hands the documents of {@code mapName} this node holds to {@code update} (on the
   * caller's context). Nothing when metrics are off.
   *
   * @return the periodic timer's id (cancel it on stop), or -1
   */
  public long watch(Vertx vertx, String mapName, Consumer<List<JsonObject>> update) {
    if (!enabled() || refreshMs <= 0) {
      return -1;
    }
    return vertx.setPeriodic(1, refreshMs, t -> owned.values(mapName)
      .map(values -> {
        List<JsonObject> docs = new ArrayList<>(values.size());
        for (String v : values) {
          docs.add(new JsonObject(v));
        }
        return docs;
      })
      .onSuccess(update::accept)
      .onFailure(err -> LOG.debug("Counting the documents of {} failed: {}", mapName, err.getMessage())));
  }
}
