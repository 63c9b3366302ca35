package io.infraworker.cli.submit;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.infraworker.api.ExecutionJob;
import io.infraworker.api.JobNames;
import io.infraworker.api.JobPhase;
import java.nio.file.Path;
import java.util.Optional;

/** Reads {@code status.phase} of the ExecutionJob named after the requestId. */
public final class KubeJobPhases implements JobPhaseSource, AutoCloseable {
  private static final int TIMEOUT_MS = 2000;

  private final KubernetesClient client;
  private final String namespace;
  private final boolean ownsClient;
  // The running state is a nicety: after the first failure the cluster is not asked again, so an
  // unreachable API server costs one timeout, not one per poll.
  private volatile boolean unreachable;

  /** Uses a client the caller keeps open. {@code namespace} null means the client's own. */
  public KubeJobPhases(KubernetesClient client, String namespace) {
    this(client, namespace, false);
  }

  private KubeJobPhases(KubernetesClient client, String namespace, boolean ownsClient) {
    this.client = client;
    this.namespace = namespace != null ? namespace : client.getNamespace() != null ? client.getNamespace() : "default";
    this.ownsClient = ownsClient;
  }

  /** A client of the kubeconfig's cluster with short timeouts and no retries; NONE when it cannot be read. */
  public static JobPhaseSource fromKubeconfig(Path kubeconfig, String namespace) {
    try {
      Config config = new ConfigBuilder(Config.fromKubeconfig(kubeconfig.toFile()))
          .withConnectionTimeout(TIMEOUT_MS)
          .withRequestTimeout(TIMEOUT_MS)
          .withRequestRetryBackoffLimit(0)
          .build();
      return new KubeJobPhases(new KubernetesClientBuilder().withConfig(config).build(), namespace, true);
    } catch (RuntimeException e) {
      return NONE;
    }
  }

  @Override
  public Optional<JobPhase> phase(String requestId) {
    if (unreachable) {
      return Optional.empty();
    }
    try {
      ExecutionJob job = client.resources(ExecutionJob.class).inNamespace(namespace)
          .withName(JobNames.forRequestId(requestId)).get();
      return job == null || job.getStatus() == null ? Optional.empty() : Optional.ofNullable(job.getStatus().getPhase());
    } catch (KubernetesClientException e) {
      // get() answers null for a missing job; anything thrown means no access or no cluster.
      unreachable = true;
      return Optional.empty();
    } catch (RuntimeException e) {
      unreachable = true;
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    }
  }
}
