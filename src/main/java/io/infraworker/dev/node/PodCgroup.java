package io.infraworker.dev.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One pod's cgroup: a directory per hierarchy (v1) or one directory (v2), or none at all when the
 * host allows no cgroups and rlimits stand in.
 */
final class PodCgroup {
  private final List<Path> dirs;
  private final Optional<Path> oomFile;
  private final String wrapperPrelude;

  PodCgroup(List<Path> dirs, Optional<Path> oomFile, String wrapperPrelude) {
    this.dirs = List.copyOf(dirs);
    this.oomFile = oomFile;
    this.wrapperPrelude = wrapperPrelude;
  }

  static PodCgroup none(String wrapperPrelude) {
    return new PodCgroup(List.of(), Optional.empty(), wrapperPrelude);
  }

  List<Path> dirs() {
    return dirs;
  }

  /** The files the wrapper writes its own pid into before it execs the agent. */
  List<Path> procsFiles() {
    return dirs.stream().map(d -> d.resolve("cgroup.procs")).toList();
  }

  /** Shell lines the wrapper runs before the exec, e.g. rlimits when there is no cgroup. */
  String wrapperPrelude() {
    return wrapperPrelude;
  }

  /** The kernel's count of OOM kills in this cgroup; empty when it cannot be known. */
  OptionalLong oomKills() {
    if (oomFile.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      for (String line : Files.readAllLines(oomFile.get())) {
        String[] kv = line.trim().split("\\s+");
        if (kv.length == 2 && kv[0].equals("oom_kill")) {
          return OptionalLong.of(Long.parseLong(kv[1]));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // gone or unreadable: unknown, never a guessed 0
    }
    return OptionalLong.empty();
  }

  /** Every process in any of the pod's directories, including ones that left the agent's process group. */
  Set<Long> pids() {
    Set<Long> pids = new LinkedHashSet<>();
    for (Path procs : procsFiles()) {
      try {
        for (String line : Files.readAllLines(procs)) {
          if (!line.isBlank()) {
            pids.add(Long.parseLong(line.trim()));
          }
        }
      } catch (NoSuchFileException e) {
        // already removed
      } catch (IOException e) {
        // unreadable: the rmdir below will tell
      }
    }
    return pids;
  }

  /**
   * SIGKILLs whatever is left in the cgroup and removes its directories; a cgroup can only be
   * removed once its last process has been reaped, hence the retries.
   *
   * @return the directories that could not be removed (empty on success)
   */
  List<Path> remove(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Path> left = new ArrayList<>(dirs);
    while (true) {
      pids().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      left.removeIf(PodCgroup::rmdir);
      if (left.isEmpty() || System.nanoTime() > deadline) {
        return left;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return left;
      }
    }
  }

  static boolean rmdir(Path dir) {
    try {
      Files.deleteIfExists(dir);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
