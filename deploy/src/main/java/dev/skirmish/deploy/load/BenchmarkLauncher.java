package dev.skirmish.deploy.load;

import dev.skirmish.common.Database;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What every benchmark command shares: its options parsed from the command line (a bad one prints the usage and
 * exits 2), the run (exit 0 when it found no error, 1 when it failed or counted errors), its deadline, and the
 * clean-up of the embedded database it started.
 */
final class BenchmarkLauncher {

  /** A benchmark run: its options in, the number of errors it counted out. */
  interface Run<O> {
    long errors(O options) throws Exception;
  }

  private BenchmarkLauncher() {
  }

  /** Parses {@code args} with {@code parse}, runs the benchmark and exits with its outcome. */
  static <O> void launch(String command, String title, String usage, String[] args, Function<String[], O> parse,
                         Run<O> run) {
    O options;
    try {
      options = parse.apply(args);
    } catch (RuntimeException e) {
      System.err.println(command + ": " + e.getMessage() + "\n\n" + usage);
      System.exit(2);
      return;
    }
    try {
      System.exit(run.errors(options) == 0 ? 0 : 1);
    } catch (Throwable e) {
      System.err.println(title + " failed: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  /** Nanoseconds left before {@code deadline} ({@link System#nanoTime()}); fails once it has passed. */
  static long remaining(long deadline) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new IllegalStateException("the run did not finish within --timeout-minutes");
    }
    return left;
  }

  /**
   * The settings that start the benchmark's database: the environment, with {@code databaseUrl} (blank = an embedded
   * PostgreSQL in {@code dir/postgres}, on a free port), and the development seed (the relay benchmarks' clients
   * use its demo game).
   */
  static Map<String, String> databaseSettings(String databaseUrl, Path dir) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("DATABASE_URL", databaseUrl);
    env.put("DEV_SEED", "true");
    env.put("EMBEDDED_PG_DIR", dir.resolve("postgres").toString());
    env.put("EMBEDDED_PG_PORT", "0");
    return env;
  }

  /**
   * After a run: the server processes are killed, the database closed, Vert.x closed, and an embedded database's
   * data in {@code dir/postgres} thrown away (the servers' logs in {@code dir} stay).
   */
  static void cleanUp(Vertx vertx, Database db, List<ServerProcess> servers, Path dir) throws Exception {
    for (ServerProcess p : servers) {
      p.kill();
    }
    if (db != null) {
      db.close(vertx).await(2, TimeUnit.MINUTES);
    }
    vertx.close().await(1, TimeUnit.MINUTES);
    deleteTree(dir.resolve("postgres"));
  }

  /** Deletes a directory tree (an embedded database's data), reporting what it could not delete. */
  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("Could not delete " + root + ": " + e.getMessage());
    }
  }
}
