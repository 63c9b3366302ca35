package io.infraworker.dev.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The unprivileged user agents run as, resolved once to numeric ids. */
record RunAs(String name, int uid, int gid) {
  private static final Path PASSWD = Path.of("/etc/passwd");

  static boolean isRoot() {
    return currentUid() == 0;
  }

  static int currentUid() {
    try {
      // /proc/self belongs to the process's effective user; no native call or extra module needed.
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Resolves a user name or {@code uid[:gid]}; empty when no user switch is wanted. */
  static Optional<RunAs> resolve(Optional<String> user) {
    if (user.isEmpty()) {
      return Optional.empty();
    }
    String spec = user.get();
    if (spec.matches("\\d+(:\\d+)?")) {
      String[] parts = spec.split(":");
      int uid = Integer.parseInt(parts[0]);
      return Optional.of(new RunAs(spec, uid, parts.length > 1 ? Integer.parseInt(parts[1]) : uid));
    }
    try {
      for (String line : Files.readAllLines(PASSWD)) {
        String[] f = line.split(":");
        if (f.length >= 4 && f[0].equals(spec)) {
          return Optional.of(new RunAs(spec, Integer.parseInt(f[2]), Integer.parseInt(f[3])));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalArgumentException("runAsUser " + spec + ": no such user in " + PASSWD);
  }

  /** Makes a file or directory the user's, so the agent can write its workspace or reset a cgroup peak. */
  void chown(Path path) throws IOException {
    Files.setAttribute(path, "unix:uid", uid);
    Files.setAttribute(path, "unix:gid", gid);
  }
}
