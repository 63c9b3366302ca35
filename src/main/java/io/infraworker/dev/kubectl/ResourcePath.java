package io.infraworker.dev.kubectl;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A resource URL path split into group, version, namespace, resource, name and subresource. */
record ResourcePath(String group, String version, String namespace, String resource, String name, String subresource) {

  /** Parses {@code /api/v1/...} and {@code /apis/<group>/<version>/...}; empty for anything else. */
  static Optional<ResourcePath> parse(String path) {
    List<String> parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    String group;
    int rest;
    if (parts.size() >= 3 && parts.get(0).equals("api")) {
      group = "";
      rest = 2;
    } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      rest = 3;
    } else {
      return Optional.empty();
    }
    String version = parts.get(rest - 1);
    List<String> tail = parts.subList(rest, parts.size());
    String namespace = null;
    // "/namespaces/x" alone is the namespace object itself; with more segments it scopes a resource.
    if (tail.size() >= 3 && tail.get(0).equals("namespaces")) {
      namespace = tail.get(1);
      tail = tail.subList(2, tail.size());
    }
    if (tail.isEmpty() || tail.size() > 3) {
      return Optional.empty();
    }
    return Optional.of(new ResourcePath(group, version, namespace, tail.get(0),
        tail.size() > 1 ? tail.get(1) : null, tail.size() > 2 ? tail.get(2) : null));
  }

  boolean isCollection() {
    return name == null;
  }
}
