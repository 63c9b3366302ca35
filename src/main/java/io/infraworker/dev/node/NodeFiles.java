package io.infraworker.dev.node;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the agents' binary, SDK and workspaces live. The agents run as an unprivileged user that
 * cannot enter private directories (a checkout under {@code /root}, or a {@code mktemp -d} of mode
 * 700); then the binary and SDK are copied, and the workspaces made, under a fresh root-owned
 * directory of mode 755 in the temp dir, removed again on close.
 */
final class NodeFiles {
  private static final Logger LOG = LoggerFactory.getLogger(NodeFiles.class);

  private final Path agentBinary;
  private final Path sdkDir;
  private final Path stateDir;
  private final Optional<Path> privateRoot;

  private NodeFiles(Path agentBinary, Path sdkDir, Path stateDir, Optional<Path> privateRoot) {
    this.agentBinary = agentBinary;
    this.sdkDir = sdkDir;
    this.stateDir = stateDir;
    this.privateRoot = privateRoot;
  }

  static NodeFiles prepare(LocalNodeSettings settings, Optional<RunAs> runAs, String stackName) throws IOException {
    if (runAs.isEmpty()) {
      return new NodeFiles(settings.agentBinary(), settings.sdkDir(), settings.stateDir(), Optional.empty());
    }
    RunAs user = runAs.get();
    Files.createDirectories(settings.stateDir());
    boolean agentOk = InterpreterPath.usableBy(settings.agentBinary(), user);
    boolean sdkOk = !Files.exists(settings.sdkDir()) || InterpreterPath.usableBy(settings.sdkDir(), user);
    boolean stateOk = InterpreterPath.usableBy(settings.stateDir(), user);
    if (agentOk && sdkOk && stateOk) {
      return new NodeFiles(settings.agentBinary(), settings.sdkDir(), settings.stateDir(), Optional.empty());
    }
    Path root = Files.createTempDirectory(stackName + "-");
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path agent = settings.agentBinary();
    if (!agentOk) {
      Path bin = Files.createDirectories(root.resolve("bin"));
      agent = Files.copy(settings.agentBinary(), bin.resolve("agent"), StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("r-xr-xr-x"));
    }
    Path sdk = settings.sdkDir();
    if (!sdkOk) {
      sdk = root.resolve("sdk");
      copyTree(settings.sdkDir(), sdk);
    }
    Path state = stateOk ? settings.stateDir() : root;
    LOG.info("{} cannot reach parts of {}; the agents' files are under {}", user.name(),
        settings.stateDir(), root);
    return new NodeFiles(agent, sdk, state, Optional.of(root));
  }

  Path agentBinary() {
    return agentBinary;
  }

  Path sdkDir() {
    return sdkDir;
  }

  /** The directory holding {@code pods/}: the state dir when the agents' user can reach it. */
  Path stateDir() {
    return stateDir;
  }

  void close() {
    if (privateRoot.isPresent()) {
      try {
        Workspaces.delete(privateRoot.get());
      } catch (IOException e) {
        LOG.warn("could not remove {}: {}", privateRoot.get(), e.toString());
      }
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        if (dir.getFileName() != null && dir.getFileName().toString().equals("__pycache__")) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        Path target = to.resolve(from.relativize(dir).toString());
        Files.createDirectories(target);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        if (attrs.isRegularFile()) {
          Path target = to.resolve(from.relativize(file).toString());
          Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
