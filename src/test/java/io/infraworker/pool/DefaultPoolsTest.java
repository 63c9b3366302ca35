package io.infraworker.pool;

import static io.infraworker.testing.KubeHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.infraworker.api.Runtime;
import io.infraworker.api.WarmPool;
import io.infraworker.testing.KubeHarness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DefaultPoolsTest {
  private KubeHarness kube;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    kube = KubeHarness.start();
    client = kube.client();
  }

  @AfterEach
  void stop() {
    kube.close();
  }

  private static DefaultPools.Settings settings(int python, int go) {
    return new DefaultPools.Settings(
        Map.of(Runtime.PYTHON, python, Runtime.GO, go), rt -> "img-" + rt.wireName(), 256, "500m");
  }

  @Test
  void createsOnePoolPerRuntimeSizedByTheOriginalWorkersVariables() {
    List<String> created = new DefaultPools(client).ensure(NAMESPACE, settings(5, 2));

    assertThat(created).containsExactlyInAnyOrder("python-256", "go-256");
    WarmPool python = client.resources(WarmPool.class).inNamespace(NAMESPACE).withName("python-256").get();
    assertThat(python.getSpec().getReplicas()).isEqualTo(5);
    assertThat(python.getSpec().getImage()).isEqualTo("img-python");
    assertThat(python.getSpec().getMemoryMb()).isEqualTo(256);
    assertThat(client.resources(WarmPool.class).inNamespace(NAMESPACE).withName("go-256").get()
        .getSpec().getReplicas()).isEqualTo(2);
  }

  @Test
  void leavesARuntimeThatAlreadyHasAPoolAlone() {
    WarmPool mine = SandboxPodFactoryTest.pool("my-python", Runtime.PYTHON, 7, 1024);
    mine.getMetadata().setUid(null);
    client.resource(mine).create();

    List<String> created = new DefaultPools(client).ensure(NAMESPACE, settings(5, 2));

    assertThat(created).containsExactly("go-256");
    assertThat(client.resources(WarmPool.class).inNamespace(NAMESPACE).withName("python-256").get()).isNull();
    assertThat(client.resources(WarmPool.class).inNamespace(NAMESPACE).withName("my-python").get()
        .getSpec().getReplicas()).isEqualTo(7);
  }

  @Test
  void runningTwiceCreatesNothingNew() {
    new DefaultPools(client).ensure(NAMESPACE, settings(5, 2));
    assertThat(new DefaultPools(client).ensure(NAMESPACE, settings(9, 9))).isEmpty();
    assertThat(client.resources(WarmPool.class).inNamespace(NAMESPACE).list().getItems()).hasSize(2);
  }
}
