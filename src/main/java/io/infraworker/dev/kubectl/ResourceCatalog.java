package io.infraworker.dev.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The resource types of the dev stack: the built-in ones plus every CRD stored in the mock right now. */
final class ResourceCatalog {
  private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

  private final MockApi mock;

  ResourceCatalog(MockApi mock) {
    this.mock = mock;
  }

  /** All types; CRDs are read on every call so that ones created later show up at once. */
  List<ApiResource> all() {
    List<ApiResource> all = new ArrayList<>(BuiltinResources.ALL);
    for (JsonNode crd : mock.get(CRDS).path("items")) {
      all.addAll(fromCrd(crd));
    }
    return all;
  }

  Optional<ApiResource> find(String group, String version, String plural) {
    return all().stream()
        .filter(r -> r.group().equals(group) && r.version().equals(version) && r.plural().equals(plural))
        .findFirst();
  }

  static List<ApiResource> fromCrd(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    JsonNode names = spec.path("names");
    List<ApiResource> resources = new ArrayList<>();
    for (JsonNode version : spec.path("versions")) {
      if (!version.path("served").asBoolean(true)) {
        continue;
      }
      JsonNode subresources = version.path("subresources");
      JsonNode scale = subresources.path("scale");
      List<ApiResource.PrinterColumn> columns = new ArrayList<>();
      version.path("additionalPrinterColumns").forEach(c -> columns.add(ApiResource.PrinterColumn.of(c)));
      String plural = names.path("plural").asText();
      resources.add(new ApiResource(
          spec.path("group").asText(),
          version.path("name").asText(),
          plural,
          names.path("singular").asText(names.path("kind").asText().toLowerCase()),
          names.path("kind").asText(),
          !"Cluster".equals(spec.path("scope").asText()),
          ApiResource.ALL_VERBS,
          strings(names.path("shortNames")),
          strings(names.path("categories")),
          subresources.has("status"),
          scale.isObject()
              ? Optional.of(new ApiResource.ScalePaths(scale.path("specReplicasPath").asText(".spec.replicas"),
                  scale.path("statusReplicasPath").asText(".status.replicas"),
                  scale.path("labelSelectorPath").asText("")))
              : Optional.empty(),
          columns,
          Optional.of(version.path("schema").path("openAPIV3Schema")).filter(JsonNode::isObject)));
    }
    return resources;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
