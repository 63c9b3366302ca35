package io.infraworker.dev.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The least OpenAPI that lets {@code kubectl apply} run with its default validation. kubectl downloads
 * {@code /openapi/v2} (protobuf) before it validates, then asks {@code /openapi/v3} whether the server
 * validates fields itself; each PATCH operation here says it does (the {@code fieldValidation} parameter),
 * so kubectl skips client-side schema checks. The CRDs' schemas are published for {@code kubectl explain};
 * no PATCH operation declares a strategic merge body, so kubectl sends merge patches for custom resources.
 */
final class OpenApi {
  /** An {@code openapi_v2.Document} in protobuf holding only {@code swagger: "2.0"} (field 1). */
  static final byte[] V2_PROTOBUF = {0x0a, 0x03, '2', '.', '0'};
  static final String V2_PROTOBUF_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

  private final ObjectMapper json;

  OpenApi(ObjectMapper json) {
    this.json = json;
  }

  ObjectNode v2Json() {
    ObjectNode doc = json.createObjectNode().put("swagger", "2.0");
    doc.putObject("info").put("title", "infra-worker dev API").put("version", "v1.32.0");
    doc.putObject("paths");
    doc.putObject("definitions");
    return doc;
  }

  /** {@code GET /openapi/v3}: one entry per group version, pointing at its document. */
  ObjectNode v3Root(List<ApiResource> resources) {
    ObjectNode root = json.createObjectNode();
    ObjectNode paths = root.putObject("paths");
    groupVersions(resources).forEach((gvPath, gvResources) -> paths.putObject(gvPath)
        .put("serverRelativeURL", "/openapi/v3/" + gvPath + "?hash=" + hash(v3Document(gvResources))));
    return root;
  }

  /** {@code GET /openapi/v3/api/v1} or {@code /openapi/v3/apis/<group>/<version>}. */
  Optional<ObjectNode> v3(List<ApiResource> resources, String gvPath) {
    List<ApiResource> gv = groupVersions(resources).get(gvPath);
    return gv == null ? Optional.empty() : Optional.of(v3Document(gv));
  }

  private ObjectNode v3Document(List<ApiResource> resources) {
    ObjectNode doc = json.createObjectNode().put("openapi", "3.0.0");
    doc.putObject("info").put("title", "infra-worker dev API").put("version", "v1.32.0");
    ObjectNode paths = doc.putObject("paths");
    for (ApiResource r : resources) {
      String prefix = (r.group().isEmpty() ? "/api/" : "/apis/" + r.group() + "/") + r.version();
      String path = prefix + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural() + "/{name}";
      ObjectNode item = paths.putObject(path);
      ObjectNode patch = item.putObject("patch");
      patch.putObject("x-kubernetes-group-version-kind")
          .put("group", r.group()).put("version", r.version()).put("kind", r.kind());
      patch.putObject("responses");
      item.putArray("parameters").addObject().put("name", "fieldValidation").put("in", "query")
          .putObject("schema").put("type", "string");
    }
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    for (ApiResource r : resources) {
      r.schema().ifPresent(schema -> schemas.set(schemaName(r), withKind(schema, r)));
    }
    return doc;
  }

  // The reverse-DNS name the API server gives a CRD's schema, e.g. io.infraworker.v1alpha1.WarmPool.
  private static String schemaName(ApiResource r) {
    List<String> parts = new ArrayList<>(Arrays.asList(r.group().split("\\.")));
    Collections.reverse(parts);
    return String.join(".", parts) + "." + r.version() + "." + r.kind();
  }

  // kubectl explain finds a type's schema by this extension; apiVersion, kind and metadata are added
  // as the API server adds them to every CRD's published schema.
  private ObjectNode withKind(JsonNode crdSchema, ApiResource r) {
    ObjectNode schema = crdSchema.deepCopy();
    ObjectNode properties = schema.withObjectProperty("properties");
    properties.putObject("apiVersion").put("type", "string")
        .put("description", "APIVersion defines the versioned schema of this representation of an object.");
    properties.putObject("kind").put("type", "string")
        .put("description", "Kind is a string value representing the REST resource this object represents.");
    properties.putObject("metadata").put("type", "object")
        .put("description", "Standard object's metadata.");
    schema.putArray("x-kubernetes-group-version-kind").addObject()
        .put("group", r.group()).put("version", r.version()).put("kind", r.kind());
    return schema;
  }

  private static Map<String, List<ApiResource>> groupVersions(List<ApiResource> resources) {
    Map<String, List<ApiResource>> byPath = new LinkedHashMap<>();
    for (ApiResource r : resources) {
      String gvPath = r.group().isEmpty() ? "api/" + r.version() : "apis/" + r.group() + "/" + r.version();
      byPath.computeIfAbsent(gvPath, k -> new ArrayList<>()).add(r);
    }
    return byPath;
  }

  private static String hash(JsonNode doc) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(doc.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).toUpperCase();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
