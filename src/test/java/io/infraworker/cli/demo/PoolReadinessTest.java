package io.infraworker.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.infraworker.api.Runtime;
import io.infraworker.api.WarmPool;
import io.infraworker.api.WarmPoolSpec;
import io.infraworker.api.WarmPoolStatus;
import io.infraworker.testing.KubeHarness;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo's wait for warm pools, against the mock API server. */
class PoolReadinessTest {
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
  void poolsAreReadyOnceEveryRuntimeHasAReadyPod() throws Exception {
    String ns = "pools";
    PoolReadiness readiness = new PoolReadiness(client, ns);
    assertThat(readiness.await(EnumSet.of(Runtime.PYTHON, Runtime.GO), Duration.ZERO))
        .containsExactly("python (no pool)", "go (no pool)");
    pool(ns, "python-256", Runtime.PYTHON, 1);
    pool(ns, "go-256", Runtime.GO, 0);
    assertThat(readiness.await(EnumSet.of(Runtime.PYTHON, Runtime.GO), Duration.ofMillis(600)))
        .isEqualTo(List.of("go-256 (0/2 ready)"));
    pool(ns, "go-512", Runtime.GO, 2);
    assertThat(readiness.await(EnumSet.of(Runtime.PYTHON, Runtime.GO), Duration.ofSeconds(5))).isEmpty();
  }

  private static void pool(String ns, String name, Runtime runtime, int ready) {
    WarmPool pool = new WarmPool();
    pool.getMetadata().setName(name);
    pool.getMetadata().setNamespace(ns);
    WarmPoolSpec spec = new WarmPoolSpec();
    spec.setRuntime(runtime);
    spec.setReplicas(2);
    spec.setMemoryMb(256);
    spec.setImage("runtime:1");
    pool.setSpec(spec);
    pool = client.resource(pool).create();
    WarmPoolStatus status = new WarmPoolStatus();
    status.setReplicas(2);
    status.setReadyReplicas(ready);
    pool.setStatus(status);
    client.resource(pool).updateStatus();
  }
}
