package io.infraworker.dev.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the status a kubelet would write for a pod from what LocalNode knows of it. */
final class PodStatuses {
  static final String HOST_IP = "127.0.0.1";
  static final String DEADLINE_MESSAGE = "Pod was active on the node longer than the specified deadline";

  private PodStatuses() {}

  /**
   * What LocalNode knows of one pod at one moment.
   *
   * @param startedAt when the agent process started, or null before
   * @param readyAt when {@code /healthz} first answered 200, or null
   * @param termination how the agent ended, or null while it runs
   * @param podReason the pod-level reason (e.g. {@code DeadlineExceeded}), or null
   */
  record View(
      Pod pod, String podIP, Instant startTime, Instant startedAt, long pid, Instant readyAt,
      Termination termination, String podReason, String podMessage) {}

  static PodStatus build(View v) {
    Termination t = v.termination();
    boolean ready = v.readyAt() != null && t == null;
    String phase = t != null ? (t.succeeded() ? "Succeeded" : "Failed")
        : v.readyAt() != null ? "Running" : "Pending";
    Instant readyChange = t != null ? t.finishedAt() : v.readyAt() != null ? v.readyAt() : v.startTime();
    Container container = v.pod().getSpec().getContainers().get(0);

    List<PodCondition> conditions = List.of(
        condition("PodScheduled", true, v.startTime()),
        condition("Initialized", true, v.startTime()),
        condition("ContainersReady", ready, readyChange),
        condition("Ready", ready, readyChange));
    List<ContainerStatus> initStatuses = new ArrayList<>();
    for (Container init : v.pod().getSpec().getInitContainers()) {
      // The agent binary is local, so the init container that would install it has nothing to do.
      initStatuses.add(new ContainerStatusBuilder()
          .withName(init.getName()).withImage(init.getImage()).withImageID("")
          .withReady(true).withStarted(false).withRestartCount(0)
          .withState(new ContainerStateBuilder().withNewTerminated()
              .withExitCode(0).withReason("Completed")
              .withStartedAt(time(v.startTime())).withFinishedAt(time(v.startTime()))
              .endTerminated().build())
          .build());
    }
    ContainerStatus main = new ContainerStatusBuilder()
        .withName(container.getName())
        .withImage(container.getImage())
        .withImageID("")
        .withContainerID(v.pid() > 0 ? "localnode://" + v.pid() : null)
        .withReady(ready)
        .withStarted(v.startedAt() != null && t == null)
        .withRestartCount(0)
        .withState(state(v))
        .build();
    return new PodStatusBuilder()
        .withPhase(phase)
        .withReason(v.podReason())
        .withMessage(v.podMessage())
        .withHostIP(HOST_IP)
        .withHostIPs(new HostIP(HOST_IP))
        .withPodIP(v.podIP())
        .withPodIPs(v.podIP() == null ? List.of() : List.of(new PodIP(v.podIP())))
        .withStartTime(time(v.startTime()))
        .withQosClass(qosClass(v.pod()))
        .withConditions(conditions)
        .withInitContainerStatuses(initStatuses)
        .withContainerStatuses(main)
        .build();
  }

  private static ContainerState state(View v) {
    Termination t = v.termination();
    if (t != null) {
      return new ContainerStateBuilder().withNewTerminated()
          .withExitCode(t.exitCode())
          .withReason(t.reason())
          .withMessage(t.message())
          .withStartedAt(time(v.startedAt()))
          .withFinishedAt(time(t.finishedAt()))
          .withContainerID(v.pid() > 0 ? "localnode://" + v.pid() : null)
          .endTerminated().build();
    }
    if (v.startedAt() != null) {
      return new ContainerStateBuilder().withNewRunning().withStartedAt(time(v.startedAt())).endRunning().build();
    }
    return new ContainerStateBuilder().withNewWaiting().withReason("ContainerCreating").endWaiting().build();
  }

  private static PodCondition condition(String type, boolean status, Instant since) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withLastTransitionTime(time(since))
        .build();
  }

  /** The status of a pod this node refuses to run, as the kubelet's admission writes it. */
  static PodStatus rejected(String reason, String message) {
    return new PodStatusBuilder().withPhase("Failed").withReason(reason).withMessage(message).build();
  }

  // The API server computes this on a real cluster; the mock does not, and the operator may read it.
  static String qosClass(Pod pod) {
    boolean any = false;
    boolean guaranteed = true;
    for (Container c : pod.getSpec().getContainers()) {
      ResourceRequirements r = c.getResources();
      Map<String, Quantity> limits = r == null || r.getLimits() == null ? Map.of() : r.getLimits();
      Map<String, Quantity> requests = r == null || r.getRequests() == null ? limits : r.getRequests();
      any |= !limits.isEmpty() || !requests.isEmpty();
      guaranteed &= limits.containsKey("cpu") && limits.containsKey("memory") && requests.equals(limits);
    }
    return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
  }

  static String time(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
