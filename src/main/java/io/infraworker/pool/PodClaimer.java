package io.infraworker.pool;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a standby pod for a job with one optimistic-locked update (DESIGN §4): the state label, the
 * job label, the owner reference and the pod's deadline change together or not at all.
 */
public class PodClaimer {
  private static final Logger LOG = LoggerFactory.getLogger(PodClaimer.class);

  private final KubernetesClient client;

  public PodClaimer(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Claims the first candidate that nobody else takes first; a 409 means another claim won the pod,
   * so the next one is tried.
   *
   * @param job the new owner
   * @param candidates standby, ready pods, best first
   * @param runSeconds ceil(timeoutMs / 1000) plus the grace
   * @param now the claim time, from which the deadline is counted
   */
  public Optional<Pod> claim(HasMetadata job, List<Pod> candidates, long runSeconds, Instant now) {
    for (Pod candidate : candidates) {
      Pod claimed = new PodBuilder(candidate)
          .editMetadata()
          .addToLabels(Labels.STATE, Labels.STATE_CLAIMED)
          .addToLabels(Labels.JOB, job.getMetadata().getName())
          .withOwnerReferences(SandboxPodFactory.ownerReference(job))
          .endMetadata()
          .editSpec()
          .withActiveDeadlineSeconds(deadlineSeconds(candidate, runSeconds, now))
          .endSpec()
          .build();
      try {
        // update() sends the resourceVersion read from the cache: the API server refuses it with 409
        // when the pod changed since, which is the optimistic lock.
        Pod updated = client.pods().inNamespace(candidate.getMetadata().getNamespace()).resource(claimed).update();
        return Optional.of(updated);
      } catch (KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_CONFLICT || e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
          LOG.debug("pod {} was taken or is gone ({}), trying the next", candidate.getMetadata().getName(), e.getCode());
          continue;
        }
        throw e;
      }
    }
    return Optional.empty();
  }

  /**
   * The pod's {@code activeDeadlineSeconds}: its age at the claim plus the run's allowance, because
   * Kubernetes counts the deadline from the pod's start and lets it only be set once or lowered.
   */
  static long deadlineSeconds(Pod pod, long runSeconds, Instant now) {
    long age = 0;
    if (pod.getStatus() != null && pod.getStatus().getStartTime() != null) {
      age = Math.max(0, Duration.between(Instant.parse(pod.getStatus().getStartTime()), now).toSeconds());
    }
    Long current = pod.getSpec().getActiveDeadlineSeconds();
    long wanted = age + runSeconds;
    return current == null ? wanted : Math.min(current, wanted);
  }
}
