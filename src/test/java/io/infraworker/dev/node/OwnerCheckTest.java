package io.infraworker.dev.node;

import static io.infraworker.testing.KubeHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.infraworker.api.ExecutionJob;
import io.infraworker.api.ExecutionJobSpec;
import io.infraworker.api.WarmPool;
import io.infraworker.testing.KubeHarness;
import java.util.HashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OwnerCheckTest {
  private KubeHarness kube;
  private OwnerCheck check;
  private WarmPool pool;
  private ExecutionJob job;

  @BeforeEach
  void start() {
    kube = KubeHarness.start();
    check = new OwnerCheck(kube.client());
    pool = new NodeFixture(kube.client()).createPool("python-128", 128, "500m");
    ExecutionJob j = new ExecutionJob();
    j.getMetadata().setName("job-1");
    j.getMetadata().setNamespace(NAMESPACE);
    j.setSpec(new ExecutionJobSpec());
    job = kube.client().resource(j).create();
  }

  @AfterEach
  void stop() {
    kube.close();
  }

  private static Pod ownedBy(OwnerReference... owners) {
    return new PodBuilder().withNewMetadata().withName("p").withNamespace(NAMESPACE)
        .withOwnerReferences(owners).endMetadata().build();
  }

  private static OwnerReference ref(String apiVersion, String kind, String name, String uid) {
    return new OwnerReferenceBuilder().withApiVersion(apiVersion).withKind(kind).withName(name).withUid(uid).build();
  }

  @Test
  void podsWithALiveOwnerOrNoOwnerAreKept() {
    assertThat(check.orphaned(ownedBy(), new HashMap<>())).isFalse();
    assertThat(check.orphaned(ownedBy(ref("infraworker.io/v1alpha1", "WarmPool", "python-128",
        pool.getMetadata().getUid())), new HashMap<>())).isFalse();
    assertThat(check.orphaned(ownedBy(ref("infraworker.io/v1alpha1", "ExecutionJob", "job-1",
        job.getMetadata().getUid())), new HashMap<>())).isFalse();
  }

  @Test
  void podsWhoseOwnersAreAllGoneOrReplacedAreOrphans() {
    assertThat(check.orphaned(ownedBy(ref("infraworker.io/v1alpha1", "ExecutionJob", "gone", "u1")),
        new HashMap<>())).isTrue();
    assertThat(check.orphaned(ownedBy(ref("infraworker.io/v1alpha1", "WarmPool", "python-128", "another-uid")),
        new HashMap<>())).as("same name, another object").isTrue();
    kube.client().resource(job).delete();
    assertThat(check.orphaned(ownedBy(ref("infraworker.io/v1alpha1", "ExecutionJob", "job-1",
        job.getMetadata().getUid())), new HashMap<>())).isTrue();
  }

  @Test
  void anOwnerThatCannotBeLookedUpKeepsThePod() {
    assertThat(check.orphaned(ownedBy(ref("example.com/v1", "Unknown", "x", "u")), new HashMap<>())).isFalse();
  }
}
