package dev.skirmish.common;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * The node's PostgreSQL: an external server from {@code DATABASE_URL}, or an embedded server whose data
 * directory survives restarts. Migrations run at start, off the event loop. The pool opens connections on
 * demand, closes idle and old ones, and gives up on a connection that cannot be opened in time, so after a
 * database restart new queries get fresh connections; {@link #health()} says whether the database answers.
 */
public final class Database {

  /** Why a node without DATABASE_URL cannot start from a build that has no embedded PostgreSQL. */
  public static final String EMBEDDED_MISSING = "DATABASE_URL is required: this build (skirmish-server.jar, the"
    + " container image) has no embedded PostgreSQL. Set DATABASE_URL=postgresql://user:password@host:port/db,"
    + " or run skirmish-all.jar for an embedded database.";

  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  /** The embedded server's class; skirmish-server.jar (the container image) is built without it. */
  private static final String EMBEDDED_CLASS = "io/zonky/test/db/postgres/embedded/EmbeddedPostgres.class";

  private final Pool pool;
  private final EmbeddedPostgres embedded;
  private final PgConnectOptions connectOptions;
  private final DatabaseHealth health;

  private Database(Pool pool, EmbeddedPostgres embedded, PgConnectOptions connectOptions, DatabaseHealth health) {
    this.pool = pool;
    this.embedded = embedded;
    this.connectOptions = connectOptions;
    this.health = health;
  }

  /** Starts (or connects to) PostgreSQL, applies migrations, and opens a pool. */
  public static Future<Database> start(Vertx vertx, NodeConfig config) {
    String url = config.get(Setting.DATABASE_URL).trim();
    boolean seed;
    try {
      seed = DevSeed.wanted(config);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return vertx.executeBlocking(() -> {
      EmbeddedPostgres embedded = null;
      PgConnectOptions options;
      if (url.isEmpty()) {
        if (!embeddedAvailable()) {
          throw new IllegalStateException(EMBEDDED_MISSING);
        }
        embedded = startEmbedded(Path.of(config.get(Setting.EMBEDDED_PG_DIR)), config.getInt(Setting.EMBEDDED_PG_PORT));
        options = new PgConnectOptions()
          .setHost("127.0.0.1").setPort(embedded.getPort())
          .setDatabase("postgres").setUser("postgres").setPassword("postgres");
      } else {
        options = parseUrl(url);
      }
      migrate(options, seed);
      return new Object[] {embedded, options};
    }, false).map(started -> {
      PgConnectOptions options = (PgConnectOptions) started[1];
      Pool pool = pool(vertx, options, config);
      return new Database(pool, (EmbeddedPostgres) started[0], options, DatabaseHealth.start(vertx, pool, config));
    });
  }

  /** Whether this build carries the embedded PostgreSQL (skirmish-all.jar does, skirmish-server.jar does not). */
  public static boolean embeddedAvailable() {
    return Database.class.getClassLoader().getResource(EMBEDDED_CLASS) != null;
  }

  private static Pool pool(Vertx vertx, PgConnectOptions options, NodeConfig config) {
    int connectTimeoutMs = config.getInt(Setting.DATABASE_CONNECT_TIMEOUT_MS);
    PoolOptions poolOptions = new PoolOptions()
      .setMaxSize(config.getInt(Setting.DATABASE_POOL_SIZE))
      .setShared(false)
      .setConnectionTimeout(connectTimeoutMs).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
      .setIdleTimeout(config.getInt(Setting.DATABASE_IDLE_TIMEOUT_SECONDS)).setIdleTimeoutUnit(TimeUnit.SECONDS)
      .setMaxLifetime(config.getInt(Setting.DATABASE_MAX_LIFETIME_SECONDS)).setMaxLifetimeUnit(TimeUnit.SECONDS);
    return PgBuilder.pool()
      .with(poolOptions)
      // Keep-alive finds connections whose server vanished without closing them (a host or network failure).
      .with(new NetClientOptions().setConnectTimeout(connectTimeoutMs).setTcpKeepAlive(true))
      .connectingTo(options)
      .using(vertx)
      .build();
  }

  /** Accepts {@code postgresql://}, {@code postgres://} and {@code jdbc:postgresql://} URLs. */
  public static PgConnectOptions parseUrl(String url) {
    String u = url.startsWith("jdbc:") ? url.substring(5) : url;
    return PgConnectOptions.fromUri(u);
  }

  /** The JDBC URL of these options (migrations and tools). */
  public static String jdbcUrl(PgConnectOptions o) {
    return "jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase();
  }

  public Pool pool() {
    return pool;
  }

  /** Whether the database answers (probed through {@link #pool()}). */
  public DatabaseHealth health() {
    return health;
  }

  /** {@code postgresql://user:password@host:port/database} of this database, as DATABASE_URL takes it. */
  public String url() {
    PgConnectOptions o = connectOptions();
    return "postgresql://" + encode(o.getUser()) + ":" + encode(o.getPassword()) + "@" + o.getHost() + ":" + o.getPort()
      + "/" + o.getDatabase();
  }

  private static String encode(String s) {
    return s == null ? "" : java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Connection options of this database (a second pool or a test can use them). */
  public PgConnectOptions connectOptions() {
    return connectOptions;
  }

  /** Closes the pool, then stops the embedded server if this node started one. */
  public Future<Void> close(Vertx vertx) {
    health.stop();
    return pool.close().eventually(() -> {
      if (embedded == null) {
        return Future.succeededFuture();
      }
      return vertx.executeBlocking(() -> {
        embedded.close();
        LOG.info("Embedded PostgreSQL stopped");
        return null;
      }, false);
    }).mapEmpty();
  }

  private static EmbeddedPostgres startEmbedded(Path dataDir, int port) throws IOException {
    Files.createDirectories(dataDir);
    File dir = dataDir.toFile().getAbsoluteFile();
    boolean fresh = !new File(dir, "PG_VERSION").exists();
    LOG.info("Starting embedded PostgreSQL in {} ({})", dir, fresh ? "new data directory" : "existing data");
    long t0 = System.nanoTime();
    EmbeddedPostgres pg = EmbeddedPostgres.builder()
      .setDataDirectory(dir)
      .setCleanDataDirectory(false)
      .setPort(port == 0 ? freePort() : port)
      .setServerConfig("max_connections", "200")
      .start();
    LOG.info("Embedded PostgreSQL ready on port {} in {} ms", pg.getPort(), (System.nanoTime() - t0) / 1_000_000);
    return pg;
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * Brings the schema up to date (after {@link MigrationHistory#realign}), then applies the development seed when
   * {@code seed} (blocking).
   */
  public static void migrate(PgConnectOptions o, boolean seed) throws SQLException {
    long t0 = System.nanoTime();
    try (Connection c = DriverManager.getConnection(jdbcUrl(o), o.getUser(), o.getPassword())) {
      if (MigrationHistory.realign(c)) {
        LOG.info("Migration 2 of an earlier release recorded as {} (its demo rows stay)", MigrationHistory.V2_SCRIPT);
      }
    }
    var result = Flyway.configure()
      .dataSource(jdbcUrl(o), o.getUser(), o.getPassword())
      .locations("classpath:db/migration")
      .load()
      .migrate();
    LOG.info("Database schema at version {} ({} migrations applied in {} ms)",
      result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
      result.migrationsExecuted, (System.nanoTime() - t0) / 1_000_000);
    if (seed) {
      try (Connection c = DriverManager.getConnection(jdbcUrl(o), o.getUser(), o.getPassword())) {
        DevSeed.apply(c);
      }
      LOG.info("Development seed applied (DEV_SEED)");
    }
  }

}
