package dev.skirmish.deploy;

import dev.skirmish.common.testing.FafClient;
import dev.skirmish.common.testing.TestAccounts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded PostgreSQL keeps its data directory: a node restarted on the same directory still has every
 * account and the same token signing key.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class PersistenceTest {

  @TempDir
  Path dataDir;

  /** A node on its own embedded PostgreSQL in {@link #dataDir} (no DATABASE_URL). */
  private Future<Node> embeddedNode() {
    return TestNodes.start("DATABASE_URL", "", "EMBEDDED_PG_DIR", dataDir.resolve("pg").toString());
  }

  private record Before(TestAccounts.Account account, String kid, String fafToken) {
  }

  private static Future<String> kid(TestAccounts rest) {
    return rest.web().get("/.well-known/jwks.json").send().compose(resp -> resp.statusCode() == 200
      ? Future.succeededFuture(resp.bodyAsJsonObject().getJsonArray("keys").getJsonObject(0).getString("kid"))
      : Future.failedFuture("jwks answered " + resp.statusCode()));
  }

  @Test
  @DisplayName("after a restart on the same data directory: the account logs in, the JWKS kid is unchanged, an old FAF token still works")
  void accountsAndSigningKeySurviveARestart(Vertx vertx, VertxTestContext ctx) {
    List<Node> nodes = new ArrayList<>();
    embeddedNode()
      .compose(first -> {
        nodes.add(first);
        TestAccounts rest = new TestAccounts(vertx, first.httpPort());
        return rest.register("keep").compose(account -> Future.all(kid(rest), rest.fafToken(account))
          .map(all -> new Before(account, all.resultAt(0), all.resultAt(1))))
          .compose(before -> first.close().map(before));
      })
      .compose(before -> {
        ctx.verify(() -> assertThat(dataDir.resolve("pg").resolve("PG_VERSION")).exists());
        return embeddedNode().compose(second -> {
          nodes.add(second);
          TestAccounts rest = new TestAccounts(vertx, second.httpPort());
          Future<String> omegaLogin = rest.omegaToken(before.account(), null);
          Future<String> kidNow = kid(rest);
          Future<JsonObject> welcome = FafClient.webSocket(vertx, second.httpPort())
            .compose(client -> client.login(before.fafToken()).eventually(client::close));
          return Future.all(omegaLogin, kidNow, welcome).map(all -> {
            ctx.verify(() -> {
              assertThat(omegaLogin.result()).as("CL Omega session token").isNotBlank();
              assertThat(kidNow.result()).isEqualTo(before.kid());
              assertThat(welcome.result().getString("login")).isEqualTo(before.account().username());
            });
            return null;
          });
        });
      })
      .eventually(() -> Future.all(nodes.stream().map(Node::close).toList()))
      .onComplete(ctx.succeedingThenComplete());
  }
}
