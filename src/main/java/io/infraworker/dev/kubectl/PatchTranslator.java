package io.infraworker.dev.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.Optional;

/**
 * Patches the mock gets wrong or refuses: strategic merge patches and server-side apply (415 from the
 * mock) and JSON merge patches (the mock appends to lists instead of replacing them). The façade applies
 * the patch to the current object itself and sends the mock the JSON patch between the two, which it
 * applies faithfully. An apply of an object that does not exist creates it; apply's field ownership is
 * not emulated.
 */
final class PatchTranslator {
  private static final EnumSet<DiffFlags> DIFF_FLAGS =
      EnumSet.of(DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_COPY_OPERATION, DiffFlags.OMIT_VALUE_ON_REMOVE);

  private final MockApi mock;
  private final ObjectMapper json;
  private final YAMLMapper yaml = new YAMLMapper();

  PatchTranslator(MockApi mock, ObjectMapper json) {
    this.mock = mock;
    this.json = json;
  }

  /** True for the patch types {@link #translate} rewrites. */
  static boolean translates(String contentType) {
    String type = String.valueOf(contentType);
    return type.startsWith("application/strategic-merge-patch+json") || type.startsWith("application/apply-patch")
        || type.startsWith("application/merge-patch+json");
  }

  /** The mock's answer to the translated request, or empty when the patch goes to the mock as it is. */
  Optional<HttpResponse<byte[]>> translate(ApiRequest request, ResourcePath path) throws IOException {
    if (!translates(request.header("Content-Type")) || path.name() == null) {
      return Optional.empty();
    }
    JsonNode patch = parse(request);
    if (patch == null || !patch.isObject()) {
      return Optional.empty();
    }
    HttpResponse<byte[]> current = mock.sendJson("GET", objectPath(request, path), Responses.JSON, null);
    if (current.statusCode() == 404 && isApply(request) && path.subresource() == null) {
      return Optional.of(create(request.path(), path, (ObjectNode) patch));
    }
    if (current.statusCode() != 200) {
      return Optional.of(current);
    }
    JsonNode before = json.readTree(current.body());
    JsonNode operations = JsonDiff.asJson(before, apply(request, patch, before), DIFF_FLAGS);
    if (operations.isEmpty()) {
      return Optional.of(current);
    }
    // Subresource paths go without their query: the mock would not see the subresource otherwise.
    String target = path.subresource() == null ? request.pathAndQuery() : request.path();
    return Optional.of(mock.sendJson("PATCH", target, "application/json-patch+json", operations));
  }

  /** The object a patch request of any type would leave, computed in memory (for dry runs). */
  JsonNode patched(ApiRequest request, JsonNode current) throws IOException {
    JsonNode patch = parse(request);
    if (String.valueOf(request.header("Content-Type")).startsWith("application/json-patch+json")) {
      return JsonPatch.apply(patch, current);
    }
    return patch.isObject() ? apply(request, patch, current) : current;
  }

  static String objectPath(ApiRequest request, ResourcePath path) {
    return path.subresource() == null ? request.path()
        : request.path().substring(0, request.path().lastIndexOf('/'));
  }

  private JsonNode parse(ApiRequest request) throws IOException {
    return isApply(request) ? yaml.readTree(request.body()) : json.readTree(request.body());
  }

  private JsonNode apply(ApiRequest request, JsonNode patch, JsonNode before) {
    boolean merge = String.valueOf(request.header("Content-Type")).startsWith("application/merge-patch+json");
    JsonNode mergePatch = merge ? patch : StrategicMergePatch.toMergePatch(patch, before);
    return MergePatch.apply(before, mergePatch);
  }

  private static boolean isApply(ApiRequest request) {
    return String.valueOf(request.header("Content-Type")).startsWith("application/apply-patch");
  }

  private HttpResponse<byte[]> create(String objectPath, ResourcePath path, ObjectNode object) throws IOException {
    ObjectNode metadata = object.withObjectProperty("metadata");
    metadata.put("name", path.name());
    if (path.namespace() != null) {
      metadata.put("namespace", path.namespace());
    }
    String collection = objectPath.substring(0, objectPath.lastIndexOf('/'));
    return mock.sendJson("POST", collection, Responses.JSON, object);
  }
}
