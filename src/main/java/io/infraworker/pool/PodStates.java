package io.infraworker.pool;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.Optional;

/** Reads what the kubelet says about a pod. */
public final class PodStates {
  private PodStates() {}

  public static boolean isTerminating(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  /** A pod that has stopped for good: it failed, was evicted or ran to completion (restartPolicy Never). */
  public static boolean isFinished(Pod pod) {
    String phase = phase(pod);
    return "Failed".equals(phase) || "Succeeded".equals(phase);
  }

  public static boolean isReady(Pod pod) {
    PodStatus status = pod.getStatus();
    if (status == null || status.getConditions() == null || isFinished(pod)) {
      return false;
    }
    return status.getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .map(PodCondition::getStatus)
        .anyMatch("True"::equals);
  }

  public static String phase(Pod pod) {
    return pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }

  /** Why a finished pod stopped, e.g. Evicted, OOMKilled or DeadlineExceeded, when the kubelet said. */
  public static Optional<String> finishReason(Pod pod) {
    PodStatus status = pod.getStatus();
    if (status == null) {
      return Optional.empty();
    }
    if (status.getReason() != null) {
      return Optional.of(status.getReason());
    }
    if (status.getContainerStatuses() != null) {
      return status.getContainerStatuses().stream()
          .filter(cs -> cs.getState() != null && cs.getState().getTerminated() != null)
          .map(cs -> cs.getState().getTerminated().getReason())
          .filter(r -> r != null)
          .findFirst();
    }
    return Optional.empty();
  }
}
