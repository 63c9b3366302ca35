package io.infraworker.dev.node;

import java.io.IOException;

/** Makes pod cgroups in one kind of hierarchy under a parent directory of this LocalNode's own. */
interface CgroupDriver extends AutoCloseable {
  /** A new cgroup with the pod's limits; {@code name} is unique per pod. */
  PodCgroup create(String name, PodLimits limits) throws IOException;

  /** The directories of this node under which pod cgroups are made (none without cgroups). */
  java.util.List<java.nio.file.Path> parents();

  /** What the driver uses, for the start-up log line. */
  String describe();

  /** Removes the parent directories; pod cgroups must be removed first. */
  @Override
  void close();
}
