package io.infraworker.dev.kubectl;

import java.util.List;
import java.util.Optional;

/** The built-in resource types the dev stack stores: what a real API server would announce for them. */
final class BuiltinResources {
  private BuiltinResources() {}

  static final List<ApiResource> ALL = List.of(
      core("pods", "pod", "Pod", true, List.of("po"), List.of("all"), true),
      core("events", "event", "Event", true, List.of("ev"), List.of(), false),
      core("namespaces", "namespace", "Namespace", false, List.of("ns"), List.of(), true),
      core("services", "service", "Service", true, List.of("svc"), List.of("all"), true),
      core("configmaps", "configmap", "ConfigMap", true, List.of("cm"), List.of(), false),
      core("secrets", "secret", "Secret", true, List.of(), List.of(), false),
      core("serviceaccounts", "serviceaccount", "ServiceAccount", true, List.of("sa"), List.of(), false),
      new ApiResource("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, ApiResource.ALL_VERBS,
          List.of(), List.of(), false, Optional.empty(), List.of(), Optional.empty()),
      new ApiResource("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition",
          "CustomResourceDefinition", false, ApiResource.ALL_VERBS, List.of("crd", "crds"), List.of("api-extensions"),
          true, Optional.empty(), List.of(), Optional.empty()));

  private static ApiResource core(String plural, String singular, String kind, boolean namespaced,
      List<String> shortNames, List<String> categories, boolean hasStatus) {
    return new ApiResource("", "v1", plural, singular, kind, namespaced, ApiResource.ALL_VERBS, shortNames,
        categories, hasStatus, Optional.empty(), List.of(), Optional.empty());
  }
}
