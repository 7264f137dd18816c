package dev.skirmish.gateway;

/**
 * A token bucket on the inbound messages of one connection: {@code INBOUND_MESSAGES_PER_SECOND} on average,
 * bursts of up to {@code INBOUND_MESSAGE_BURST}. A message beyond it is dropped; the first drop of a spell
 * asks for a warning, and a client that keeps sending until another whole burst has been dropped before the
 * bucket refilled is to be disconnected. A spell ends once the bucket is full again.
 */
final class MessageRateLimit {


  private final double perNano;
  private final double burst;
  private double tokens;
  private long last = System.nanoTime();
  private int dropped;

  MessageRateLimit(int perSecond, int burst) {
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
  }

  /**
   * Counts one inbound message: true to handle it; false to drop it, after running {@code warn} for the first
   * drop of a spell, or {@code disconnect} once the client has gone on until another whole burst was dropped.
   */
  boolean admit(Runnable warn, Runnable disconnect) {
    long now = System.nanoTime();
    tokens = Math.min(burst, tokens + (now - last) * perNano);
    last = now;
    if (tokens >= burst) {
      dropped = 0;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    dropped++;
    if (dropped == 1) {
      warn.run();
    } else if (dropped > burst) {
      disconnect.run();
    }
    return false;
  }
}
