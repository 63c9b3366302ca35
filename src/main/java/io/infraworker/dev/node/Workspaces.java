package io.infraworker.dev.node;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/** The pods' working directories ({@code <stateDir>/pods/<namespace>_<pod>}), standing in for their emptyDirs. */
final class Workspaces {
  private final Path podsDir;
  private final Optional<RunAs> runAs;

  Workspaces(Path stateDir, Optional<RunAs> runAs) throws IOException {
    this.podsDir = stateDir.resolve("pods");
    this.runAs = runAs;
    Files.createDirectories(podsDir);
    if (runAs.isPresent() && !InterpreterPath.usableBy(podsDir, runAs.get())) {
      throw new IllegalStateException("stateDir " + stateDir + " is not reachable by " + runAs.get().name()
          + ": the agents run as that user and work under " + podsDir + "; pick a stateDir outside private "
          + "directories such as /root");
    }
  }

  Path dir(String namespace, String pod) {
    return podsDir.resolve(namespace + "_" + pod);
  }

  /** Where the agent's stdout and stderr go: beside its workspace, so that deleting one keeps the other. */
  Path logFile(String namespace, String pod) {
    return podsDir.resolve(namespace + "_" + pod + ".log");
  }

  Path create(String namespace, String pod) throws IOException {
    Path dir = dir(namespace, pod);
    // A leftover of a JVM that was killed before it could clean up must not leak into a new pod.
    delete(dir);
    for (Path d : new Path[] {dir, dir.resolve("home"), dir.resolve("tmp")}) {
      Files.createDirectory(d);
      if (runAs.isPresent()) {
        runAs.get().chown(d);
      }
    }
    return dir;
  }

  /** Deletes a tree that user code wrote: symlinks are removed, never followed. */
  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
        // User code may chmod its directories to 000; root does not care, the JVM's owner does.
        if (!Files.isReadable(d) || !Files.isExecutable(d) || !Files.isWritable(d)) {
          try {
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
          } catch (IOException e) {
            // the delete below reports it
          }
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null && !(e instanceof NoSuchFileException)) {
          throw e;
        }
        Files.deleteIfExists(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
