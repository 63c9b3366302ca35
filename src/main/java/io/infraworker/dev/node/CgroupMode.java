package io.infraworker.dev.node;

/** Which cgroup hierarchy LocalNode puts pods in; {@code AUTO} picks v2, then v1, then rlimits. */
public enum CgroupMode {
  AUTO,
  V2,
  V1,
  /** No cgroups: memory is approximated with a data-segment rlimit per process, pids and CPU are not limited. */
  NONE
}
