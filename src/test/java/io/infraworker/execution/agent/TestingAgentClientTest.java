package io.infraworker.execution.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.infraworker.api.Runtime;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The fake follows the real agent's per-pod rules, so reconciler tests built on it mean something. */
class TestingAgentClientTest {
  private final TestingAgentClient agent = new TestingAgentClient();
  private final AgentEndpoint pod = AgentEndpoint.ofPod("10.0.0.1", "t");
  private final RunRequest request = new RunRequest(Runtime.PYTHON, 1000, 0, null, Map.of(), "j", "f", 128, null);

  @Test
  void holdsRunsUntilReleasedAndReattaches() throws Exception {
    agent.setResult(TestingAgentClient.result(AgentStatus.OK, 0, "hi\n"));
    agent.holdRuns();
    agent.putCode(pod, new byte[] {1});

    CompletableFuture<AgentResult> run = agent.run(pod, request);
    assertThat(agent.awaitHeldRuns(1, Duration.ofSeconds(1))).isTrue();
    assertThat(run).isNotDone();
    assertThat(agent.awaitResult(pod, Duration.ZERO)).isEmpty();
    assertThatThrownBy(() -> agent.outputs(pod)).isInstanceOf(AgentRejectedException.class);

    agent.releaseRuns();
    assertThat(run.get().stdout()).isEqualTo("hi\n");
    assertThat(agent.awaitResult(pod, Duration.ZERO)).contains(run.get());
    assertThat(agent.pod(pod).request()).contains(request);
  }

  @Test
  void enforcesOncePerPodAndFailureSwitches() {
    assertThatThrownBy(() -> agent.awaitResult(pod, Duration.ZERO)).isInstanceOf(AgentRunNotStartedException.class);
    assertThat(agent.run(pod, request)).isCompletedExceptionally();
    agent.putCode(pod, new byte[] {1});
    assertThatThrownBy(() -> agent.putCode(pod, new byte[] {1})).isInstanceOf(AgentRejectedException.class);

    agent.setUnreachable(true);
    assertThat(agent.healthy(pod)).isFalse();
    assertThat(agent.run(pod, request)).isCompletedExceptionally();
    agent.setUnreachable(false);

    agent.failNext(new AgentException("boom", 500, "boom", null));
    assertThat(agent.run(pod, request)).isCompletedExceptionally();
    assertThat(agent.run(pod, request)).isCompleted();
    assertThat(agent.calls()).contains("POST /v1/run 10.0.0.1:8080");
  }
}
