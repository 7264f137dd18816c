package dev.skirmish.deploy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's cluster status, gathered over the event bus from every node's status publish and streamed as
 * server-sent events: the node with its roles and heap, the matchmaker queues, a FAF login raising the players
 * online, a CL Omega lobby with its host, and the time series; the stream refuses callers without a token.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class ConsoleStatusTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode("STATUS_INTERVAL_MS", "200");

  /** A status stream: each snapshot is offered to the waiting predicate until one matches. */
  static final class StatusStream {
    private final HttpClientResponse response;
    private final StringBuilder pending = new StringBuilder();
    private JsonObject latest;
    private Predicate<JsonObject> wanted;
    private Promise<JsonObject> found;

    private StatusStream(HttpClientResponse response) {
      this.response = response;
      response.handler(buf -> {
        pending.append(buf.toString());
        int end;
        while ((end = pending.indexOf("\n\n")) >= 0) {
          String event = pending.substring(0, end);
          pending.delete(0, end + 2);
          for (String line : event.split("\n")) {
            if (line.startsWith("data: ")) {
              offer(new JsonObject(line.substring(6)));
            }
          }
        }
      });
    }

    static Future<StatusStream> open(Vertx vertx, int port, String token) {
      HttpClient client = vertx.createHttpClient();
      return client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
          .setURI("/api/admin/status/stream").putHeader("Authorization", "Bearer " + token))
        .compose(req -> req.send())
        .compose(resp -> resp.statusCode() == 200 ? Future.succeededFuture(new StatusStream(resp))
          : Future.failedFuture("status stream answered " + resp.statusCode()));
    }

    private void offer(JsonObject snapshot) {
      latest = snapshot;
      if (wanted != null && wanted.test(snapshot)) {
        wanted = null;
        found.complete(snapshot);
      }
    }

    /** The first snapshot, from the latest one on, that matches. */
    Future<JsonObject> until(Predicate<JsonObject> predicate) {
      found = Promise.promise();
      if (latest != null && predicate.test(latest)) {
        return Future.succeededFuture(latest);
      }
      wanted = predicate;
      return found.future();
    }

    Future<Void> close() {
      return response.request().connection().close();
    }
  }

  private static boolean hasQueue(JsonObject s, String name) {
    return s.getJsonArray("queues").stream().anyMatch(q -> name.equals(((JsonObject) q).getString("name")));
  }

  @Test
  @DisplayName("the stream shows this node, its queues, a FAF player who logs in and a CL Omega lobby that opens")
  void liveStatus(Vertx vertx, VertxTestContext ctx) {
    OmegaLobbyKit kit = new OmegaLobbyKit(vertx, ctx, NODE.node());
    String lobby = OmegaLobbyKit.lobbyName("status");
    AdminApiTest.admin(vertx, NODE.node()).compose(admin -> StatusStream.open(vertx, NODE.httpPort(), admin.token())
      .compose(stream -> stream.until(s -> s.getJsonArray("nodes").size() == 1
          && s.getJsonArray("nodes").getJsonObject(0).getJsonObject("rates").containsKey("faf_in")
          && hasQueue(s, "ladder1v1"))
        .compose(first -> {
          JsonObject node = first.getJsonArray("nodes").getJsonObject(0);
          ctx.verify(() -> {
            assertThat(node.getString("node")).isEqualTo(NODE.node().id());
            assertThat(node.getBoolean("self")).isTrue();
            assertThat(node.getJsonArray("roles")).contains("gateway", "games", "matchmaker", "party", "signaling");
            assertThat(node.getLong("heap_used")).isPositive();
            assertThat(node.getLong("uptime_ms")).isPositive();
            JsonObject queue = first.getJsonArray("queues").stream().map(q -> (JsonObject) q)
              .filter(q -> "ladder1v1".equals(q.getString("name"))).findFirst().orElseThrow();
            assertThat(queue.getInteger("team_size")).isEqualTo(1);
            assertThat(queue.getInteger("searching")).isZero();
          });
          int before = first.getJsonObject("players").getInteger("faf");
          return FafTestSupport.loggedIn(vertx, NODE.node(), "seen").compose(p -> stream
            .until(s -> s.getJsonObject("players").getInteger("faf") == before + 1
              && s.getJsonObject("players").getJsonArray("by_node").getJsonObject(0).getInteger("faf") >= 1)
            .compose(s -> p.client().close()));
        })
        .compose(v -> kit.newGame())
        .compose(ugi -> kit.player(ugi, "sh").compose(host -> kit.host(host, OmegaLobbyKit.hostConfig(lobby))
          .compose(v -> stream.until(s -> lobbyOf(s, ugi, lobby) != null))
          .map(s -> {
            ctx.verify(() -> {
              JsonObject l = lobbyOf(s, ugi, lobby);
              assertThat(l.getJsonObject("host").getString("user")).isEqualTo(host.user);
              assertThat(l.getJsonArray("peers")).isEmpty();
              assertThat(s.getJsonObject("omega").getInteger("lobbies")).isPositive();
              assertThat(s.getJsonObject("players").getInteger("omega")).isPositive();
              assertThat(s.getJsonArray("history")).isNotEmpty();
              assertThat(s.getJsonArray("history").getJsonObject(0).containsKey("players")).isTrue();
            });
            return null;
          })))
        .eventually(() -> stream.close())))
      .eventually(() -> kit.closeAll())
      .onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject lobbyOf(JsonObject s, String ugi, String lobby) {
    for (Object g : s.getJsonObject("omega").getJsonArray("games", new JsonArray())) {
      JsonObject game = (JsonObject) g;
      if (ugi.equals(game.getString("ugi"))) {
        for (Object l : game.getJsonArray("lobbies")) {
          if (lobby.equals(((JsonObject) l).getString("name"))) {
            return (JsonObject) l;
          }
        }
      }
    }
    return null;
  }

  @Test
  @DisplayName("the status and its stream answer 401 without a token and 403 to a player who is no admin")
  void statusNeedsAnAdmin(Vertx vertx, VertxTestContext ctx) {
    FafTestSupport.account(vertx, NODE.node(), "nosy").compose(user -> Future.all(List.of(
        AdminApiTest.call(vertx, NODE.node(), HttpMethod.GET, "/api/admin/status/stream", null, null),
        AdminApiTest.call(vertx, NODE.node(), HttpMethod.GET, "/api/admin/status/stream", user.token(), null),
        AdminApiTest.call(vertx, NODE.node(), HttpMethod.GET, "/api/admin/status", user.token(), null))))
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        assertThat(all.<io.vertx.ext.web.client.HttpResponse<?>>resultAt(0).statusCode()).isEqualTo(401);
        assertThat(all.<io.vertx.ext.web.client.HttpResponse<?>>resultAt(1).statusCode()).isEqualTo(403);
        assertThat(all.<io.vertx.ext.web.client.HttpResponse<?>>resultAt(2).statusCode()).isEqualTo(403);
        ctx.completeNow();
      })));
  }
}
