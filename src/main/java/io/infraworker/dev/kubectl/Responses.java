package io.infraworker.dev.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;

/** Writes the façade's answers; every one has a Content-Type, JSON unless said otherwise. */
final class Responses {
  static final String JSON = "application/json";

  private final ObjectMapper json;

  Responses(ObjectMapper json) {
    this.json = json;
  }

  void json(HttpExchange exchange, int code, JsonNode body) throws IOException {
    bytes(exchange, code, JSON, json.writeValueAsBytes(body));
  }

  void bytes(HttpExchange exchange, int code, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    // -1 announces an empty body (no chunked encoding for nothing).
    exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } else {
      exchange.close();
    }
  }

  /** A {@code v1 Status} failure, which kubectl turns into {@code Error from server (<reason>): <message>}. */
  void status(HttpExchange exchange, int code, String reason, String message) throws IOException {
    json(exchange, code, status(code, reason, message));
  }

  ObjectNode status(int code, String reason, String message) {
    ObjectNode status = json.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
    status.putObject("metadata");
    return status.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
  }

  /** The NotFound Status a real server answers for one object, e.g. {@code warmpools.infraworker.io "x" not found}. */
  ObjectNode notFound(ApiResource resource, String plural, String name) {
    String qualified = resource != null ? resource.qualifiedName() : plural;
    ObjectNode status = status(404, "NotFound", qualified + " \"" + name + "\" not found");
    ObjectNode details = status.putObject("details").put("name", name).put("kind", plural);
    if (resource != null && !resource.group().isEmpty()) {
      details.put("group", resource.group());
    }
    return status;
  }
}
