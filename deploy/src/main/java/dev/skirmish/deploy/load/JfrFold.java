package dev.skirmish.deploy.load;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds the CPU samples of a Java Flight Recording into folded stacks, one line per
 * distinct stack, root first, with its sample count ({@code frame;frame;…;leaf count}): the input of any flame
 * graph renderer (flamegraph.pl, speedscope). Optionally only the samples of threads whose name starts with a
 * prefix. {@code java -cp skirmish-all.jar dev.skirmish.deploy.load.JfrFold in.jfr out.folded [thread-prefix]}
 *
 * <p>The samples are those of threads running Java code ({@code jdk.ExecutionSample}) and of threads in native code
 * ({@code jdk.NativeMethodSample}: socket writes and reads, wake-ups), less those waiting for I/O or a lock (a
 * selector's wait, a park), which cost no CPU. Record both at the same period to weigh them alike, e.g.
 * {@code -XX:StartFlightRecording=filename=x.jfr,settings=profile,jdk.NativeMethodSample#period=10ms}.
 */
public final class JfrFold {

  private JfrFold() {
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: JfrFold recording.jfr out.folded [thread-name-prefix]");
      System.exit(2);
    }
    String prefix = args.length > 2 ? args[2] : "";
    Map<String, Long> stacks = new HashMap<>();
    long total = 0;
    try (RecordingFile file = new RecordingFile(Path.of(args[0]))) {
      while (file.hasMoreEvents()) {
        RecordedEvent e = file.readEvent();
        String type = e.getEventType().getName();
        if (!"jdk.ExecutionSample".equals(type) && !"jdk.NativeMethodSample".equals(type)) {
          continue;
        }
        var thread = e.getThread("sampledThread");
        if (thread != null && thread.getJavaName() != null && !thread.getJavaName().startsWith(prefix)) {
          continue;
        }
        RecordedStackTrace trace = e.getStackTrace();
        if (trace == null || trace.getFrames().isEmpty()
          || "jdk.NativeMethodSample".equals(type) && waiting(trace.getFrames().get(0))) {
          continue;
        }
        List<String> frames = new ArrayList<>();
        List<RecordedFrame> list = trace.getFrames();
        for (int i = list.size() - 1; i >= 0; i--) {
          RecordedFrame f = list.get(i);
          frames.add(name(f).replace(';', ',').replace(' ', '_'));
        }
        stacks.merge(String.join(";", frames), 1L, Long::sum);
        total++;
      }
    }
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8))) {
      stacks.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(en -> out.println(en.getKey() + " " + en.getValue()));
    }
    System.out.println(total + " samples, " + stacks.size() + " distinct stacks, in " + args[1]);
  }

  private static String name(RecordedFrame f) {
    return (f.getMethod().getType() == null ? "?" : f.getMethod().getType().getName()) + "." + f.getMethod().getName();
  }

  /** Whether a native frame waits (for I/O readiness, a lock or time) rather than works. */
  private static boolean waiting(RecordedFrame top) {
    String n = name(top);
    return n.endsWith("EPoll.wait") || n.endsWith("EPollArrayWrapper.epollWait") || n.endsWith(".poll")
      || n.endsWith(".poll0") || n.endsWith("Unsafe.park") || n.endsWith("Object.wait") || n.endsWith("Thread.sleep")
      || n.endsWith("Native.epollWait") || n.endsWith("Native.epollWait0") || n.endsWith(".accept0");
  }
}
