package io.infraworker.dev.node;

/** No cgroups: a data-segment rlimit approximates the memory limit; pids and CPU go unlimited. */
final class RlimitDriver implements CgroupDriver {
  @Override
  public PodCgroup create(String name, PodLimits limits) {
    // Not RLIMIT_AS: the Go runtime reserves hundreds of MiB of address space at start and dies under
    // it. RLIMIT_DATA counts only writable private mappings, close to memory in use. It is per process,
    // not per pod, and an OOM shows as an allocation failure, not as a kill.
    String prelude = limits.memoryBytes().isPresent()
        ? "ulimit -d " + Math.max(1, limits.memoryBytes().getAsLong() / 1024) + " || exit 121; "
        : "";
    return PodCgroup.none(prelude);
  }

  @Override
  public java.util.List<java.nio.file.Path> parents() {
    return java.util.List.of();
  }

  @Override
  public String describe() {
    return "no cgroups (rlimits)";
  }

  @Override
  public void close() {}
}
