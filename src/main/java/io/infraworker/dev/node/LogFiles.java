package io.infraworker.dev.node;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Keeps agent logs bounded: a log past the size cap is copied to {@code .1} and truncated (the
 * agent appends, so it carries on at the new end), and only the logs of the last removed pods stay.
 */
final class LogFiles {
  private final long maxBytes;
  private final int keep;
  private final Deque<Path> retired = new ArrayDeque<>();

  LogFiles(long maxBytes, int keep) {
    this.maxBytes = maxBytes;
    this.keep = keep;
  }

  void truncateIfLarge(Path log) {
    try {
      if (Files.size(log) <= maxBytes) {
        return;
      }
      Files.copy(log, rotated(log), StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
        channel.truncate(0);
      }
    } catch (IOException e) {
      // gone with its pod, or the disk is full: the next sweep tries again
    }
  }

  /** A removed pod's log stays for a post-mortem until {@code keep} newer ones push it out. */
  synchronized void retire(Path log) {
    retired.addLast(log);
    while (retired.size() > keep) {
      Path old = retired.removeFirst();
      try {
        Files.deleteIfExists(old);
        Files.deleteIfExists(rotated(old));
      } catch (IOException e) {
        // left for the next one
      }
    }
  }

  static Path rotated(Path log) {
    return log.resolveSibling(log.getFileName() + ".1");
  }
}
