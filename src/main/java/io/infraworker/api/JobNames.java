package io.infraworker.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/** Derives the ExecutionJob name of a task from its requestId, the same on every delivery. */
public final class JobNames {
  // Well inside a DNS label (63): prefix + '-' + hash = at most 51 chars, and room for suffixes
  // that other resources (pods, events) derive from the job name.
  static final int MAX_PREFIX = 40;
  static final int HASH_CHARS = 10;
  private static final String FALLBACK_PREFIX = "job";

  private JobNames() {}

  /**
   * A DNS-1123 name: a readable prefix of the requestId plus 10 hex chars of its SHA-256. The hash is
   * over the exact id, so ids that only differ in case or punctuation still get different names.
   */
  public static String forRequestId(String requestId) {
    Objects.requireNonNull(requestId, "requestId");
    return prefix(requestId) + "-" + hash(requestId);
  }

  private static String prefix(String requestId) {
    String prefix = requestId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    prefix = trimDashes(prefix);
    if (prefix.length() > MAX_PREFIX) {
      prefix = trimDashes(prefix.substring(0, MAX_PREFIX));
    }
    return prefix.isEmpty() ? FALLBACK_PREFIX : prefix;
  }

  private static String trimDashes(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '-') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '-') {
      end--;
    }
    return s.substring(start, end);
  }

  private static String hash(String requestId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(requestId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_CHARS);
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256.
      throw new IllegalStateException(e);
    }
  }
}
