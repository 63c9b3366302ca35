package io.infraworker.pool;

import static io.infraworker.testing.KubeHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.infraworker.api.Runtime;
import io.infraworker.api.WarmPool;
import io.infraworker.api.WarmPoolStatus;
import io.infraworker.testing.KubeHarness;
import java.time.Duration;
import org.awaitility.core.ThrowingRunnable;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WarmPoolReconcilerTest {
  private KubeHarness kube;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    kube = KubeHarness.start();
    client = kube.client();
    kube.startOperator();
  }

  @AfterEach
  void stop() {
    kube.close();
  }

  private WarmPool createPool(String name, int replicas) {
    WarmPool pool = SandboxPodFactoryTest.pool(name, Runtime.PYTHON, replicas, 256);
    pool.getMetadata().setUid(null);
    return client.resource(pool).create();
  }

  private List<Pod> podsOf(String pool, String state) {
    return kube.pods().stream()
        .filter(p -> pool.equals(Labels.get(p, Labels.POOL).orElse(null)))
        .filter(p -> state.equals(Labels.get(p, Labels.STATE).orElse(null)))
        .collect(Collectors.toList());
  }

  private WarmPoolStatus status(String pool) {
    WarmPool wp = client.resources(WarmPool.class).inNamespace(NAMESPACE).withName(pool).get();
    return wp.getStatus() == null ? new WarmPoolStatus() : wp.getStatus();
  }

  private void scaleSpec(String pool, int replicas) {
    client.resources(WarmPool.class).inNamespace(NAMESPACE).withName(pool)
        .edit(wp -> {
          wp.getSpec().setReplicas(replicas);
          return wp;
        });
  }

  private static void eventually(ThrowingRunnable assertion) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(assertion);
  }

  @Test
  void poolFillsToReplicasWithStandbyPods() {
    createPool("python-256", 3);
    eventually(() -> {
      assertThat(podsOf("python-256", Labels.STATE_STANDBY)).hasSize(3);
      assertThat(status("python-256").getReplicas()).isEqualTo(3);
      assertThat(status("python-256").getSelector()).isEqualTo(Labels.standbySelector("python-256"));
    });
    // and no more than that, once things settle
    assertThat(podsOf("python-256", Labels.STATE_STANDBY)).hasSize(3);
  }

  @Test
  void deletedStandbyPodIsReplaced() {
    createPool("python-256", 2);
    eventually(() -> assertThat(podsOf("python-256", Labels.STATE_STANDBY)).hasSize(2));
    Pod victim = podsOf("python-256", Labels.STATE_STANDBY).get(0);
    client.resource(victim).delete();
    eventually(() -> {
      List<Pod> pods = podsOf("python-256", Labels.STATE_STANDBY);
      assertThat(pods).hasSize(2);
      assertThat(pods).extracting(p -> p.getMetadata().getName()).doesNotContain(victim.getMetadata().getName());
    });
  }

  @Test
  void failedOrEvictedStandbyPodIsDeletedAndReplaced() {
    createPool("python-256", 2);
    eventually(() -> assertThat(podsOf("python-256", Labels.STATE_STANDBY)).hasSize(2));
    Pod victim = podsOf("python-256", Labels.STATE_STANDBY).get(0);
    kube.markFailed(victim, "Evicted");
    eventually(() -> {
      assertThat(client.pods().inNamespace(NAMESPACE).withName(victim.getMetadata().getName()).get()).isNull();
      assertThat(podsOf("python-256", Labels.STATE_STANDBY)).hasSize(2);
      assertThat(events("python-256")).extracting(Event::getReason).contains("PodReplaced");
    });
  }

  @Test
  void scalesUpAndDownThroughTheSpec() {
    createPool("python-256", 1);
    eventually(() -> assertThat(podsOf("python-256", Labels.STATE_STANDBY)).hasSize(1));
    scaleSpec("python-256", 4);
    eventually(() -> assertThat(podsOf("python-256", Labels.STATE_STANDBY)).hasSize(4));
    scaleSpec("python-256", 0);
    eventually(() -> {
      assertThat(podsOf("python-256", Labels.STATE_STANDBY)).isEmpty();
      assertThat(status("python-256").getReplicas()).isZero();
      assertThat(events("python-256")).extracting(Event::getReason).contains("ScaledUp", "ScaledDown");
    });
  }

  @Test
  void scalesThroughTheScaleSubresource() {
    createPool("python-256", 1);
    eventually(() -> assertThat(podsOf("python-256", Labels.STATE_STANDBY)).hasSize(1));
    client.resources(WarmPool.class).inNamespace(NAMESPACE).withName("python-256").scale(3);
    eventually(() -> assertThat(podsOf("python-256", Labels.STATE_STANDBY)).hasSize(3));
    client.resources(WarmPool.class).inNamespace(NAMESPACE).withName("python-256").scale(1);
    eventually(() -> assertThat(podsOf("python-256", Labels.STATE_STANDBY)).hasSize(1));
  }

  @Test
  void claimedPodsAreNeitherCountedAsStandbyNorDeletedOnScaleDown() {
    createPool("python-256", 2);
    eventually(() -> assertThat(podsOf("python-256", Labels.STATE_STANDBY)).hasSize(2));
    Pod claimed = podsOf("python-256", Labels.STATE_STANDBY).get(0);
    client.pods().inNamespace(NAMESPACE).withName(claimed.getMetadata().getName()).edit(p -> {
      p.getMetadata().getLabels().put(Labels.STATE, Labels.STATE_CLAIMED);
      p.getMetadata().getLabels().put(Labels.JOB, "job-1");
      return p;
    });
    eventually(() -> {
      assertThat(podsOf("python-256", Labels.STATE_STANDBY)).hasSize(2);
      assertThat(status("python-256").getClaimed()).isEqualTo(1);
      assertThat(status("python-256").getReplicas()).isEqualTo(2);
    });
    scaleSpec("python-256", 0);
    eventually(() -> {
      assertThat(podsOf("python-256", Labels.STATE_STANDBY)).isEmpty();
      assertThat(status("python-256").getReplicas()).isZero();
    });
    assertThat(client.pods().inNamespace(NAMESPACE).withName(claimed.getMetadata().getName()).get()).isNotNull();
    assertThat(status("python-256").getClaimed()).isEqualTo(1);
  }

  @Test
  void statusCountsReadyPodsAndReportsReadiness() {
    createPool("python-256", 2);
    eventually(() -> assertThat(podsOf("python-256", Labels.STATE_STANDBY)).hasSize(2));
    assertThat(status("python-256").getConditions()).singleElement()
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
    List<Pod> pods = podsOf("python-256", Labels.STATE_STANDBY);
    kube.markReady(pods.get(0));
    eventually(() -> assertThat(status("python-256").getReadyReplicas()).isEqualTo(1));
    kube.markReady(pods.get(1));
    eventually(() -> {
      WarmPoolStatus s = status("python-256");
      assertThat(s.getReadyReplicas()).isEqualTo(2);
      assertThat(s.getConditions()).singleElement().satisfies(c -> {
        assertThat(c.getType()).isEqualTo("Ready");
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getMessage()).isEqualTo("2 of 2 standby pods ready");
      });
    });
  }

  @Test
  void scaleDownRemovesPodsThatAreNotReadyFirst() {
    createPool("python-256", 3);
    eventually(() -> assertThat(podsOf("python-256", Labels.STATE_STANDBY)).hasSize(3));
    Pod ready = podsOf("python-256", Labels.STATE_STANDBY).get(1);
    kube.markReady(ready);
    eventually(() -> assertThat(status("python-256").getReadyReplicas()).isEqualTo(1));
    scaleSpec("python-256", 1);
    eventually(() -> assertThat(podsOf("python-256", Labels.STATE_STANDBY))
        .extracting(p -> p.getMetadata().getName()).containsExactly(ready.getMetadata().getName()));
  }

  private List<Event> events(String pool) {
    return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(e -> pool.equals(e.getInvolvedObject().getName()))
        .collect(Collectors.toList());
  }
}
