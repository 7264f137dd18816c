package dev.skirmish.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open connections of this gateway node per IP address, both protocols and every door counted together,
 * at most {@code MAX_CONNECTIONS_PER_IP} each. A connection takes a slot when its socket opens and gives it
 * back when the socket closes.
 */
final class ConnectionLimits {

  private final int perAddress;
  private final Map<String, Integer> open = new ConcurrentHashMap<>();

  ConnectionLimits(int perAddress) {
    this.perAddress = perAddress;
  }

  /** Takes a slot for {@code address}; false (and no slot) when the address is at its limit. */
  boolean open(String address) {
    boolean[] taken = {false};
    open.compute(key(address), (k, n) -> {
      int count = n == null ? 0 : n;
      if (count >= perAddress) {
        return n;
      }
      taken[0] = true;
      return count + 1;
    });
    return taken[0];
  }

  /** Gives back the slot of a connection from {@code address} that {@link #open} let in. */
  void closed(String address) {
    open.computeIfPresent(key(address), (k, n) -> n <= 1 ? null : n - 1);
  }

  int limit() {
    return perAddress;
  }

  private static String key(String address) {
    return address == null ? "" : address;
  }
}
