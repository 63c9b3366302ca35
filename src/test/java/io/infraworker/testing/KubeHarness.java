package io.infraworker.testing;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.infraworker.config.OperatorConfig;
import io.infraworker.dev.MockKubernetesApi;
import io.infraworker.operator.InfraWorkerOperator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared harness of mock-server tests: the Fabric8 mock API server in CRUD mode with the
 * committed CRDs from {@code crds/}, a client, and the operator started against it.
 */
public final class KubeHarness implements AutoCloseable {
  public static final String NAMESPACE = "jobs";

  private final MockKubernetesApi api;
  private final KubernetesClient client;
  private InfraWorkerOperator operator;

  private KubeHarness(MockKubernetesApi api) {
    this.api = api;
    this.client = api.createClient();
  }

  public static KubeHarness start() {
    MockKubernetesApi api = MockKubernetesApi.start(InetAddress.getLoopbackAddress(), 0);
    api.installCrds(Path.of("crds"));
    return new KubeHarness(api);
  }

  public KubernetesClient client() {
    return client;
  }

  /** The configuration every operator test starts from: required values, free ports, no default pools. */
  public static Map<String, String> baseConfig() {
    Map<String, String> env = new HashMap<>();
    env.put("SQS_QUEUE_URL", "http://127.0.0.1:9324/000000000000/tasks");
    env.put("S3_CODE_BUCKET", "code");
    env.put("S3_USER_DATA_BUCKET", "user-data");
    env.put("HEALTH_PORT", "0");
    env.put("METRICS_PORT", "0");
    env.put("LEADER_ELECTION_ENABLED", "false");
    env.put("CREATE_DEFAULT_POOLS", "false");
    env.put("OPERATOR_NAMESPACE", NAMESPACE);
    env.put("WATCH_NAMESPACES", NAMESPACE);
    return env;
  }

  /** Starts the operator with the base config plus the overrides. */
  public InfraWorkerOperator startOperator(Map<String, String> overrides) {
    Map<String, String> env = baseConfig();
    env.putAll(overrides);
    try {
      operator = new InfraWorkerOperator(OperatorConfig.fromMap(env), client, Clock.systemUTC()).start();
      return operator;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public InfraWorkerOperator startOperator() {
    return startOperator(Map.of());
  }

  public List<Pod> pods() {
    return client.pods().inNamespace(NAMESPACE).list().getItems();
  }

  /** Writes the status a kubelet writes once the agent answers its readiness probe. */
  public void markReady(Pod pod) {
    writeStatus(pod, new PodStatusBuilder()
        .withPhase("Running")
        .withStartTime(Instant.now().toString())
        .withPodIP("127.0.0.1")
        .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True").build())
        .build());
  }

  /** Writes the status a kubelet writes when a pod fails, e.g. with reason {@code Evicted}. */
  public void markFailed(Pod pod, String reason) {
    writeStatus(pod, new PodStatusBuilder()
        .withPhase("Failed")
        .withReason(reason)
        .withContainerStatuses(new ContainerStatusBuilder()
            .withName("function")
            .withState(new ContainerStateBuilder().withNewTerminated()
                .withExitCode(137).withReason(reason).endTerminated().build())
            .build())
        .build());
  }

  private void writeStatus(Pod pod, PodStatus status) {
    client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
        .editStatus(p -> {
          p.setStatus(status);
          return p;
        });
  }

  @Override
  public void close() {
    if (operator != null) {
      operator.close();
    }
    client.close();
    api.close();
  }
}
