package dev.skirmish.deploy;

import dev.skirmish.common.Ids;
import dev.skirmish.gateway.GatewayVerticle;
import dev.skirmish.gateway.WebPages;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The REST contract: the OpenAPI document the node serves at /api/openapi.yaml describes exactly the REST
 * routes of its router, and every endpoint with a body answers malformed bodies with the error its
 * document gives (the REST error shape, or the CL Omega reference's plain text for register and login).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class RestContractTest {

  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  /**
   * The routes of the router that are not REST: the WebSocket doors, the start page on / and the static pages
   * (each routed at its path and under path/*, which the router names path/).
   */
  private static final Set<String> DOORS = new TreeSet<>(List.of("/", "/lobby"));

  static {
    DOORS.addAll(GatewayVerticle.OMEGA_DOORS);
    for (String page : WebPages.PAGES) {
      DOORS.add(page);
      DOORS.add(page + "/");
    }
  }

  @RegisterExtension
  static final TestNode NODE = new TestNode("AUTH_REQUESTS_PER_IP", "100000");

  private static WebClient web(Vertx vertx) {
    return WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(NODE.httpPort()));
  }

  private static Future<JsonObject> document(Vertx vertx) {
    return web(vertx).get("/api/openapi.yaml").send().map(resp -> {
      if (resp.statusCode() != 200) {
        throw new IllegalStateException("/api/openapi.yaml answered " + resp.statusCode());
      }
      Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(resp.bodyAsString());
      return new JsonObject(Json.encode(tree));
    });
  }

  /** "METHOD /path" of every operation, with {param} written :param as the router does. */
  private static Set<String> operations(JsonObject doc) {
    Set<String> ops = new TreeSet<>();
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        if (METHODS.contains(method)) {
          ops.add(method.toUpperCase() + " " + path.replaceAll("\\{([^}]+)}", ":$1"));
        }
      }
    }
    return ops;
  }

  @Test
  @DisplayName("the served document is OpenAPI 3.1 with unique operation ids, and names exactly the router's REST routes")
  void documentCoversRouter(Vertx vertx, VertxTestContext ctx) {
    document(vertx).onComplete(ctx.succeeding(doc -> ctx.verify(() -> {
      assertThat(doc.getString("openapi")).startsWith("3.1");
      List<String> ids = new ArrayList<>();
      JsonObject paths = doc.getJsonObject("paths");
      for (String path : paths.fieldNames()) {
        for (String method : paths.getJsonObject(path).fieldNames()) {
          if (METHODS.contains(method)) {
            ids.add(paths.getJsonObject(path).getJsonObject(method).getString("operationId"));
          }
        }
      }
      assertThat(ids).doesNotContainNull().doesNotHaveDuplicates();

      Set<String> routes = new TreeSet<>();
      Set<String> doors = new TreeSet<>();
      for (Route route : NODE.node().gateway().router().getRoutes()) {
        String path = route.getPath();
        if (path == null) {
          continue;
        }
        if (DOORS.contains(path)) {
          doors.add(path);
          continue;
        }
        assertThat(route.methods()).as("methods of the REST route %s", path).isNotEmpty();
        for (HttpMethod m : route.methods()) {
          routes.add(m.name() + " " + path);
        }
      }
      assertThat(doors).as("the WebSocket doors and the pages are still routed").isEqualTo(DOORS);
      assertThat(routes).as("REST routes of the router vs operations of the document").isEqualTo(operations(doc));
      ctx.completeNow();
    })));
  }

  /** A body that does not match the document, and what it is. */
  private record Bad(String contentType, String body, String what) {
  }

  /** Bad bodies; an optional body (whose fields are all optional too) may be empty or absent. */
  private static List<Bad> badBodies(boolean form, boolean required) {
    List<Bad> bad = new ArrayList<>(List.of(
      new Bad("application/json", "{\"name\": ", "malformed JSON"),
      new Bad("application/json", "[\"x\"]", "a JSON array"),
      new Bad("application/json", "{\"name\": 5, \"origins\": 7, \"username\": 1, \"password\": 2, \"email\": 3,"
        + " \"text\": 4, \"reason\": 6, \"duration_seconds\": \"8\"}", "fields of the wrong type")));
    if (required) {
      bad.add(new Bad("application/json", "{}", "no fields"));
      bad.add(new Bad(null, null, "no body"));
    }
    if (form) {
      bad.add(new Bad("application/x-www-form-urlencoded", "username=x", "a form missing fields"));
    }
    return bad;
  }

  /** An object of the document, following a $ref to components. */
  private static JsonObject resolved(JsonObject doc, JsonObject object) {
    String ref = object.getString("$ref");
    if (ref == null) {
      return object;
    }
    String[] parts = ref.split("/");
    return doc.getJsonObject("components").getJsonObject(parts[2]).getJsonObject(parts[3]);
  }

  /** The content type the document gives for an operation's 400. */
  private static String documented400(JsonObject doc, JsonObject operation) {
    JsonObject response = resolved(doc, operation.getJsonObject("responses").getJsonObject("400"));
    return response.getJsonObject("content").fieldNames().iterator().next();
  }

  @Test
  @DisplayName("every endpoint with a body answers malformed JSON, arrays, wrong types, missing fields and no body with its documented 400")
  void malformedBodies(Vertx vertx, VertxTestContext ctx) {
    WebClient web = web(vertx);
    document(vertx).compose(doc -> {
      Future<Void> chain = Future.succeededFuture();
      int checked = 0;
      JsonObject paths = doc.getJsonObject("paths");
      for (String path : paths.fieldNames()) {
        for (String method : paths.getJsonObject(path).fieldNames()) {
          JsonObject op = paths.getJsonObject(path).getJsonObject(method);
          if (!METHODS.contains(method) || !op.containsKey("requestBody")) {
            continue;
          }
          String uri = path.replaceAll("\\{[^}]+}", Ids.ulid());
          String expected = documented400(doc, op);
          boolean form = path.equals("/oauth2/token");
          boolean required = resolved(doc, op.getJsonObject("requestBody")).getBoolean("required", false);
          for (Bad bad : badBodies(form, required)) {
            checked++;
            String what = method.toUpperCase() + " " + path + " with " + bad.what();
            chain = chain.compose(v -> {
              var req = web.request(HttpMethod.valueOf(method.toUpperCase()), uri);
              if (bad.contentType() != null) {
                req.putHeader("Content-Type", bad.contentType());
              }
              Future<HttpResponse<Buffer>> sent = bad.body() == null ? req.send() : req.sendBuffer(Buffer.buffer(bad.body()));
              return sent.map(resp -> {
                ctx.verify(() -> {
                  assertThat(resp.statusCode()).as("%s: %s", what, resp.bodyAsString()).isEqualTo(400);
                  assertThat(resp.getHeader("Content-Type")).as(what).startsWith(expected);
                  if (expected.equals("application/json")) {
                    JsonObject error = resp.bodyAsJsonObject();
                    assertThat(error.fieldNames()).as(what).containsExactlyInAnyOrder("error", "error_description");
                    assertThat(error.getString("error")).as(what).isEqualTo("invalid_request");
                    assertThat(error.getString("error_description")).as(what).isNotBlank();
                  } else {
                    assertThat(resp.bodyAsString()).as(what).isNotBlank();
                  }
                });
                return null;
              });
            });
          }
        }
      }
      int total = checked;
      return chain.map(v -> {
        ctx.verify(() -> assertThat(total).as("bodies checked").isGreaterThanOrEqualTo(8 * 5));
        return null;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a body over 64 KiB is 413 request_too_large in the error shape, on register as on the registry")
  void tooLarge(Vertx vertx, VertxTestContext ctx) {
    WebClient web = web(vertx);
    String big = "{\"name\": \"" + "x".repeat(70 * 1024) + "\"}";
    Future.all(web.post("/api/v0/register").putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(big)),
        web.post("/api/v0/developers").putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(big)))
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        for (int i = 0; i < 2; i++) {
          HttpResponse<Buffer> resp = all.resultAt(i);
          assertThat(resp.statusCode()).isEqualTo(413);
          assertThat(resp.bodyAsJsonObject().getString("error")).isEqualTo("request_too_large");
        }
        ctx.completeNow();
      })));
  }

  @Test
  @DisplayName("register and login read a JSON body whatever its Content-Type says, as the CL Omega reference does")
  void anyContentType(Vertx vertx, VertxTestContext ctx) {
    WebClient web = web(vertx);
    String name = dev.skirmish.common.testing.TestAccounts.uniqueName("ct");
    String body = new JsonObject().put("username", name).put("password", "password-" + name)
      .put("email", name.toLowerCase() + "@example.com").encode();
    web.post("/api/v0/register").putHeader("Content-Type", "application/x-www-form-urlencoded")
      .sendBuffer(Buffer.buffer(body))
      .compose(reg -> {
        ctx.verify(() -> assertThat(reg.statusCode()).as(reg.bodyAsString()).isEqualTo(201));
        return web.post("/api/v0/login").putHeader("Content-Type", "text/plain;charset=UTF-8")
          .sendBuffer(Buffer.buffer(new JsonObject().put("email", name.toLowerCase() + "@example.com")
            .put("password", "password-" + name).encode()));
      })
      .onComplete(ctx.succeeding(login -> ctx.verify(() -> {
        assertThat(login.statusCode()).as(login.bodyAsString()).isEqualTo(200);
        assertThat(Ids.isUlid(login.bodyAsString())).isTrue();
        ctx.completeNow();
      })));
  }
}
