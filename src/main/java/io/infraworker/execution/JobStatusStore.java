package io.infraworker.execution;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.infraworker.api.ExecutionJob;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a job's status with an optimistic lock and remembers what it wrote, because the job status
 * is the job's memory: a reconcile that started from an older copy in the informer cache must never
 * overwrite a newer status (say, turn a finished job back into a running one).
 *
 * <p>The write is one JSON patch: {@code test} the resourceVersion the status was computed from, then
 * {@code add /status} (which replaces the whole status, so cleared fields go too). A stale copy fails
 * the test (HTTP 422) and the reconcile is retried with fresh state. JSON patch rather than an update
 * of the status subresource, because the mock API server of the dev stack ignores a stale
 * resourceVersion on {@code PUT /status}.
 */
public class JobStatusStore {
  private static final int MAX_REMEMBERED = 10_000;

  private final KubernetesClient client;
  private final ObjectMapper json = new ObjectMapper();
  // The newest copy this process wrote, until the informer cache has caught up; one entry per job in flight.
  private final Map<ResourceID, ExecutionJob> written = new ConcurrentHashMap<>();

  public JobStatusStore(KubernetesClient client) {
    this.client = client;
  }

  /** The newer of the cached copy and the one this process last wrote. */
  public ExecutionJob freshest(ExecutionJob cached) {
    ResourceID id = ResourceID.fromResource(cached);
    ExecutionJob mine = written.get(id);
    if (mine == null) {
      return cached;
    }
    OptionalLong mineVersion = version(mine);
    OptionalLong cachedVersion = version(cached);
    if (mineVersion.isEmpty() || cachedVersion.isEmpty() || cachedVersion.getAsLong() >= mineVersion.getAsLong()) {
      written.remove(id, mine);
      return cached;
    }
    // A copy: the reconcile changes what it gets, and a failed write must not change what we remember.
    return client.getKubernetesSerialization().clone(mine);
  }

  /** Writes {@code job.getStatus()} if the job is still at the resourceVersion it was read at. */
  public ExecutionJob write(ExecutionJob job) {
    ArrayNode patch = json.createArrayNode();
    patch.addObject().put("op", "test").put("path", "/metadata/resourceVersion")
        .put("value", job.getMetadata().getResourceVersion());
    patch.addObject().put("op", "add").put("path", "/status").set("value", json.valueToTree(job.getStatus()));
    ExecutionJob updated = client.resources(ExecutionJob.class)
        .inNamespace(job.getMetadata().getNamespace())
        .withName(job.getMetadata().getName())
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON), patch.toString());
    if (written.size() >= MAX_REMEMBERED) {
      // Only an aid: the resourceVersion test above still refuses stale writes without it.
      written.clear();
    }
    written.put(ResourceID.fromResource(updated), updated);
    return updated;
  }

  public void forget(ResourceID job) {
    written.remove(job);
  }

  private static OptionalLong version(ExecutionJob job) {
    try {
      return OptionalLong.of(Long.parseLong(job.getMetadata().getResourceVersion()));
    } catch (NumberFormatException | NullPointerException e) {
      // Resource versions are opaque to clients; when one is not a number, trust the cache.
      return OptionalLong.empty();
    }
  }
}
