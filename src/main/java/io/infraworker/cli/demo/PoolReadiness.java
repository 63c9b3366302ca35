package io.infraworker.cli.demo;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.infraworker.api.Runtime;
import io.infraworker.api.WarmPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Waits until every runtime has a WarmPool with a Ready standby pod, so the first jobs do not wait for pods. */
public final class PoolReadiness {
  private static final Duration POLL = Duration.ofMillis(500);

  private final KubernetesClient client;
  private final String namespace;

  public PoolReadiness(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** Waits at most {@code timeout}; returns what is still not ready (empty when all are). */
  public List<String> await(Collection<Runtime> runtimes, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> missing = notReady(runtimes);
    while (!missing.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(POLL.toMillis());
      missing = notReady(runtimes);
    }
    return missing;
  }

  /** Per runtime without a ready pool: {@code go (no pool)} or {@code go-256 (0/2 ready)}. */
  List<String> notReady(Collection<Runtime> runtimes) {
    List<WarmPool> pools;
    try {
      pools = client.resources(WarmPool.class).inNamespace(namespace).list().getItems();
    } catch (KubernetesClientException e) {
      return List.of("WarmPools cannot be listed: " + e.getMessage());
    }
    List<String> missing = new ArrayList<>();
    for (Runtime runtime : runtimes) {
      List<WarmPool> ofRuntime = pools.stream()
          .filter(p -> p.getSpec() != null && p.getSpec().getRuntime() == runtime)
          .toList();
      if (ofRuntime.isEmpty()) {
        missing.add(runtime.wireName() + " (no pool)");
      } else if (ofRuntime.stream().noneMatch(PoolReadiness::hasReadyPod)) {
        WarmPool pool = ofRuntime.get(0);
        Integer ready = pool.getStatus() == null ? null : pool.getStatus().getReadyReplicas();
        missing.add(pool.getMetadata().getName() + " (" + (ready == null ? 0 : ready) + "/"
            + pool.getSpec().getReplicas() + " ready)");
      }
    }
    return missing;
  }

  private static boolean hasReadyPod(WarmPool pool) {
    return pool.getStatus() != null && pool.getStatus().getReadyReplicas() != null
        && pool.getStatus().getReadyReplicas() >= 1;
  }
}
