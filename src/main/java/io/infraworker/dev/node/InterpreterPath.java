package io.infraworker.dev.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PATH agents get: the directories of the real interpreters first, then the system's. A pyenv
 * shim costs ~75 ms per start, which every run of a python function would pay, so shims are resolved
 * to the interpreter they stand for.
 */
final class InterpreterPath {
  private static final Logger LOG = LoggerFactory.getLogger(InterpreterPath.class);
  static final List<String> TOOLS = List.of("python3", "node", "g++", "go");
  static final List<String> SYSTEM = List.of("/usr/local/bin", "/usr/bin", "/bin");

  private InterpreterPath() {}

  static String resolve(String hostPath, Optional<RunAs> runAs) {
    Set<String> dirs = new LinkedHashSet<>();
    for (String tool : TOOLS) {
      Optional<Path> found = candidates(tool, hostPath).stream()
          .filter(p -> runAs.isEmpty() || usableBy(p, runAs.get()))
          .findFirst();
      if (found.isEmpty()) {
        LOG.warn("{} is not on PATH{}: functions that need it will fail", tool,
            runAs.map(r -> " (or not usable by " + r.name() + ")").orElse(""));
      }
      found.ifPresent(p -> dirs.add(p.getParent().toString()));
    }
    dirs.addAll(SYSTEM);
    return String.join(":", dirs);
  }

  /** Executables named {@code tool} in PATH order, shims replaced by what they run. */
  static List<Path> candidates(String tool, String hostPath) {
    List<Path> out = new ArrayList<>();
    for (String dir : hostPath.split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path file = Path.of(dir, tool);
      if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
        continue;
      }
      if (isShim(file)) {
        pyenvWhich(tool, hostPath).ifPresent(out::add);
      } else {
        out.add(file);
      }
    }
    return out;
  }

  private static boolean isShim(Path file) {
    return file.getParent().getFileName() != null
        && file.getParent().getFileName().toString().equals("shims");
  }

  private static Optional<Path> pyenvWhich(String tool, String hostPath) {
    try {
      ProcessBuilder pb = new ProcessBuilder("pyenv", "which", tool).redirectErrorStream(false)
          .redirectError(ProcessBuilder.Redirect.DISCARD);
      pb.environment().put("PATH", hostPath);
      Process p = pb.start();
      byte[] out = p.getInputStream().readNBytes(4096);
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      Path real = Path.of(new String(out, StandardCharsets.UTF_8).trim());
      return p.exitValue() == 0 && real.isAbsolute() && Files.isExecutable(real) ? Optional.of(real) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Whether the user can execute the file: every directory on the way and the file itself, both as
   * written and after symlinks. The agent runs without supplementary groups, so mode bits suffice.
   */
  static boolean usableBy(Path file, RunAs user) {
    try {
      return searchable(file.toAbsolutePath(), user) && searchable(file.toRealPath(), user);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean searchable(Path path, RunAs user) throws IOException {
    for (Path p = path; p != null; p = p.getParent()) {
      if (!executableBy(p, user)) {
        return false;
      }
    }
    return true;
  }

  private static boolean executableBy(Path p, RunAs user) throws IOException {
    if (user.uid() == 0) {
      return true;
    }
    int mode = (Integer) Files.getAttribute(p, "unix:mode");
    int uid = (Integer) Files.getAttribute(p, "unix:uid");
    int gid = (Integer) Files.getAttribute(p, "unix:gid");
    int bit = uid == user.uid() ? 0100 : gid == user.gid() ? 010 : 01;
    return (mode & bit) != 0;
  }
}
