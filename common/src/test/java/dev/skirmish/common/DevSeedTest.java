package dev.skirmish.common;

import dev.skirmish.common.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The development seed is no migration: a database migrated without {@code DEV_SEED} (the default with
 * {@code DATABASE_URL}) has no demo rows, one migrated with it has them, and seeding again changes nothing; a database
 * migrated by an earlier release (whose migration 2 carried the demo game) still migrates.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class DevSeedTest {

  private static final String DEMO_GAME = "01HNPHRWS0N0AYMM5K4HN31V4W";
  private static final String DEMO_DEVELOPER = "01HNPHQM5SPAG43J68R3NRX4M6";
  private static final String DEMO_ROWS = "SELECT (SELECT count(*) FROM games WHERE id = '" + DEMO_GAME + "')"
    + " + (SELECT count(*) FROM developers WHERE id = '" + DEMO_DEVELOPER + "') AS n,"
    + " (SELECT count(*) FROM matchmaker_queue) AS queues, (SELECT count(*) FROM flyway_schema_history) AS history";

  /** A new, empty database on the test server; its URL. */
  private static Future<String> freshDatabase(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      PgConnectOptions server = Database.parseUrl(TestDatabase.url());
      String name = "seed_" + Long.toString(System.nanoTime(), 36).toLowerCase(Locale.ROOT);
      try (Connection c = DriverManager.getConnection(Database.jdbcUrl(server), server.getUser(), server.getPassword());
           Statement st = c.createStatement()) {
        st.execute("CREATE DATABASE " + name);
      }
      return "postgresql://" + server.getUser() + ":" + server.getPassword() + "@" + server.getHost() + ":"
        + server.getPort() + "/" + name;
    });
  }

  /** Starts the database with these settings (migrating it), reads one row with {@code query}, closes it. */
  private static <T> Future<T> startAndRead(Vertx vertx, String url, String devSeed, String query, Function<Row, T> read) {
    NodeConfig config = devSeed == null ? NodeConfig.of("DATABASE_URL", url)
      : NodeConfig.of("DATABASE_URL", url, "DEV_SEED", devSeed);
    return Database.start(vertx, config).compose(db -> db.pool().query(query).execute()
      .map(rows -> read.apply(rows.iterator().next()))
      .eventually(() -> db.close(vertx)));
  }

  private record Counts(long demoRows, long queues, long history) {
  }

  private static Counts counts(Row r) {
    return new Counts(r.getLong("n"), r.getLong("queues"), r.getLong("history"));
  }

  @Test
  @DisplayName("DATABASE_URL without DEV_SEED: no demo rows (the queues are there); DEV_SEED=true adds them, twice changes nothing")
  void seedOnlyWhenAsked(Vertx vertx, VertxTestContext ctx) {
    freshDatabase(vertx).compose(url -> startAndRead(vertx, url, null, DEMO_ROWS, DevSeedTest::counts)
      .compose(unseeded -> startAndRead(vertx, url, "false", DEMO_ROWS, DevSeedTest::counts).map(again -> {
        ctx.verify(() -> {
          assertThat(unseeded.demoRows()).as("demo developer and game without DEV_SEED").isZero();
          assertThat(unseeded.queues()).as("the matchmaker queues are reference data").isEqualTo(2);
          assertThat(again.demoRows()).as("DEV_SEED=false").isZero();
        });
        return unseeded;
      }))
      .compose(unseeded -> startAndRead(vertx, url, "true", DEMO_ROWS, DevSeedTest::counts)
        .compose(seeded -> startAndRead(vertx, url, "true", DEMO_ROWS, DevSeedTest::counts).map(twice -> {
          ctx.verify(() -> {
            assertThat(seeded.demoRows()).as("demo developer and game with DEV_SEED=true").isEqualTo(2);
            assertThat(seeded.history()).as("the seed is no migration").isEqualTo(unseeded.history());
            assertThat(twice).as("seeding a second time").isEqualTo(seeded);
          });
          return null;
        }))))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a database whose migration 2 was the former development seed still migrates, its history realigned")
  void earlierReleaseStillMigrates(Vertx vertx, VertxTestContext ctx) {
    String v2 = "SELECT checksum, description, script FROM flyway_schema_history WHERE version = '2'";
    freshDatabase(vertx).compose(url -> startAndRead(vertx, url, null, v2, r -> r.getInteger("checksum"))
      .compose(checksum -> {
        ctx.verify(() -> assertThat(checksum).as("Flyway's checksum of V2__reference_data.sql")
          .isEqualTo(MigrationHistory.V2_CHECKSUM));
        // What a database of the earlier release records for its migration 2.
        return startAndRead(vertx, url, null, "UPDATE flyway_schema_history SET checksum = "
          + MigrationHistory.OLD_V2_CHECKSUM + ", description = 'development seed', script = 'V2__development_seed.sql'"
          + " WHERE version = '2' RETURNING version", r -> r.getString(0));
      })
      .compose(v -> startAndRead(vertx, url, null, v2, r -> r.getInteger("checksum") + " " + r.getString("description")
        + " " + r.getString("script"))))
      .onComplete(ctx.succeeding(row -> ctx.verify(() -> {
        assertThat(row).isEqualTo(MigrationHistory.V2_CHECKSUM + " reference data V2__reference_data.sql");
        ctx.completeNow();
      })));
  }

  @Test
  @DisplayName("DEV_SEED other than true or false: the database does not start, and says why")
  void badValue(Vertx vertx, VertxTestContext ctx) {
    Database.start(vertx, NodeConfig.of("DATABASE_URL", TestDatabase.url(), "DEV_SEED", "yes"))
      .onComplete(ctx.failing(err -> ctx.verify(() -> {
        assertThat(err).hasMessageContaining("DEV_SEED must be true or false");
        ctx.completeNow();
      })));
  }
}
