package io.infraworker.pool;

import io.infraworker.api.Runtime;
import io.infraworker.api.WarmPool;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** Picks the pool a job runs from: same runtime, the smallest memory that still fits the job. */
public final class PoolSelector {
  private PoolSelector() {}

  public static Optional<WarmPool> select(Collection<WarmPool> pools, Runtime runtime, int memoryMb) {
    return pools.stream()
        .filter(p -> p.getSpec() != null && p.getSpec().getRuntime() == runtime)
        .filter(p -> p.getSpec().getMemoryMb() != null && p.getSpec().getMemoryMb() >= memoryMb)
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .min(Comparator.comparing((WarmPool p) -> p.getSpec().getMemoryMb())
            .thenComparing(p -> p.getMetadata().getName()));
  }
}
