package io.infraworker.dev.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the cgroup driver of a {@link CgroupMode} on this host. */
final class CgroupDrivers {
  private static final Logger LOG = LoggerFactory.getLogger(CgroupDrivers.class);

  private CgroupDrivers() {}

  static CgroupDriver open(CgroupMode mode, String stackName, Optional<RunAs> runAs) {
    CgroupMounts mounts = CgroupMounts.read();
    switch (mode) {
      case V2:
        return CgroupV2Driver.open(mounts, stackName, runAs).map(CgroupDriver.class::cast)
            .orElseThrow(() -> new IllegalStateException("cgroup v2 was asked for, but no writable unified "
                + "hierarchy with a memory controller was found (root needed)"));
      case V1:
        return CgroupV1Driver.open(mounts, stackName, runAs).map(CgroupDriver.class::cast)
            .orElseThrow(() -> new IllegalStateException("cgroup v1 was asked for, but no writable memory "
                + "hierarchy was found (root needed)"));
      case NONE:
        return new RlimitDriver();
      default:
        break;
    }
    // Pure v2 is what the root cgroup.controllers file with memory in it says; on a hybrid host the
    // unified hierarchy exists but carries no memory controller, and v1 does the work.
    Optional<CgroupDriver> driver = Optional.empty();
    if (pureV2()) {
      driver = CgroupV2Driver.open(mounts, stackName, runAs).map(CgroupDriver.class::cast);
    }
    if (driver.isEmpty()) {
      driver = CgroupV1Driver.open(mounts, stackName, runAs).map(CgroupDriver.class::cast);
    }
    return driver.orElseGet(() -> {
      LOG.warn("No writable cgroup hierarchy (run as root for cgroups): pods get a data-segment rlimit "
          + "for memory and no pids or CPU limits, and OOM kills cannot be reported");
      return new RlimitDriver();
    });
  }

  private static boolean pureV2() {
    Path controllers = Path.of("/sys/fs/cgroup/cgroup.controllers");
    try {
      return Files.exists(controllers) && Files.readString(controllers).contains("memory");
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
