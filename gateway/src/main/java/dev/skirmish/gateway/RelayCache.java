package dev.skirmish.gateway;

import dev.skirmish.common.SessionDirectory.Entry;
import io.vertx.core.json.JsonArray;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Directory entries of CL Omega relay recipients, as last read by this gateway; dropped on change events. */
final class RelayCache {

  private static final int MAX_ENTRIES = 200_000;

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  Entry get(String id) {
    return entries.get(id);
  }

  void put(String id, Entry entry) {
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear();
    }
    entries.put(id, entry);
  }

  void invalidate(String id) {
    if (id != null) {
      entries.remove(id);
    }
  }

  void invalidate(JsonArray ids) {
    for (Object id : ids) {
      invalidate((String) id);
    }
  }

  /** Drops every cached mapping to this entry's connection. */
  void invalidate(Entry entry) {
    entries.values().removeIf(e -> e.connection().equals(entry.connection()));
  }
}
