package io.infraworker.intake;

import static io.infraworker.testing.KubeHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.infraworker.dev.DevTools;
import io.infraworker.api.ExecutionJob;
import io.infraworker.api.ExecutionJobSpec;
import io.infraworker.api.JobNames;
import io.infraworker.testing.KubeHarness;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobCreatorTest {
  private static final Instant NOW = Instant.parse("2025-03-01T10:15:30.123456Z");

  private KubeHarness kube;
  private JobCreator creator;

  @BeforeEach
  void start() {
    kube = KubeHarness.start();
    creator = new JobCreator(kube.client(), NAMESPACE, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    kube.close();
  }

  private static ExecutionJobSpec spec(String requestId) {
    PayloadCheck check = new PayloadValidator(Set.of(), "code")
        .validate("{\"requestId\":\"" + requestId + "\",\"runtime\":\"cpp\",\"s3Key\":\"k\"}");
    return ((PayloadCheck.Valid) check).spec();
  }

  private ExecutionJob get(String requestId) {
    return kube.client().resources(ExecutionJob.class).inNamespace(NAMESPACE)
        .withName(JobNames.forRequestId(requestId)).get();
  }

  @Test
  void createsTheJobWithNameLabelsAndAnnotations() {
    Instant sent = Instant.parse("2025-03-01T10:15:29.5Z");
    assertThat(creator.create(spec("req:1"), Optional.of(sent))).isEqualTo(JobCreator.Outcome.CREATED);

    ExecutionJob job = get("req:1");
    assertThat(job.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "infra-worker")
        .containsEntry("infraworker.io/runtime", "cpp");
    assertThat(job.getMetadata().getAnnotations())
        .containsEntry("infraworker.io/request-id", "req:1")
        .containsEntry("infraworker.io/sent-at", "2025-03-01T10:15:29.500Z")
        .containsEntry("infraworker.io/received-at", "2025-03-01T10:15:30.123Z");
    assertThat(job.getSpec().getMemoryMb()).isEqualTo(128);
  }

  @Test
  void withoutSentTimestampThereIsNoSentAtAnnotation() {
    creator.create(spec("req-2"), Optional.empty());
    assertThat(get("req-2").getMetadata().getAnnotations())
        .doesNotContainKey(JobCreator.ANNOTATION_SENT_AT)
        .containsKey(JobCreator.ANNOTATION_RECEIVED_AT);
  }

  @Test
  void anExistingJobIsADuplicate() {
    assertThat(creator.create(spec("req-3"), Optional.empty())).isEqualTo(JobCreator.Outcome.CREATED);
    assertThat(creator.create(spec("req-3"), Optional.empty())).isEqualTo(JobCreator.Outcome.ALREADY_EXISTS);
    assertThat(kube.client().resources(ExecutionJob.class).inNamespace(NAMESPACE).list().getItems()).hasSize(1);
  }

  @Test
  void otherApiErrorsAreThrown() {
    int closedPort = DevTools.freePort("127.0.0.1", 0);
    try (KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
        .withMasterUrl("http://127.0.0.1:" + closedPort).withRequestRetryBackoffLimit(0).build()).build()) {
      JobCreator failing = new JobCreator(unreachable, NAMESPACE, Clock.systemUTC());
      assertThatThrownBy(() -> failing.create(spec("req-4"), Optional.empty()))
          .isInstanceOf(KubernetesClientException.class);
    }
  }
}
