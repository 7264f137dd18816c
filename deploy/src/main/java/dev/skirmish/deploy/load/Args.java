package dev.skirmish.deploy.load;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The command-line options of the benchmarks: {@code --name value} pairs, each name one the benchmark knows. */
final class Args {

  private Args() {
  }

  /** The options by name (without the dashes); an odd or unknown one is an {@link IllegalArgumentException}. */
  static Map<String, String> parse(String[] args, List<String> known) {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got " + Arrays.toString(args));
      }
      o.put(args[i].substring(2), args[i + 1]);
    }
    for (String k : o.keySet()) {
      if (!known.contains(k)) {
        throw new IllegalArgumentException("unknown option --" + k);
      }
    }
    return o;
  }
}
