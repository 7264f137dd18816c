package dev.skirmish.deploy;

import dev.skirmish.common.testing.FafClient;
import dev.skirmish.common.testing.TestAccounts;
import dev.skirmish.deploy.load.ServerProcess;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nodes in a JVM of their own ({@link ServerProcess}, the class path of this test, {@link Main}), configured only by
 * their environment as in production: a matchmaker-only node answers on its management port, and a node with
 * {@code LOG_FORMAT=json} writes one JSON object per line, with the connection, player and request ids of the client
 * message being handled.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 300, timeUnit = TimeUnit.SECONDS)
class ChildNodeTest {

  /** The production logging configuration (the test class path also holds logback-test.xml, which would win). */
  private static String productionLogging() throws Exception {
    return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve("logback.xml")
      .toString();
  }

  private static List<String> jvmOptions() throws Exception {
    List<String> options = new ArrayList<>(ServerProcess.BASE_JVM_OPTIONS);
    options.add("-Xmx256m");
    options.add("-Dlogback.configurationFile=" + productionLogging());
    return options;
  }

  /** A test node's settings (the shared test database, cheap hashing), bound to loopback, without the FAF TCP port. */
  private static Map<String, String> baseEnv() {
    return TestNodes.environment("MANAGEMENT_HOST", "127.0.0.1", "FAF_TCP_PORT", "-1");
  }


  @Test
  @DisplayName("a matchmaker-only node in its own JVM answers /health, /ready and /metrics (JVM and matchmaker meters) on its management port")
  void matchmakerOnlyJvm(Vertx vertx, VertxTestContext ctx) throws Exception {
    int port = ServerProcess.freePort();
    Map<String, String> env = baseEnv();
    env.put("ROLES", "matchmaker");
    env.put("MANAGEMENT_PORT", String.valueOf(port));
    List<String> command = new ArrayList<>();
    command.add(ServerProcess.javaTool("java").toString());
    command.addAll(jvmOptions());
    command.add("-cp");
    command.add(ServerProcess.classPath());
    command.add(Main.class.getName());
    ServerProcess child = ServerProcess.startCommand("matchmaker node", command, env,
      Files.createTempFile("skirmish-matchmaker-node", ".log"), port);
    WebClient web = WebClient.create(vertx);
    child.awaitReady(vertx, 240_000, "/ready")
      .compose(v -> web.get(port, "127.0.0.1", "/health").send())
      .compose(health -> {
        ctx.verify(() -> assertThat(health.statusCode()).isEqualTo(200));
        String node = health.bodyAsJsonObject().getString("node");
        // the queue gauge is registered at the matchmaker's first tick (every second)
        return Scrapes.await(vertx, port, v -> v >= 0, "skirmish_matchmaker_queue_players", "node", node,
            "queue", "ladder1v1")
          .map(metrics -> {
            ctx.verify(() -> {
              assertThat(Scrapes.value(metrics, "jvm_memory_used_bytes", "node", node)).as("JVM meters of the node").isPresent();
              assertThat(Scrapes.value(metrics, "process_cpu_usage", "node", node)).isPresent();
            });
            return null;
          });
      })
      .eventually(() -> child.stop(vertx))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("LOG_FORMAT=json: every line is a JSON object; a malformed FAF message's line names its connection, player and request")
  void jsonLogs(Vertx vertx, VertxTestContext ctx) throws Exception {
    Map<String, String> env = baseEnv();
    env.put("LOG_FORMAT", "json");
    env.put("MANAGEMENT_PORT", "0");
    Path log = Files.createTempFile("skirmish-json-node", ".log");
    ServerProcess child = ServerProcess.start("json-logging node", Main.class.getName(), jvmOptions(), env, log);
    TestAccounts accounts = new TestAccounts(vertx, child.port());
    child.awaitReady(vertx, 240_000, "/ready")
      .compose(v -> accounts.register("jsonlog"))
      .compose(account -> accounts.fafToken(account))
      .compose(token -> FafClient.webSocket(vertx, child.port())
        .compose(client -> FafTestSupport.loginFully(client, token)
          .compose(v -> {
            client.sendRaw("{not json\n");
            return client.expectClosed();
          })))
      .compose(v -> awaitLine(vertx, log, line -> line.getString("message", "").contains("malformed JSON")))
      .map(line -> {
        ctx.verify(() -> {
          assertThat(line.getString("level")).isEqualTo("INFO");
          assertThat(line.getString("connection")).as("connection id in %s", line).isNotBlank();
          assertThat(line.getString("player")).as("player id in %s", line).matches("\\d+");
          assertThat(line.getString("request")).as("request id in %s", line).startsWith(line.getString("connection") + ":");
          for (String text : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (!text.isBlank()) {
              assertThat(parse(text)).as("a log line that is not a JSON object: %s", text).isNotNull();
            }
          }
        });
        return null;
      })
      .eventually(() -> child.stop(vertx))
      .onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject parse(String line) {
    try {
      return new JsonObject(line);
    } catch (DecodeException e) {
      return null;
    }
  }

  /** Reads the log every 100 ms until a JSON line matches (the child writes it as it handles the message). */
  private static Future<JsonObject> awaitLine(Vertx vertx, Path log, java.util.function.Predicate<JsonObject> wanted) {
    Promise<JsonObject> found = Promise.promise();
    long timer = vertx.setPeriodic(1, 100, id -> vertx.fileSystem().readFile(log.toString()).onSuccess(buf -> {
      for (String text : buf.toString(StandardCharsets.UTF_8).split("\n")) {
        JsonObject line = parse(text);
        if (line != null && wanted.test(line)) {
          found.tryComplete(line);
          return;
        }
      }
    }));
    return found.future().onComplete(ar -> vertx.cancelTimer(timer));
  }
}
