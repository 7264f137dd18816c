package dev.skirmish.deploy.load;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server's live objects by class, as {@code jcmd <pid> GC.class_histogram} prints them (after the full
 * collection that command runs). Two of them, read with N connections open and with none, say where the
 * heap per connection goes: {@link #growthPerConnection} lists the classes whose bytes grew the most, per
 * connection.
 */
public record HeapHistogram(Map<String, long[]> byClass) {

  /** {@code num: #instances #bytes class name (module)}. */
  private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

  /** One class's growth: instances and bytes per connection. */
  public record Growth(String className, double instancesPerConnection, double bytesPerConnection) {
  }

  /** Reads the text of {@code GC.class_histogram}; lines that are not rows (headers, the total) are skipped. */
  public static HeapHistogram parse(String text) {
    Map<String, long[]> rows = new HashMap<>();
    for (String line : text.split("\n")) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        rows.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
          (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
      }
    }
    return new HeapHistogram(rows);
  }

  /** Bytes of every class together. */
  public long totalBytes() {
    return byClass.values().stream().mapToLong(r -> r[1]).sum();
  }

  /** The {@code top} classes whose bytes grew the most from {@code before} to this, per connection. */
  public List<Growth> growthPerConnection(HeapHistogram before, int connections, int top) {
    Set<String> names = new HashSet<>(byClass.keySet());
    names.addAll(before.byClass.keySet());
    List<Growth> all = new ArrayList<>();
    for (String name : names) {
      long[] now = byClass.getOrDefault(name, new long[2]);
      long[] then = before.byClass.getOrDefault(name, new long[2]);
      all.add(new Growth(name, (now[0] - then[0]) / (double) connections, (now[1] - then[1]) / (double) connections));
    }
    all.sort(Comparator.comparingDouble(Growth::bytesPerConnection).reversed());
    return all.subList(0, Math.min(top, all.size()));
  }

  /** A Markdown table of {@link #growthPerConnection}. */
  public String growthTable(HeapHistogram before, int connections, int top) {
    StringBuilder sb = new StringBuilder("| class | instances per connection | bytes per connection |\n|---|---|---|\n");
    for (Growth g : growthPerConnection(before, connections, top)) {
      sb.append(String.format(Locale.ROOT, "| `%s` | %.2f | %.0f |%n", g.className(), g.instancesPerConnection(),
        g.bytesPerConnection()));
    }
    sb.append(String.format(Locale.ROOT, "| all classes | | %.0f |%n",
      (totalBytes() - before.totalBytes()) / (double) connections));
    return sb.toString();
  }
}
