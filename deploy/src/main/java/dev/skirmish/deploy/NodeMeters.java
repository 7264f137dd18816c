package dev.skirmish.deploy;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.Partition;
import dev.skirmish.common.OwnedDocuments;
import dev.skirmish.common.ServiceMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Prometheus registry of one node, every series tagged {@code node=<node id>}: JVM memory, GC, threads and
 * class loading, process CPU, open files and uptime from the start, the Hazelcast gauges
 * ({@code skirmish.cluster.members}, {@code skirmish.cluster.partitions.owned}) once the node is clustered; Vert.x
 * adds its event-bus and HTTP meters, the services their domain meters ({@link ServiceMetrics}).
 */
final class NodeMeters implements AutoCloseable {

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;

  NodeMeters(String nodeId) {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Before any meter is registered, so that Vert.x's own meters carry the tag too.
    registry.config().commonTags("node", nodeId);
    new JvmMemoryMetrics().bindTo(registry);
    gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Adds the cluster gauges of the member {@code hz}: members it sees, partitions it owns. */
  void watchCluster(HazelcastInstance hz) {
    Gauge.builder("skirmish.cluster.members", hz, h -> h.getCluster().getMembers().size())
      .description("Members of the Hazelcast cluster as this node sees them").register(registry);
    Gauge.builder("skirmish.cluster.partitions.owned", hz, NodeMeters::ownedPartitions)
      .description("Hazelcast partitions this node owns").register(registry);
  }

  private static double ownedPartitions(HazelcastInstance hz) {
    long n = 0;
    for (Partition p : hz.getPartitionService().getPartitions()) {
      if (p.getOwner() != null && p.getOwner().localMember()) {
        n++;
      }
    }
    return n;
  }

  /** What the services of the node get: this registry and the documents the node holds. */
  ServiceMetrics services(Vertx vertx, HazelcastInstance hz, long refreshMs) {
    return new ServiceMetrics(registry, owned(vertx, hz), refreshMs);
  }

  /** Clustered, the values in this member's partitions (local reads, off the event loop); standalone, all. */
  private static OwnedDocuments owned(Vertx vertx, HazelcastInstance hz) {
    if (hz == null) {
      return name -> vertx.sharedData().<String, String>getAsyncMap(name).compose(AsyncMap::values);
    }
    return name -> vertx.executeBlocking(() -> {
      IMap<Object, Object> map = hz.getMap(name);
      Set<Object> keys = map.localKeySet();
      Map<Object, Object> all = keys.isEmpty() ? Map.of() : map.getAll(keys);
      List<String> values = new ArrayList<>(all.size());
      for (Object v : all.values()) {
        if (v instanceof String s) {
          values.add(s);
        }
      }
      return values;
    }, false);
  }

  /** Stops listening to GC events (the registry itself is closed with Vert.x). */
  @Override
  public void close() {
    gc.close();
  }
}
