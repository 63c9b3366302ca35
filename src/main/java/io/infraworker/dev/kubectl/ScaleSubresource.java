package io.infraworker.dev.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.net.http.HttpResponse;

/**
 * The {@code scale} subresource of custom resources, which the mock does not know: reads answer an
 * {@code autoscaling/v1 Scale} built from the CRD's scale paths, writes become a merge patch of the
 * object's replicas field.
 */
final class ScaleSubresource {
  /** The outcome of a scale request: a status code and a Scale or Status body. */
  record Result(int code, JsonNode body) {}

  private final MockApi mock;
  private final Responses responses;
  private final ObjectMapper json;

  ScaleSubresource(MockApi mock, Responses responses, ObjectMapper json) {
    this.mock = mock;
    this.responses = responses;
    this.json = json;
  }

  Result handle(ApiRequest request, ResourcePath path, ApiResource resource) throws IOException {
    ApiResource.ScalePaths paths = resource.scale().orElseThrow();
    String objectPath = request.path().substring(0, request.path().lastIndexOf('/'));
    HttpResponse<byte[]> current = mock.sendJson("GET", objectPath, Responses.JSON, null);
    if (current.statusCode() != 200) {
      return new Result(404, responses.notFound(resource, path.resource(), path.name()));
    }
    JsonNode object = json.readTree(current.body());
    ObjectNode scale = scaleOf(object, paths);
    switch (request.method()) {
      case "GET":
        return new Result(200, scale);
      case "PUT":
      case "PATCH":
        break;
      default:
        return new Result(405,
            responses.status(405, "MethodNotAllowed", request.method() + " is not allowed on scale"));
    }
    JsonNode wanted = desiredScale(request, scale);
    JsonNode replicas = wanted.path("spec").path("replicas");
    if (!replicas.canConvertToInt() || replicas.asInt() < 0) {
      return new Result(422, responses.status(422, "Invalid", "spec.replicas must be a non-negative integer"));
    }
    String expectedVersion = wanted.path("metadata").path("resourceVersion").asText("");
    String currentVersion = scale.path("metadata").path("resourceVersion").asText();
    if (!expectedVersion.isEmpty() && !expectedVersion.equals(currentVersion)) {
      return new Result(409, responses.status(409, "Conflict", "the object has been modified; "
          + "please apply your changes to the latest version and try again"));
    }
    if (request.param("dryRun") != null) {
      scale.withObjectProperty("spec").put("replicas", replicas.asInt());
      return new Result(200, scale);
    }
    ObjectNode patch = SimpleJsonPath.parse(paths.specReplicasPath())
        .mergePatchSetting(json.createObjectNode(), Column.NODES.numberNode(replicas.asInt()));
    HttpResponse<byte[]> patched = mock.sendJson("PATCH", objectPath, "application/merge-patch+json", patch);
    if (patched.statusCode() / 100 != 2) {
      return new Result(patched.statusCode(), json.readTree(patched.body()));
    }
    return new Result(200, scaleOf(json.readTree(patched.body()), paths));
  }

  private JsonNode desiredScale(ApiRequest request, ObjectNode scale) throws IOException {
    JsonNode body = json.readTree(request.body());
    if (request.method().equals("PUT")) {
      return body;
    }
    String type = String.valueOf(request.header("Content-Type"));
    return type.startsWith("application/json-patch+json") ? JsonPatch.apply(body, scale)
        : MergePatch.apply(scale, body);
  }

  ObjectNode scaleOf(JsonNode object, ApiResource.ScalePaths paths) {
    ObjectNode scale = json.createObjectNode().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
    ObjectNode metadata = scale.putObject("metadata");
    JsonNode source = object.path("metadata");
    for (String field : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
      if (source.hasNonNull(field)) {
        metadata.set(field, source.get(field));
      }
    }
    scale.putObject("spec").put("replicas", SimpleJsonPath.parse(paths.specReplicasPath()).read(object).asInt(0));
    ObjectNode status = scale.putObject("status")
        .put("replicas", SimpleJsonPath.parse(paths.statusReplicasPath()).read(object).asInt(0));
    if (!paths.labelSelectorPath().isEmpty()) {
      JsonNode selector = SimpleJsonPath.parse(paths.labelSelectorPath()).read(object);
      if (selector.isTextual()) {
        status.put("selector", selector.asText());
      }
    }
    return scale;
  }
}
