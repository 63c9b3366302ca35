package io.infraworker.cli.submit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.infraworker.api.ExecutionJob;
import io.infraworker.api.ExecutionJobSpec;
import io.infraworker.api.ExecutionJobStatus;
import io.infraworker.api.JobNames;
import io.infraworker.api.JobPhase;
import io.infraworker.api.Runtime;
import io.infraworker.testing.KubeHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The running state of submit: the ExecutionJob's phase, read from the mock API server. */
class KubeJobPhasesTest {
  private static KubeHarness kube;
  private static KubernetesClient client;

  @BeforeAll
  static void startApi() {
    kube = KubeHarness.start();
    client = kube.client();
  }

  @AfterAll
  static void stopApi() {
    kube.close();
  }

  @Test
  void thePhaseOfTheJobNamedAfterTheRequestIdIsRead() {
    JobPhaseSource phases = new KubeJobPhases(client, KubeHarness.NAMESPACE);
    assertThat(phases.phase("req-phase")).isEmpty();
    ExecutionJob job = new ExecutionJob();
    job.getMetadata().setName(JobNames.forRequestId("req-phase"));
    job.getMetadata().setNamespace(KubeHarness.NAMESPACE);
    ExecutionJobSpec spec = new ExecutionJobSpec();
    spec.setRequestId("req-phase");
    spec.setRuntime(Runtime.PYTHON);
    job.setSpec(spec);
    job = client.resource(job).create();
    ExecutionJobStatus status = new ExecutionJobStatus();
    status.setPhase(JobPhase.RUNNING);
    job.setStatus(status);
    client.resource(job).updateStatus();
    assertThat(phases.phase("req-phase")).contains(JobPhase.RUNNING);
  }

  @Test
  void anUnreachableClusterGivesNoPhase(@TempDir Path dir) throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: gone
          cluster:
            server: http://127.0.0.1:1
        contexts:
        - name: gone
          context:
            cluster: gone
            namespace: default
        current-context: gone
        users: []
        """);
    JobPhaseSource phases = KubeJobPhases.fromKubeconfig(kubeconfig, null);
    long start = System.nanoTime();
    assertThat(phases.phase("req-x")).isEmpty();
    assertThat(phases.phase("req-x")).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    if (phases instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }
}
