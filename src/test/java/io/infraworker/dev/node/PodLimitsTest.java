package io.infraworker.dev.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;

class PodLimitsTest {
  @Test
  void memoryQuantitiesBecomeBytes() {
    assertThat(PodLimits.memoryBytes(new Quantity("256Mi"))).isEqualTo(256L << 20);
    assertThat(PodLimits.memoryBytes(new Quantity("1Gi"))).isEqualTo(1L << 30);
    assertThat(PodLimits.memoryBytes(new Quantity("500M"))).isEqualTo(500_000_000L);
    assertThat(PodLimits.memoryBytes(new Quantity("64Mi"))).isEqualTo(67_108_864L);
    assertThat(PodLimits.memoryBytes(new Quantity("1000"))).isEqualTo(1000L);
  }

  @Test
  void cpuQuantitiesBecomeMillicoresAndCfsQuotas() {
    assertThat(PodLimits.cpuMillis(new Quantity("500m"))).isEqualTo(500);
    assertThat(PodLimits.cpuMillis(new Quantity("0.25"))).isEqualTo(250);
    assertThat(PodLimits.cpuMillis(new Quantity("2"))).isEqualTo(2000);
    assertThat(PodLimits.cfsQuotaUs(500)).isEqualTo(50_000);
    assertThat(PodLimits.cfsQuotaUs(2000)).isEqualTo(200_000);
    assertThat(PodLimits.cfsQuotaUs(1)).as("the kernel's minimum").isEqualTo(1000);
  }

  @Test
  void limitsComeFromTheFirstContainerAndAreOptional() {
    Pod limited = new PodBuilder().withNewSpec().addNewContainer().withName("function").withNewResources()
        .addToLimits("memory", new Quantity("128Mi")).addToLimits("cpu", new Quantity("250m"))
        .endResources().endContainer().endSpec().build();
    Pod unlimited = new PodBuilder().withNewSpec().addNewContainer().withName("function").endContainer()
        .endSpec().build();

    PodLimits limits = PodLimits.of(limited);
    assertThat(limits.memoryBytes()).hasValue(128L << 20);
    assertThat(limits.cpuMillis()).hasValue(250);
    assertThat(limits.pidsMax()).isEqualTo(512);
    assertThat(PodLimits.of(unlimited).memoryBytes()).isEmpty();
    assertThat(PodLimits.of(unlimited).cpuMillis()).isEmpty();
  }
}
