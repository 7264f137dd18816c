package dev.skirmish.deploy.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The two loads of the relay benchmark, the same for every relay server ({@link RelayTarget}):
 * <ul>
 *   <li>{@link #closedLoop}: each peer streams load packets to its host with a fixed number in flight (a new one
 *   for each one delivered); one-way latency from the time stamp in the packet, on the driver's clock. Gives the
 *   throughput.</li>
 *   <li>{@link #roundTrips}: an open loop at a fixed rate: a peer sends a packet to its host, the host sends it
 *   back; latency of the round trip (two relays). Gives the tail latency at light load.</li>
 * </ul>
 * Both count what was sent, what arrived and every error reply, wait for what is in flight once the measurement
 * ends, and read the server's CPU time at the start and end of the measured interval.
 */
final class RelayLoad {

  /** How long the load waits, after the measurement, for what is still in flight before counting it lost. */
  private static final long DRAIN_MS = 5_000;

  /**
   * What a load measured.
   *
   * @param relays   relays delivered in the measured interval (two per round trip)
   * @param cpuNanos the server's CPU time in the measured interval (-1 when unknown)
   * @param lost     packets sent that never arrived
   * @param errors   error replies (a relay refused)
   */
  record Result(LatencyRecorder.Summary latency, long relays, long cpuNanos, long lost, long errors) {

    double relaysPerSecond() {
      return relays / latency.seconds();
    }

    /** Server CPU per relayed message, in microseconds (NaN when unknown). */
    double cpuMicrosPerRelay() {
      return cpuNanos < 0 || relays == 0 ? Double.NaN : cpuNanos / 1000.0 / relays;
    }
  }

  private RelayLoad() {
  }

  static Future<Result> closedLoop(Vertx vertx, String name, RelayTarget target, List<RelayTarget.Pair> pairs,
                                   int window, long warmupMs, long measureMs, LongSupplier serverCpu) {
    Counts c = new Counts();
    for (RelayTarget.Pair p : pairs) {
      p.host().onTraffic(text -> {
        if (!target.isRelayed(text)) {
          countError(target, text, c.errors);
          return;
        }
        c.delivered.incrementAndGet();
        c.recorder.record(System.nanoTime() - WsClient.stamp(text));
        if (c.running.get()) {
          c.sent.incrementAndGet();
          p.peer().send(target.packet(p.hostId(), System.nanoTime()));
        }
      });
      p.peer().onTraffic(text -> countError(target, text, c.errors));
    }
    for (RelayTarget.Pair p : pairs) {
      for (int w = 0; w < window; w++) {
        c.sent.incrementAndGet();
        p.peer().send(target.packet(p.hostId(), System.nanoTime()));
      }
    }
    return measure(vertx, c.recorder, name, warmupMs, measureMs, c.running, serverCpu, () -> { })
      .compose(m -> drain(vertx, c.sent, c.delivered).map(lost ->
        new Result(m.summary(), m.summary().messages(), m.cpuNanos(), lost, c.errors.get())));
  }

  static Future<Result> roundTrips(Vertx vertx, String name, RelayTarget target, List<RelayTarget.Pair> pairs,
                                   int perSecond, long warmupMs, long measureMs, LongSupplier serverCpu) {
    Counts c = new Counts();
    for (RelayTarget.Pair p : pairs) {
      p.host().onTraffic(text -> {
        if (target.isRelayed(text)) {
          p.host().send(target.packet(p.peerId(), WsClient.stamp(text)));
        } else {
          countError(target, text, c.errors);
        }
      });
      p.peer().onTraffic(text -> {
        if (target.isRelayed(text)) {
          c.delivered.incrementAndGet();
          c.recorder.record(System.nanoTime() - WsClient.stamp(text));
        } else {
          countError(target, text, c.errors);
        }
      });
    }
    long started = System.nanoTime();
    long timer = vertx.setPeriodic(1, id -> {
      if (!c.running.get()) {
        return;
      }
      long due = (System.nanoTime() - started) * perSecond / 1_000_000_000L;
      while (c.sent.get() < due) {
        RelayTarget.Pair p = pairs.get((int) (c.sent.getAndIncrement() % pairs.size()));
        p.peer().send(target.packet(p.hostId(), System.nanoTime()));
      }
    });
    return measure(vertx, c.recorder, name, warmupMs, measureMs, c.running, serverCpu, () -> vertx.cancelTimer(timer))
      .compose(m -> drain(vertx, c.sent, c.delivered).map(lost ->
        new Result(m.summary(), 2 * m.summary().messages(), m.cpuNanos(), lost, c.errors.get())));
  }

  /** What a load counts while it runs (its handlers run on several event loops). */
  private static final class Counts {
    final LatencyRecorder recorder = new LatencyRecorder();
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicLong sent = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
  }

  /** A reply that is neither a relayed packet nor an acknowledgement is an error. */
  private static void countError(RelayTarget target, String text, AtomicLong errors) {
    if (target.isError(text)) {
      if (errors.getAndIncrement() == 0) {
        System.err.println("relay error reply: " + text);
      }
    }
  }

  private record Measured(LatencyRecorder.Summary summary, long cpuNanos) {
  }

  /** Records after {@code warmupMs}, for {@code measureMs}, reading the server's CPU time at both ends; then stops. */
  private static Future<Measured> measure(Vertx vertx, LatencyRecorder recorder, String name, long warmupMs,
                                          long measureMs, AtomicBoolean running, LongSupplier serverCpu,
                                          Runnable stopSending) {
    Promise<Measured> done = Promise.promise();
    vertx.setTimer(warmupMs, t1 -> {
      long cpu0 = serverCpu.getAsLong();
      recorder.start();
      long started = System.nanoTime();
      vertx.setTimer(measureMs, t2 -> {
        recorder.stop();
        long cpu1 = serverCpu.getAsLong();
        running.set(false);
        stopSending.run();
        done.complete(new Measured(recorder.summary(name, (System.nanoTime() - started) / 1e9),
          cpu0 < 0 || cpu1 < 0 ? -1 : cpu1 - cpu0));
      });
    });
    return done.future();
  }

  /** Waits until everything sent has arrived, or {@link #DRAIN_MS}; completes with the number lost. */
  private static Future<Long> drain(Vertx vertx, AtomicLong sent, AtomicLong delivered) {
    Promise<Long> done = Promise.promise();
    long deadline = System.nanoTime() + DRAIN_MS * 1_000_000;
    vertx.setPeriodic(20, id -> {
      long lost = sent.get() - delivered.get();
      if (lost <= 0 || System.nanoTime() > deadline) {
        vertx.cancelTimer(id);
        done.complete(Math.max(0, lost));
      }
    });
    return done.future();
  }
}
