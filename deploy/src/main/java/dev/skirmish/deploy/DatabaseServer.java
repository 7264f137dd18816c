package dev.skirmish.deploy;

import dev.skirmish.common.Database;
import dev.skirmish.common.NodeConfig;
import io.vertx.core.Vertx;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar skirmish-all.jar database}: runs only the embedded PostgreSQL (data in {@code EMBEDDED_PG_DIR},
 * port {@code EMBEDDED_PG_PORT}), migrated to the current schema, until the process is stopped; prints one line
 * {@code DATABASE_URL=postgresql://...} once it is ready, for the nodes of a local cluster to share.
 */
final class DatabaseServer {

  private DatabaseServer() {
  }

  static void run() throws Exception {
    NodeConfig config = NodeConfig.fromEnvironment();
    Vertx vertx = Vertx.vertx();
    Database db = Database.start(vertx, config).await(5, TimeUnit.MINUTES);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        db.close(vertx).await(1, TimeUnit.MINUTES);
        vertx.close().await(1, TimeUnit.MINUTES);
      } catch (Exception e) {
        System.err.println("Database stop: " + e.getMessage());
      } finally {
        stopped.countDown();
      }
    }, "database-stop"));
    System.out.println("DATABASE_URL=" + db.url());
    System.out.flush();
    stopped.await();
  }
}
