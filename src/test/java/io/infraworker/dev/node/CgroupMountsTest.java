package io.infraworker.dev.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CgroupMountsTest {
  private static final String HYBRID_CGROUP = String.join("\n",
      "9:name=systemd:/",
      "8:pids:/",
      "4:memory:/process_api/227d",
      "1:cpu,cpuacct:/",
      "0::/",
      "");
  private static final String HYBRID_MOUNTS = String.join("\n",
      "30 25 0:26 / /sys/fs/cgroup/pids rw,relatime shared:9 - cgroup cgroup rw,pids",
      "31 25 0:27 / /sys/fs/cgroup/memory rw,relatime shared:10 - cgroup cgroup rw,memory",
      "32 25 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:11 - cgroup cgroup rw,cpu,cpuacct",
      "33 25 0:29 / /sys/fs/cgroup/unified rw,relatime shared:12 - cgroup2 cgroup2 rw",
      "");

  @Test
  void hybridHostResolvesEachV1HierarchyAndTheJvmsOwnCgroup() {
    CgroupMounts mounts = CgroupMounts.parse(HYBRID_CGROUP, HYBRID_MOUNTS);
    assertThat(mounts.v1Own("memory")).hasValue(Path.of("/sys/fs/cgroup/memory/process_api/227d"));
    assertThat(mounts.v1Own("pids")).hasValue(Path.of("/sys/fs/cgroup/pids"));
    assertThat(mounts.v1Own("cpu")).hasValue(Path.of("/sys/fs/cgroup/cpu,cpuacct"));
    assertThat(mounts.v1Mount("memory")).hasValue(Path.of("/sys/fs/cgroup/memory"));
    assertThat(mounts.v2Mount()).hasValue(Path.of("/sys/fs/cgroup/unified"));
    assertThat(mounts.v2Own()).hasValue(Path.of("/sys/fs/cgroup/unified"));
  }

  @Test
  void bindMountedSubtreeDropsItsRootFromTheOwnPath() {
    CgroupMounts mounts = CgroupMounts.parse("0::/kubepods/pod1/c1\n",
        "40 30 0:30 /kubepods/pod1/c1 /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
    assertThat(mounts.v2Own()).hasValue(Path.of("/sys/fs/cgroup"));
    assertThat(mounts.v1Own("memory")).isEmpty();
  }

  @Test
  void escapedMountPointsAreUnescaped() {
    CgroupMounts mounts = CgroupMounts.parse("4:memory:/a\n",
        "31 25 0:27 / /sys/fs/cgroup/mem\\040ory rw - cgroup cgroup rw,memory\n");
    assertThat(mounts.v1Own("memory")).hasValue(Path.of("/sys/fs/cgroup/mem ory/a"));
  }
}
