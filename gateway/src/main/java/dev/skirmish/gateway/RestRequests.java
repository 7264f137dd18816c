package dev.skirmish.gateway;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestUtils;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;

import java.util.Map;
import java.util.Map.Entry;

/**
 * Hands the validator each request as the document means it (the body was read by a body handler
 * before): a body of an operation marked {@value RestContract#ANY_CONTENT_TYPE_AS_JSON} as JSON whatever its
 * Content-Type, and a form body ({@value RestContract#FORM_BODY}) as the JSON object of its fields.
 */
final class RestRequests implements RequestExtractor {

  private static final String JSON = "application/json";

  @Override
  public Future<ValidatableRequest> extractValidatableRequest(RoutingContext ctx, Operation operation) {
    JsonObject model = operation.getOpenAPIModel();
    if (model.getBoolean(RestContract.FORM_BODY, false)) {
      String type = ctx.request().getHeader("Content-Type");
      if (type == null || !type.toLowerCase().startsWith(RestContract.FORM)) {
        return Future.failedFuture(new ValidatorException("The request body must be " + RestContract.FORM,
          ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT));
      }
      JsonObject fields = new JsonObject();
      for (Entry<String, String> e : ctx.request().formAttributes()) {
        if (!fields.containsKey(e.getKey())) {
          fields.put(e.getKey(), e.getValue());
        }
      }
      return extract(ctx, operation, fields.toBuffer(), JSON);
    }
    if (operation.getRequestBody() == null) {
      return RequestUtils.extract(ctx.request(), operation);
    }
    Buffer body = ctx.body().buffer();
    boolean anyType = model.getBoolean(RestContract.ANY_CONTENT_TYPE_AS_JSON, false);
    return extract(ctx, operation, body, anyType ? JSON : ctx.request().getHeader("Content-Type"));
  }

  private static Future<ValidatableRequest> extract(RoutingContext ctx, Operation operation, Buffer body,
                                                    String contentType) {
    return RequestUtils.extract(ctx.request(), operation, () -> Future.succeededFuture(body))
      .map(request -> new Presented(request, contentType));
  }

  /** A request with the Content-Type its body is validated as. */
  private record Presented(ValidatableRequest request, String contentType) implements ValidatableRequest {

    @Override
    public Map<String, RequestParameter> getCookies() {
      return request.getCookies();
    }

    @Override
    public Map<String, RequestParameter> getHeaders() {
      return request.getHeaders();
    }

    @Override
    public Map<String, RequestParameter> getPathParameters() {
      return request.getPathParameters();
    }

    @Override
    public Map<String, RequestParameter> getQuery() {
      return request.getQuery();
    }

    @Override
    public RequestParameter getBody() {
      return request.getBody();
    }

    @Override
    public String getContentType() {
      return contentType;
    }
  }
}
