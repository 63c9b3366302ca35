package io.infraworker.dev.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Writes with {@code dryRun=All} ({@code kubectl diff}, {@code --dry-run=server}), answered here because the
 * mock ignores the parameter and would write. The answer is the object the write would leave; no
 * validation or defaulting happens, as the mock does none either.
 */
final class DryRun {
  /** A dry run's answer: the status code and the object (or the mock's error). */
  record Result(int code, byte[] body) {}

  private final MockApi mock;
  private final PatchTranslator patches;
  private final Responses responses;
  private final ObjectMapper json;

  DryRun(MockApi mock, PatchTranslator patches, Responses responses, ObjectMapper json) {
    this.mock = mock;
    this.patches = patches;
    this.responses = responses;
    this.json = json;
  }

  boolean requested(ApiRequest request) {
    if (request.method().equals("GET")) {
      return false;
    }
    String dryRun = request.param("dryRun");
    if (dryRun != null && !dryRun.isEmpty()) {
      return true;
    }
    // A delete carries it in its DeleteOptions body rather than in the query.
    if (request.method().equals("DELETE") && request.body().length > 0) {
      try {
        return !json.readTree(request.body()).path("dryRun").isEmpty();
      } catch (IOException notJson) {
        return false;
      }
    }
    return false;
  }

  Result answer(ApiRequest request, ResourcePath path) throws IOException {
    if (request.method().equals("POST")) {
      ObjectNode object = (ObjectNode) json.readTree(request.body());
      ObjectNode metadata = object.withObjectProperty("metadata");
      if (path.namespace() != null) {
        metadata.put("namespace", path.namespace());
      }
      metadata.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
      return new Result(201, json.writeValueAsBytes(object));
    }
    HttpResponse<byte[]> current =
        mock.sendJson("GET", PatchTranslator.objectPath(request, path), Responses.JSON, null);
    if (current.statusCode() != 200) {
      boolean applyCreates = request.method().equals("PATCH")
          && String.valueOf(request.header("Content-Type")).startsWith("application/apply-patch");
      if (current.statusCode() == 404 && applyCreates) {
        return new Result(201, json.writeValueAsBytes(patches.patched(request, json.createObjectNode())));
      }
      return new Result(current.statusCode(), current.body().length > 0 ? current.body()
          : json.writeValueAsBytes(responses.notFound(null, path.resource(), path.name())));
    }
    JsonNode before = json.readTree(current.body());
    JsonNode after = switch (request.method()) {
      case "PUT" -> json.readTree(request.body());
      case "PATCH" -> patches.patched(request, before);
      default -> before;
    };
    return new Result(200, json.writeValueAsBytes(after));
  }
}
