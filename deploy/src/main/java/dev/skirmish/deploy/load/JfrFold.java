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
 * Folds the CPU samples ({@code jdk.ExecutionSample}) of a Java Flight Recording into folded stacks, one line per
 * distinct stack, root first, with its sample count ({@code frame;frame;…;leaf count}): the input of any flame
 * graph renderer (flamegraph.pl, speedscope). Optionally only the samples of threads whose name starts with a
 * prefix. {@code java -cp skirmish-all.jar dev.skirmish.deploy.load.JfrFold in.jfr out.folded [thread-prefix]}
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
        if (!"jdk.ExecutionSample".equals(e.getEventType().getName())) {
          continue;
        }
        var thread = e.getThread("sampledThread");
        if (thread != null && thread.getJavaName() != null && !thread.getJavaName().startsWith(prefix)) {
          continue;
        }
        RecordedStackTrace trace = e.getStackTrace();
        if (trace == null) {
          continue;
        }
        List<String> frames = new ArrayList<>();
        List<RecordedFrame> list = trace.getFrames();
        for (int i = list.size() - 1; i >= 0; i--) {
          RecordedFrame f = list.get(i);
          String type = f.getMethod().getType() == null ? "?" : f.getMethod().getType().getName();
          frames.add((type + "." + f.getMethod().getName()).replace(';', ',').replace(' ', '_'));
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
}
