package io.infraworker.dev.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * One resource type as discovery announces it, with what the façade needs to print and scale it and,
 * for custom resources, the CRD's OpenAPI schema.
 */
record ApiResource(
    String group,
    String version,
    String plural,
    String singular,
    String kind,
    boolean namespaced,
    List<String> verbs,
    List<String> shortNames,
    List<String> categories,
    boolean hasStatus,
    Optional<ScalePaths> scale,
    List<PrinterColumn> printerColumns,
    Optional<JsonNode> schema) {

  static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /** The paths a CRD's scale subresource maps to, as JSONPaths like {@code .spec.replicas}. */
  record ScalePaths(String specReplicasPath, String statusReplicasPath, String labelSelectorPath) {}

  /** A column of {@code additionalPrinterColumns}. */
  record PrinterColumn(String name, String type, String format, String description, int priority, String jsonPath) {
    static PrinterColumn of(JsonNode column) {
      return new PrinterColumn(
          column.path("name").asText(),
          column.path("type").asText("string"),
          column.path("format").asText(""),
          column.path("description").asText(""),
          column.path("priority").asInt(0),
          column.path("jsonPath").asText());
    }
  }

  String groupVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The {@code plural.group} name kubectl shows in messages, e.g. {@code warmpools.infraworker.io}. */
  String qualifiedName() {
    return group.isEmpty() ? plural : plural + "." + group;
  }
}
