package io.infraworker.dev.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.infraworker.pool.PodStates;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PodStatusesTest {
  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");
  private final Pod pod = new PodBuilder().withNewSpec()
      .addNewInitContainer().withName("install-agent").withImage("agent:1").endInitContainer()
      .addNewContainer().withName("function").withImage("python:3.12").withNewResources()
      .addToLimits("memory", new Quantity("128Mi")).addToLimits("cpu", new Quantity("500m"))
      .addToRequests("memory", new Quantity("128Mi")).addToRequests("cpu", new Quantity("500m"))
      .endResources().endContainer().endSpec().build();

  private PodStatus build(Instant readyAt, Termination termination, String reason, String message) {
    Pod withStatus = new PodBuilder(pod).build();
    PodStatus status = PodStatuses.build(
        new PodStatuses.View(pod, "127.20.0.2", T0, T0.plusMillis(5), 42, readyAt, termination, reason, message));
    withStatus.setStatus(status);
    return status;
  }

  @Test
  void aStartedAgentIsPendingUntilItAnswersThenRunningAndReady() {
    PodStatus starting = build(null, null, null, null);
    assertThat(starting.getPhase()).isEqualTo("Pending");
    assertThat(starting.getPodIP()).isEqualTo("127.20.0.2");
    assertThat(starting.getStartTime()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(starting.getContainerStatuses().get(0).getReady()).isFalse();

    PodStatus ready = build(T0.plusMillis(40), null, null, null);
    assertThat(ready.getPhase()).isEqualTo("Running");
    assertThat(ready.getHostIP()).isEqualTo("127.0.0.1");
    assertThat(ready.getQosClass()).isEqualTo("Guaranteed");
    assertThat(ready.getConditions()).extracting(c -> c.getType() + "=" + c.getStatus())
        .containsExactly("PodScheduled=True", "Initialized=True", "ContainersReady=True", "Ready=True");
    var container = ready.getContainerStatuses().get(0);
    assertThat(container.getName()).isEqualTo("function");
    assertThat(container.getReady()).isTrue();
    assertThat(container.getRestartCount()).isZero();
    assertThat(container.getState().getRunning().getStartedAt()).isNotNull();
    assertThat(ready.getInitContainerStatuses().get(0).getState().getTerminated().getReason()).isEqualTo("Completed");
    Pod readyPod = new PodBuilder(pod).withStatus(ready).build();
    assertThat(PodStates.isReady(readyPod)).isTrue();
  }

  @Test
  void anEndedAgentFailsOrSucceedsWithItsReason() {
    PodStatus oom = build(T0, new Termination(137, Termination.OOM_KILLED, null, T0.plusSeconds(3)), null, null);
    assertThat(oom.getPhase()).isEqualTo("Failed");
    assertThat(oom.getContainerStatuses().get(0).getState().getTerminated().getReason()).isEqualTo("OOMKilled");
    assertThat(oom.getContainerStatuses().get(0).getState().getTerminated().getExitCode()).isEqualTo(137);
    assertThat(oom.getConditions()).filteredOn(c -> c.getType().equals("Ready"))
        .singleElement().satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));

    PodStatus deadline = build(T0, new Termination(143, Termination.DEADLINE_EXCEEDED, null, T0.plusSeconds(3)),
        "DeadlineExceeded", PodStatuses.DEADLINE_MESSAGE);
    assertThat(deadline.getPhase()).isEqualTo("Failed");
    assertThat(PodStates.finishReason(new PodBuilder(pod).withStatus(deadline).build())).hasValue("DeadlineExceeded");

    PodStatus done = build(T0, new Termination(0, Termination.COMPLETED, null, T0.plusSeconds(3)), null, null);
    assertThat(done.getPhase()).isEqualTo("Succeeded");
  }
}
