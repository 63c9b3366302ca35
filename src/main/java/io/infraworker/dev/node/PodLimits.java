package io.infraworker.dev.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The limits of a pod's cgroup, read from its first container as the kubelet reads them.
 *
 * @param memoryBytes {@code limits.memory}, when set
 * @param cpuMillis {@code limits.cpu} in millicores, when set
 * @param pidsMax the pids limit every pod gets (Kubernetes sets it node-wide, not per pod)
 */
record PodLimits(OptionalLong memoryBytes, OptionalLong cpuMillis, int pidsMax) {
  static final int PIDS_MAX = 512;
  /** The period of the CFS bandwidth control; the kubelet's default. */
  static final long CFS_PERIOD_US = 100_000;

  static PodLimits of(Pod pod) {
    Container container = pod.getSpec().getContainers().get(0);
    Map<String, Quantity> limits =
        container.getResources() == null ? null : container.getResources().getLimits();
    if (limits == null) {
      return new PodLimits(OptionalLong.empty(), OptionalLong.empty(), PIDS_MAX);
    }
    return new PodLimits(
        limits.containsKey("memory") ? OptionalLong.of(memoryBytes(limits.get("memory"))) : OptionalLong.empty(),
        limits.containsKey("cpu") ? OptionalLong.of(cpuMillis(limits.get("cpu"))) : OptionalLong.empty(),
        PIDS_MAX);
  }

  /** Bytes of a memory quantity such as {@code 256Mi}, {@code 1Gi} or {@code 500M}, rounded up. */
  static long memoryBytes(Quantity quantity) {
    return quantity.getNumericalAmount().setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** Millicores of a CPU quantity such as {@code 500m}, {@code 0.5} or {@code 2}, rounded up. */
  static long cpuMillis(Quantity quantity) {
    return quantity.getNumericalAmount().multiply(BigDecimal.valueOf(1000))
        .setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** The CFS quota per {@link #CFS_PERIOD_US} for the CPU limit; the kernel refuses quotas under 1 ms. */
  static long cfsQuotaUs(long cpuMillis) {
    return Math.max(1000, cpuMillis * CFS_PERIOD_US / 1000);
  }
}
