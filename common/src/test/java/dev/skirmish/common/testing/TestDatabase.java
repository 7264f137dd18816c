package dev.skirmish.common.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One real PostgreSQL for a whole test JVM: the server named by {@code TEST_DATABASE_URL} when set,
 * otherwise an embedded server in a temporary directory, started on first use. Nodes under test get it
 * as {@code DATABASE_URL}, so tests also exercise the external-database path.
 */
public final class TestDatabase {

  private static String url;

  private TestDatabase() {
  }

  /** A {@code postgresql://} URL of the test database. */
  public static synchronized String url() {
    if (url != null) {
      return url;
    }
    String external = System.getenv("TEST_DATABASE_URL");
    if (external != null && !external.isBlank()) {
      url = external;
      return url;
    }
    try {
      Path dir = Files.createTempDirectory("skirmish-test-pg");
      EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true).start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          pg.close();
        } catch (IOException ignored) {
          // the JVM is exiting anyway
        }
      }));
      url = "postgresql://postgres:postgres@127.0.0.1:" + pg.getPort() + "/postgres";
      return url;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
