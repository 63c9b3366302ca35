package io.infraworker.results;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Decides whether an archive entry name may become part of an S3 key, and why not. */
final class OutputEntryNames {
  /** S3 keys are at most 1024 bytes; leave room for {@code outputs/{requestId}/}. */
  static final int MAX_NAME_BYTES = 800;

  private OutputEntryNames() {}

  /** Why {@code name} is refused, or empty when it is a clean relative path. */
  static Optional<String> problem(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("empty name");
    }
    if (name.indexOf('\\') >= 0) {
      return Optional.of("backslash in name");
    }
    if (name.startsWith("/") || (name.length() >= 2 && name.charAt(1) == ':')) {
      return Optional.of("absolute path");
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        return Optional.of("control character in name");
      }
    }
    for (String segment : name.split("/", -1)) {
      if (segment.equals("..")) {
        return Optional.of("'..' in path");
      }
      if (segment.isEmpty() || segment.equals(".")) {
        return Optional.of("empty or '.' path segment");
      }
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      return Optional.of("name longer than " + MAX_NAME_BYTES + " bytes");
    }
    return Optional.empty();
  }
}
