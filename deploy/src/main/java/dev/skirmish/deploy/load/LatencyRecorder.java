package dev.skirmish.deploy.load;

import java.util.Arrays;

/** Records latencies (nanoseconds) of delivered messages and summarises them. Thread-confined per run. */
final class LatencyRecorder {

  private long[] samples = new long[1 << 16];
  private int count;
  private boolean recording;

  synchronized void start() {
    recording = true;
  }

  synchronized void stop() {
    recording = false;
  }

  synchronized void record(long nanos) {
    if (!recording) {
      return;
    }
    if (count == samples.length) {
      samples = Arrays.copyOf(samples, samples.length * 2);
    }
    samples[count++] = nanos;
  }

  /** Delivered messages per second, p50, p99 and p99.9 latency in milliseconds. */
  record Summary(String name, long messages, double seconds, double perSecond, double p50Ms, double p99Ms,
                 double p999Ms) {
  }

  synchronized Summary summary(String name, double seconds) {
    long[] sorted = Arrays.copyOf(samples, count);
    Arrays.sort(sorted);
    return new Summary(name, count, seconds, count / seconds, percentile(sorted, 0.50), percentile(sorted, 0.99),
      percentile(sorted, 0.999));
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1_000_000.0;
  }
}
