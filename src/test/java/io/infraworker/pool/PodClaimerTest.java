package io.infraworker.pool;

import static io.infraworker.testing.KubeHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.infraworker.api.ExecutionJob;
import io.infraworker.api.Runtime;
import io.infraworker.testing.KubeHarness;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PodClaimerTest {
  private KubeHarness kube;
  private KubernetesClient client;
  private final SandboxPodFactory factory = new SandboxPodFactory(
      SandboxSettings.of("agent:1", Optional.empty()), new PodNames(new SecureRandom()));

  @BeforeEach
  void start() {
    kube = KubeHarness.start();
    client = kube.client();
  }

  @AfterEach
  void stop() {
    kube.close();
  }

  private Pod standbyPod() {
    Pod pod = client.resource(factory.standbyPod(SandboxPodFactoryTest.pool("python-256", Runtime.PYTHON, 1, 256)))
        .create();
    kube.markReady(pod);
    return client.resource(pod).get();
  }

  private static ExecutionJob job(String name) {
    ExecutionJob job = new ExecutionJob();
    job.getMetadata().setName(name);
    job.getMetadata().setNamespace(NAMESPACE);
    job.getMetadata().setUid("uid-" + name);
    return job;
  }

  @Test
  void claimMovesLabelsOwnerAndDeadlineInOneUpdate() {
    Pod pod = standbyPod();
    Instant started = Instant.parse(pod.getStatus().getStartTime());

    Pod claimed = new PodClaimer(client).claim(job("job-a"), List.of(pod), 40, started.plusSeconds(100)).orElseThrow();

    Pod stored = client.resource(claimed).get();
    assertThat(stored.getMetadata().getLabels())
        .containsEntry(Labels.STATE, Labels.STATE_CLAIMED).containsEntry(Labels.JOB, "job-a");
    assertThat(stored.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
      assertThat(o.getKind()).isEqualTo("ExecutionJob");
      assertThat(o.getName()).isEqualTo("job-a");
    });
    assertThat(stored.getSpec().getActiveDeadlineSeconds()).isEqualTo(140);
  }

  @Test
  void aStaleCopyLosesTheRaceAndTheNextCandidateIsTaken() {
    Pod first = standbyPod();
    Pod second = standbyPod();
    PodClaimer claimer = new PodClaimer(client);
    // job-a claims the first pod; job-b still holds the copy of it from before the claim
    assertThat(claimer.claim(job("job-a"), List.of(first), 40, Instant.now())).isPresent();

    Optional<Pod> claimedByB = claimer.claim(job("job-b"), List.of(first, second), 40, Instant.now());

    assertThat(claimedByB).hasValueSatisfying(p ->
        assertThat(p.getMetadata().getName()).isEqualTo(second.getMetadata().getName()));
    assertThat(client.resource(first).get().getMetadata().getLabels()).containsEntry(Labels.JOB, "job-a");
  }

  @Test
  void noCandidateLeftMeansNoClaim() {
    Pod only = standbyPod();
    PodClaimer claimer = new PodClaimer(client);
    claimer.claim(job("job-a"), List.of(only), 40, Instant.now());
    assertThat(claimer.claim(job("job-b"), List.of(only), 40, Instant.now())).isEmpty();
  }

  @Test
  void theDeadlineIsNeverRaised() {
    Pod pod = standbyPod();
    pod.getSpec().setActiveDeadlineSeconds(30L);
    assertThat(PodClaimer.deadlineSeconds(pod, 40, Instant.parse(pod.getStatus().getStartTime()).plusSeconds(5)))
        .isEqualTo(30);
  }
}
