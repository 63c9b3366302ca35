package io.infraworker.dev.kubectl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Discovery documents, legacy ({@code APIResourceList} and friends) and aggregated (apidiscovery v2). */
final class Discovery {
  private static final List<String> SUBRESOURCE_VERBS = List.of("get", "patch", "update");

  private final ObjectMapper json;

  Discovery(ObjectMapper json) {
    this.json = json;
  }

  /** {@code GET /api}. */
  ObjectNode coreVersions() {
    ObjectNode doc = json.createObjectNode().put("kind", "APIVersions");
    doc.putArray("versions").add("v1");
    doc.putArray("serverAddressByClientCIDRs");
    return doc;
  }

  /** {@code GET /apis}. */
  ObjectNode groupList(List<ApiResource> resources) {
    ObjectNode doc = json.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode groups = doc.putArray("groups");
    byGroup(resources).forEach((group, versions) -> {
      if (!group.isEmpty()) {
        groups.add(group(group, versions));
      }
    });
    return doc;
  }

  /** {@code GET /apis/<group>}, empty when no resource has that group. */
  Optional<ObjectNode> group(List<ApiResource> resources, String group) {
    List<String> versions = byGroup(resources).get(group);
    return versions == null || group.isEmpty() ? Optional.empty() : Optional.of(group(group, versions));
  }

  /** {@code GET /api/v1} or {@code /apis/<group>/<version>}, empty when the version is unknown. */
  Optional<ObjectNode> resourceList(List<ApiResource> resources, String group, String version) {
    List<ApiResource> matching = resources.stream()
        .filter(r -> r.group().equals(group) && r.version().equals(version)).toList();
    if (matching.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode doc = json.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
        .put("groupVersion", matching.get(0).groupVersion());
    ArrayNode list = doc.putArray("resources");
    for (ApiResource r : matching) {
      ObjectNode entry = list.addObject().put("name", r.plural()).put("singularName", r.singular())
          .put("namespaced", r.namespaced()).put("kind", r.kind());
      strings(entry.putArray("verbs"), r.verbs());
      strings(entry.putArray("shortNames"), r.shortNames());
      strings(entry.putArray("categories"), r.categories());
      if (r.hasStatus()) {
        ObjectNode status = list.addObject().put("name", r.plural() + "/status").put("singularName", "")
            .put("namespaced", r.namespaced()).put("kind", r.kind());
        strings(status.putArray("verbs"), SUBRESOURCE_VERBS);
      }
      if (r.scale().isPresent()) {
        ObjectNode scale = list.addObject().put("name", r.plural() + "/scale").put("singularName", "")
            .put("namespaced", r.namespaced()).put("group", "autoscaling").put("version", "v1")
            .put("kind", "Scale");
        strings(scale.putArray("verbs"), SUBRESOURCE_VERBS);
      }
    }
    return Optional.of(doc);
  }

  /**
   * Aggregated discovery: {@code /api} ({@code core} true) or {@code /apis}, in the given apidiscovery
   * version. One answer replaces the per-version requests of the legacy protocol.
   */
  ObjectNode aggregated(List<ApiResource> resources, boolean core, String discoveryVersion) {
    ObjectNode doc = json.createObjectNode().put("kind", "APIGroupDiscoveryList")
        .put("apiVersion", "apidiscovery.k8s.io/" + discoveryVersion);
    doc.putObject("metadata");
    ArrayNode items = doc.putArray("items");
    byGroup(resources).forEach((group, versions) -> {
      if (group.isEmpty() != core) {
        return;
      }
      ObjectNode item = items.addObject();
      item.putObject("metadata").put("name", group);
      ArrayNode versionList = item.putArray("versions");
      for (String version : versions) {
        ObjectNode v = versionList.addObject().put("version", version).put("freshness", "Current");
        ArrayNode list = v.putArray("resources");
        resources.stream().filter(r -> r.group().equals(group) && r.version().equals(version))
            .forEach(r -> list.add(aggregatedResource(r)));
      }
    });
    return doc;
  }

  private ObjectNode aggregatedResource(ApiResource r) {
    ObjectNode entry = json.createObjectNode().put("resource", r.plural());
    kind(entry.putObject("responseKind"), r.group(), r.version(), r.kind());
    entry.put("scope", r.namespaced() ? "Namespaced" : "Cluster").put("singularResource", r.singular());
    strings(entry.putArray("verbs"), r.verbs());
    strings(entry.putArray("shortNames"), r.shortNames());
    strings(entry.putArray("categories"), r.categories());
    ArrayNode subresources = entry.putArray("subresources");
    if (r.hasStatus()) {
      ObjectNode status = subresources.addObject().put("subresource", "status");
      kind(status.putObject("responseKind"), r.group(), r.version(), r.kind());
      strings(status.putArray("verbs"), SUBRESOURCE_VERBS);
    }
    if (r.scale().isPresent()) {
      ObjectNode scale = subresources.addObject().put("subresource", "scale");
      kind(scale.putObject("responseKind"), "autoscaling", "v1", "Scale");
      strings(scale.putArray("verbs"), SUBRESOURCE_VERBS);
    }
    return entry;
  }

  private ObjectNode group(String group, List<String> versions) {
    ObjectNode doc = json.createObjectNode().put("kind", "APIGroup").put("apiVersion", "v1").put("name", group);
    ArrayNode list = doc.putArray("versions");
    versions.forEach(v -> list.addObject().put("groupVersion", group + "/" + v).put("version", v));
    doc.putObject("preferredVersion").put("groupVersion", group + "/" + versions.get(0))
        .put("version", versions.get(0));
    return doc;
  }

  private static Map<String, List<String>> byGroup(List<ApiResource> resources) {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (ApiResource r : resources) {
      List<String> versions = groups.computeIfAbsent(r.group(), g -> new ArrayList<>());
      if (!versions.contains(r.version())) {
        versions.add(r.version());
      }
    }
    return groups;
  }

  private static void kind(ObjectNode node, String group, String version, String kind) {
    node.put("group", group).put("version", version).put("kind", kind);
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
