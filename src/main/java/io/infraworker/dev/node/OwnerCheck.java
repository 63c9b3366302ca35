package io.infraworker.dev.node;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The garbage collector's rule for pods, which the mock API server lacks: a pod all of whose owners
 * are gone is deleted. An owner recreated under the same name is another object (another uid).
 */
final class OwnerCheck {
  private final KubernetesClient client;

  OwnerCheck(KubernetesClient client) {
    this.client = client;
  }

  /**
   * True when the pod has owners and none of them exists. A failed lookup counts as "exists": deleting
   * a pod is not undone, so only a sure answer deletes.
   *
   * @param cache owner key to the uid found (empty when not found), shared across one sweep
   */
  boolean orphaned(Pod pod, Map<String, Optional<String>> cache) {
    List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
    if (owners == null || owners.isEmpty()) {
      return false;
    }
    String namespace = pod.getMetadata().getNamespace();
    for (OwnerReference owner : owners) {
      String key = namespace + "/" + owner.getApiVersion() + "/" + owner.getKind() + "/" + owner.getName();
      Optional<String> uid;
      try {
        uid = cache.computeIfAbsent(key, k -> lookup(namespace, owner));
      } catch (KubernetesClientException e) {
        return false;
      }
      if (uid.isPresent() && (owner.getUid() == null || owner.getUid().equals(uid.get()))) {
        return false;
      }
    }
    return true;
  }

  private Optional<String> lookup(String namespace, OwnerReference owner) {
    GenericKubernetesResource found = client.genericKubernetesResources(owner.getApiVersion(), owner.getKind())
        .inNamespace(namespace).withName(owner.getName()).get();
    return Optional.ofNullable(found).map(r -> r.getMetadata().getUid());
  }
}
