package dev.skirmish.gateway;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The connections of this gateway node, by id. Node-local: nothing here is registered in the cluster. */
public final class ConnectionRegistry {

  private final Map<String, ClientConnection> connections = new ConcurrentHashMap<>();

  public void add(ClientConnection c) {
    connections.put(c.id(), c);
  }

  public void remove(ClientConnection c) {
    connections.remove(c.id(), c);
  }

  public ClientConnection get(String id) {
    return id == null ? null : connections.get(id);
  }

  public Collection<ClientConnection> all() {
    return connections.values();
  }

  public int size() {
    return connections.size();
  }
}
