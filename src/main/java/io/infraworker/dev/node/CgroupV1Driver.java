package io.infraworker.dev.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * cgroup v1: one directory per controller ({@code memory}, {@code pids}, {@code cpu}), each under
 * {@code <this JVM's cgroup in that hierarchy>/<stack>}, or {@code <mount>/<stack>} when that is not writable.
 */
final class CgroupV1Driver implements CgroupDriver {
  private static final Logger LOG = LoggerFactory.getLogger(CgroupV1Driver.class);
  static final String MEMORY = "memory";
  static final String PIDS = "pids";
  static final String CPU = "cpu";

  private final Map<String, Path> parents;
  private final Optional<RunAs> runAs;

  private CgroupV1Driver(Map<String, Path> parents, Optional<RunAs> runAs) {
    this.parents = parents;
    this.runAs = runAs;
  }

  /** Empty when the memory hierarchy is missing or not writable; pids and CPU are taken where possible. */
  static Optional<CgroupV1Driver> open(CgroupMounts mounts, String stackName, Optional<RunAs> runAs) {
    Map<String, Path> parents = new LinkedHashMap<>();
    for (String controller : List.of(MEMORY, PIDS, CPU)) {
      parent(mounts, controller, stackName).ifPresent(p -> parents.put(controller, p));
    }
    if (!parents.containsKey(MEMORY)) {
      parents.values().forEach(PodCgroup::rmdir);
      return Optional.empty();
    }
    if (parents.size() < 3) {
      LOG.warn("cgroup v1: no writable {} hierarchy, so pods run without those limits",
          List.of(PIDS, CPU).stream().filter(c -> !parents.containsKey(c)).toList());
    }
    return Optional.of(new CgroupV1Driver(parents, runAs));
  }

  // Nesting under the JVM's own cgroup charges the pods to whatever contains the dev stack (as a
  // kubelet's pods sit under kubepods); the mount's root is the fallback when that is not writable.
  private static Optional<Path> parent(CgroupMounts mounts, String controller, String stackName) {
    List<Path> candidates = new ArrayList<>();
    mounts.v1Own(controller).ifPresent(own -> candidates.add(own.resolve(stackName)));
    mounts.v1Mount(controller).ifPresent(m -> candidates.add(m.resolve(stackName)));
    return candidates.stream().distinct()
        .filter(dir -> Files.isDirectory(dir.getParent()) && CgroupFiles.tryMkdir(dir))
        .findFirst();
  }

  @Override
  public PodCgroup create(String name, PodLimits limits) throws IOException {
    List<Path> dirs = new ArrayList<>();
    try {
      Path memory = mkdir(dirs, parents.get(MEMORY).resolve(name));
      if (limits.memoryBytes().isPresent()) {
        String bytes = String.valueOf(limits.memoryBytes().getAsLong());
        CgroupFiles.write(memory.resolve("memory.limit_in_bytes"), bytes);
        // Without it the kernel swaps before it OOM-kills, and a swapping pod looks like a slow one.
        Path memsw = memory.resolve("memory.memsw.limit_in_bytes");
        if (Files.exists(memsw)) {
          CgroupFiles.write(memsw, bytes);
        }
      }
      // The agent resets its peak (writes 0) just before the function starts; as nobody it needs this.
      if (runAs.isPresent()) {
        runAs.get().chown(memory.resolve("memory.max_usage_in_bytes"));
      }
      if (parents.containsKey(PIDS)) {
        Path pids = mkdir(dirs, parents.get(PIDS).resolve(name));
        CgroupFiles.write(pids.resolve("pids.max"), String.valueOf(limits.pidsMax()));
      }
      if (parents.containsKey(CPU) && limits.cpuMillis().isPresent()) {
        Path cpu = mkdir(dirs, parents.get(CPU).resolve(name));
        CgroupFiles.write(cpu.resolve("cpu.cfs_period_us"), String.valueOf(PodLimits.CFS_PERIOD_US));
        CgroupFiles.write(cpu.resolve("cpu.cfs_quota_us"),
            String.valueOf(PodLimits.cfsQuotaUs(limits.cpuMillis().getAsLong())));
      }
    } catch (IOException | RuntimeException e) {
      dirs.forEach(PodCgroup::rmdir);
      throw e;
    }
    return new PodCgroup(dirs, Optional.of(dirs.get(0).resolve("memory.oom_control")), "");
  }

  private static Path mkdir(List<Path> dirs, Path dir) throws IOException {
    Files.createDirectory(dir);
    dirs.add(dir);
    return dir;
  }

  @Override
  public List<Path> parents() {
    return List.copyOf(parents.values());
  }

  @Override
  public String describe() {
    return "cgroup v1 " + parents;
  }

  @Override
  public void close() {
    parents.values().forEach(PodCgroup::rmdir);
  }
}
