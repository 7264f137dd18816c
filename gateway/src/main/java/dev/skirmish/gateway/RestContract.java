package dev.skirmish.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The OpenAPI 3.1 document of the gateway's REST endpoints ({@code openapi/skirmish.yaml}): the text the
 * node serves, and the contract its router validates requests against.
 *
 * <p>Vert.x OpenAPI 5.0 cannot load a request body of {@code application/x-www-form-urlencoded} (the media
 * type of {@code /oauth2/token}), so the contract handed to the validator declares such a body as
 * {@code application/json} and marks the operation {@value #FORM_BODY}; {@link RestRequests} then presents
 * the decoded form fields to the validator as that JSON object. The served text is the document unchanged.
 */
final class RestContract {

  /** Where the document lives on the class path. */
  static final String RESOURCE = "openapi/skirmish.yaml";
  /** Where the node serves it. */
  static final String PATH = "/api/openapi.yaml";
  /** Operation extension: the body is JSON whatever the request's Content-Type says (CL Omega register/login). */
  static final String ANY_CONTENT_TYPE_AS_JSON = "x-any-content-type-as-json";
  /** Operation extension set on the validator's copy: the body is a form, validated as a JSON object of its fields. */
  static final String FORM_BODY = "x-form-body";
  static final String FORM = "application/x-www-form-urlencoded";

  private final Buffer text;
  private final JsonObject document;
  private final OpenAPIContract contract;

  private RestContract(Buffer text, JsonObject document, OpenAPIContract contract) {
    this.text = text;
    this.document = document;
    this.contract = contract;
  }

  /** Reads and checks the document (off the event loop) and builds its contract. */
  static Future<RestContract> load(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      byte[] bytes;
      try (InputStream in = RestContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IOException(RESOURCE + " is not on the class path");
        }
        bytes = in.readAllBytes();
      }
      return Buffer.buffer(bytes);
    }, false).compose(text -> {
      JsonObject document = parse(text.toString(StandardCharsets.UTF_8));
      return OpenAPIContract.from(vertx, forValidation(document))
        .map(contract -> new RestContract(text, document, contract));
    });
  }

  /** The YAML text as a JSON object. */
  static JsonObject parse(String yaml) {
    Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    return new JsonObject(Json.encode(tree));
  }

  /**
   * A copy of the document for the validator: form bodies declared as JSON and marked {@value #FORM_BODY};
   * answers of media types the library does not know (such as {@code application/yaml}) left without a
   * content description, since answers are not validated.
   */
  static JsonObject forValidation(JsonObject document) {
    JsonObject copy = document.copy();
    JsonObject paths = copy.getJsonObject("paths", new JsonObject());
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (!(item.getValue(method) instanceof JsonObject op)) {
          continue;
        }
        JsonObject content = op.getJsonObject("requestBody") != null
          ? op.getJsonObject("requestBody").getJsonObject("content") : null;
        if (content != null && content.containsKey(FORM)) {
          content.put("application/json", content.remove(FORM));
          op.put(FORM_BODY, true);
        }
        dropUnknownMedia(op.getJsonObject("responses"));
      }
    }
    JsonObject components = copy.getJsonObject("components");
    dropUnknownMedia(components == null ? null : components.getJsonObject("responses"));
    return copy;
  }

  private static void dropUnknownMedia(JsonObject responses) {
    if (responses == null) {
      return;
    }
    for (String status : responses.fieldNames()) {
      JsonObject content = responses.getValue(status) instanceof JsonObject r ? r.getJsonObject("content") : null;
      if (content != null) {
        content.fieldNames().removeIf(type -> !MediaType.isMediaTypeSupported(type));
        if (content.isEmpty()) {
          ((JsonObject) responses.getValue(status)).remove("content");
        }
      }
    }
  }

  /** The document as served. */
  Buffer text() {
    return text;
  }

  /** The document as parsed (form bodies as written). */
  JsonObject document() {
    return document;
  }

  /** The contract requests are validated against. */
  OpenAPIContract contract() {
    return contract;
  }
}
