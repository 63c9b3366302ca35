package io.infraworker.dev.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * cgroup v2: one directory per pod under {@code <unified mount>/<stack>}. Not under the JVM's own
 * cgroup: v2 lets no cgroup both hold processes and hand controllers to children, and the JVM's
 * holds the JVM; the root is exempt from that rule.
 */
final class CgroupV2Driver implements CgroupDriver {
  private static final Logger LOG = LoggerFactory.getLogger(CgroupV2Driver.class);
  private static final List<String> WANTED = List.of("memory", "pids", "cpu");

  private final Path parent;
  private final Set<String> controllers;
  private final Optional<RunAs> runAs;

  private CgroupV2Driver(Path parent, Set<String> controllers, Optional<RunAs> runAs) {
    this.parent = parent;
    this.controllers = controllers;
    this.runAs = runAs;
  }

  /** Empty when there is no unified hierarchy with a memory controller we may delegate. */
  static Optional<CgroupV2Driver> open(CgroupMounts mounts, String stackName, Optional<RunAs> runAs) {
    Optional<Path> mount = mounts.v2Mount();
    if (mount.isEmpty()) {
      return Optional.empty();
    }
    Path root = mount.get();
    try {
      Set<String> available = words(CgroupFiles.read(root.resolve("cgroup.controllers")));
      if (!available.contains("memory")) {
        return Optional.empty();
      }
      List<String> wanted = WANTED.stream().filter(available::contains).toList();
      enable(root, wanted);
      Path parent = root.resolve(stackName);
      if (!CgroupFiles.tryMkdir(parent)) {
        return Optional.empty();
      }
      try {
        enable(parent, wanted);
      } catch (IOException e) {
        PodCgroup.rmdir(parent);
        throw e;
      }
      Set<String> enabled = words(CgroupFiles.read(parent.resolve("cgroup.subtree_control")));
      if (!enabled.contains("memory")) {
        PodCgroup.rmdir(parent);
        return Optional.empty();
      }
      return Optional.of(new CgroupV2Driver(parent, enabled, runAs));
    } catch (IOException e) {
      LOG.debug("cgroup v2 at {} is not usable: {}", root, e.toString());
      return Optional.empty();
    }
  }

  private static void enable(Path dir, List<String> controllers) throws IOException {
    Set<String> enabled = words(CgroupFiles.read(dir.resolve("cgroup.subtree_control")));
    String missing = controllers.stream().filter(c -> !enabled.contains(c))
        .map(c -> "+" + c).collect(Collectors.joining(" "));
    if (!missing.isEmpty()) {
      CgroupFiles.write(dir.resolve("cgroup.subtree_control"), missing);
    }
  }

  private static Set<String> words(String text) {
    return Arrays.stream(text.split("\\s+")).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
  }

  @Override
  public PodCgroup create(String name, PodLimits limits) throws IOException {
    Path dir = parent.resolve(name);
    Files.createDirectory(dir);
    try {
      if (limits.memoryBytes().isPresent()) {
        CgroupFiles.write(dir.resolve("memory.max"), String.valueOf(limits.memoryBytes().getAsLong()));
        // Swap would hide the OOM kill the pod's status has to report.
        Path swap = dir.resolve("memory.swap.max");
        if (Files.exists(swap)) {
          CgroupFiles.write(swap, "0");
        }
      }
      if (controllers.contains("pids")) {
        CgroupFiles.write(dir.resolve("pids.max"), String.valueOf(limits.pidsMax()));
      }
      if (controllers.contains("cpu") && limits.cpuMillis().isPresent()) {
        CgroupFiles.write(dir.resolve("cpu.max"),
            PodLimits.cfsQuotaUs(limits.cpuMillis().getAsLong()) + " " + PodLimits.CFS_PERIOD_US);
      }
      // The agent resets memory.peak through an fd it writes to (Linux 6.12 and later).
      Path peak = dir.resolve("memory.peak");
      if (runAs.isPresent() && Files.exists(peak)) {
        runAs.get().chown(peak);
      }
    } catch (IOException | RuntimeException e) {
      PodCgroup.rmdir(dir);
      throw e;
    }
    return new PodCgroup(List.of(dir), Optional.of(dir.resolve("memory.events")), "");
  }

  @Override
  public List<Path> parents() {
    return List.of(parent);
  }

  @Override
  public String describe() {
    return "cgroup v2 " + parent + " " + controllers;
  }

  @Override
  public void close() {
    PodCgroup.rmdir(parent);
  }
}
