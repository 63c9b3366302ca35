package io.infraworker.dev.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes cgroup control files, whose errors are worth a message naming the file. */
final class CgroupFiles {
  private CgroupFiles() {}

  static void write(Path file, String value) throws IOException {
    try {
      Files.writeString(file, value);
    } catch (IOException e) {
      throw new IOException("cannot write " + value + " to " + file + ": " + e, e);
    }
  }

  static String read(Path file) throws IOException {
    return Files.readString(file).trim();
  }

  /** Makes a directory of our own under {@code parent}; false when the hierarchy is not writable here. */
  static boolean tryMkdir(Path dir) {
    try {
      Files.createDirectory(dir);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
