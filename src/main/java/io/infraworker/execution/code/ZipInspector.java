package io.infraworker.execution.code;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Checks a code zip in memory before it reaches a pod, with the agent's rules (runtimes/agent/unzip.go)
 * so a zip accepted here is not refused there: safe relative names, no symlinks or special files, no
 * duplicates, bounded entry count, and total and per-entry ratio limits enforced on the bytes actually
 * inflated, since header sizes are claims an attacker controls.
 */
public final class ZipInspector {
  public static final int DEFAULT_MAX_ENTRIES = 10_000;
  public static final long DEFAULT_MAX_TOTAL_BYTES = 256L * 1024 * 1024;
  public static final long DEFAULT_MAX_RATIO = 100;
  /** Entries up to this size are exempt from the ratio rule, as in the agent: small and harmless. */
  public static final long DEFAULT_RATIO_FLOOR_BYTES = 1024 * 1024;
  // The kernel's PATH_MAX and NAME_MAX: the agent could not create longer names anyway.
  private static final int MAX_NAME_BYTES = 4096;
  private static final int MAX_ELEMENT_BYTES = 255;
  private static final int MAX_QUOTED_CHARS = 200;
  private static final int LOCAL_SIG = 0x04034b50;
  private static final int LOCAL_LEN = 30;
  private static final int STORED = 0;
  private static final int DEFLATED = 8;
  private static final int CHUNK = 64 * 1024;

  private final int maxEntries;
  private final long maxTotalBytes;
  private final long maxRatio;
  private final long ratioFloorBytes;

  public ZipInspector() {
    this(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_TOTAL_BYTES, DEFAULT_MAX_RATIO, DEFAULT_RATIO_FLOOR_BYTES);
  }

  public ZipInspector(int maxEntries, long maxTotalBytes, long maxRatio, long ratioFloorBytes) {
    if (maxEntries < 0 || maxTotalBytes < 0 || maxRatio < 1 || maxRatio > 1_000_000 || ratioFloorBytes < 0) {
      throw new IllegalArgumentException("zip limits out of range: entries " + maxEntries + ", bytes "
          + maxTotalBytes + ", ratio " + maxRatio + ", ratio floor " + ratioFloorBytes);
    }
    this.maxEntries = maxEntries;
    this.maxTotalBytes = maxTotalBytes;
    this.maxRatio = maxRatio;
    this.ratioFloorBytes = ratioFloorBytes;
  }

  /**
   * Accepts the zip or throws {@link InvalidCodeException} naming the entry and the rule.
   * Costs one pass of inflation over every file entry (bounded by the total limit).
   */
  public ZipSummary inspect(byte[] zip) {
    List<ZipRecord> records = ZipDirectory.read(zip, maxEntries);
    // Every name and type first (cheap), so a bad name is reported before any inflating.
    for (ZipRecord r : records) {
      checkEntry(r);
    }
    checkDuplicates(records);
    long total = 0;
    for (ZipRecord r : records) {
      if (!r.isDirectory()) {
        total = inflate(zip, r, total);
      }
    }
    return new ZipSummary(records.size(), total);
  }

  private void checkEntry(ZipRecord r) {
    String name = r.name();
    if (name.isEmpty()) {
      throw new InvalidCodeException("entry with an empty name");
    }
    if (name.indexOf('\0') >= 0) {
      throw refuse(name, "NUL byte in name");
    }
    if (name.indexOf('\\') >= 0) {
      // Legal on Linux, but a zip made on Windows may mean "..\..\x".
      throw refuse(name, "backslash in path");
    }
    if (name.startsWith("/")) {
      throw refuse(name, "absolute path");
    }
    if (name.length() >= 2 && name.charAt(1) == ':' && isAsciiLetter(name.charAt(0))) {
      throw refuse(name, "drive letter in path");
    }
    for (String element : name.split("/", -1)) {
      if (element.equals("..")) {
        throw refuse(name, "path escapes the code directory");
      }
      if (utf8Length(element) > MAX_ELEMENT_BYTES) {
        throw refuse(name, "path element longer than " + MAX_ELEMENT_BYTES + " bytes");
      }
    }
    if (utf8Length(name) > MAX_NAME_BYTES) {
      throw refuse(name, "path longer than " + MAX_NAME_BYTES + " bytes");
    }
    if (r.isSymlink()) {
      throw refuse(name, "symbolic links are not allowed");
    }
    if (r.isSpecial()) {
      throw refuse(name, "special files are not allowed");
    }
    if (r.isDirectory()) {
      return;
    }
    if (r.isEncrypted()) {
      throw refuse(name, "encrypted entries are not supported");
    }
    if (r.method() != STORED && r.method() != DEFLATED) {
      throw refuse(name, "compression method " + r.method() + " is not supported (only stored and deflate)");
    }
    // The header's claims, checked early like the agent does; the real counts are checked while inflating.
    if (r.uncompressedSize() > maxTotalBytes) {
      throw refuse(name, r.uncompressedSize() + " bytes uncompressed exceeds the " + maxTotalBytes + " byte limit");
    }
    if (overRatio(r.uncompressedSize(), r.compressedSize())) {
      throw refuse(name, "compression ratio over " + maxRatio + " (" + r.compressedSize() + " -> "
          + r.uncompressedSize() + " bytes)");
    }
  }

  /**
   * The agent extracts with O_EXCL and MkdirAll, so "a" twice, "a/./b" after "a/b", or a file "a" next to
   * "a/b" all fail there. Sorting the cleaned paths with '/' lowest puts every path right before its
   * descendants, so one linear scan finds them all without building a set of every parent path (which
   * deep names would blow up).
   */
  private static void checkDuplicates(List<ZipRecord> records) {
    List<CleanPath> paths = new ArrayList<>(records.size());
    for (ZipRecord r : records) {
      String clean = clean(r.name());
      if (!clean.isEmpty()) {
        // NUL was refused in names, so it is free to stand for '/' and sort below every other char.
        paths.add(new CleanPath(clean.replace('/', '\0'), !r.isDirectory(), r.name()));
      }
    }
    paths.sort(Comparator.comparing(CleanPath::sortKey));
    for (int i = 0; i + 1 < paths.size(); i++) {
      CleanPath cur = paths.get(i);
      CleanPath next = paths.get(i + 1);
      if (cur.sortKey().equals(next.sortKey())) {
        if (cur.file() || next.file()) {
          throw refuse(next.name(), "duplicate entry");
        }
      } else if (cur.file() && next.sortKey().startsWith(cur.sortKey() + '\0')) {
        throw refuse(next.name(), "parent " + quote(cur.name()) + " is a file");
      }
    }
  }

  private record CleanPath(String sortKey, boolean file, String name) {}

  /** Like Go's path.Clean for names already free of "..": no empty or "." elements, no trailing slash. */
  private static String clean(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (String element : name.split("/")) {
      if (!element.isEmpty() && !element.equals(".")) {
        if (out.length() > 0) {
          out.append('/');
        }
        out.append(element);
      }
    }
    return out.toString();
  }

  /** Inflates one entry counting real bytes; returns the new running total. */
  private long inflate(byte[] zip, ZipRecord r, long totalBefore) {
    String name = r.name();
    long dataStart = dataStart(zip, r);
    long compressed = r.compressedSize();
    if (dataStart + compressed > zip.length) {
      throw refuse(name, "corrupt: data runs past the end of the archive");
    }
    CRC32 crc = new CRC32();
    long written = 0;
    long total = totalBefore;
    if (r.method() == STORED) {
      written = compressed;
      checkLimits(name, total + written, written, compressed);
      total += written;
      crc.update(zip, (int) dataStart, (int) compressed);
    } else {
      Inflater inflater = new Inflater(true);
      try {
        inflater.setInput(zip, (int) dataStart, (int) compressed);
        byte[] buf = new byte[CHUNK];
        while (true) {
          int n = inflater.inflate(buf);
          if (n == 0) {
            if (inflater.finished()) {
              break;
            }
            // Out of input (or wanting a dictionary) before the stream's end: truncated or not deflate.
            throw refuse(name, "corrupt: deflate data ends early");
          }
          checkLimits(name, total + n, written + n, compressed);
          written += n;
          total += n;
          crc.update(buf, 0, n);
        }
      } catch (DataFormatException e) {
        throw refuse(name, "corrupt: " + e.getMessage());
      } finally {
        inflater.end();
      }
    }
    // Go's archive/zip insists on both, so the agent would refuse a mismatch as corrupt.
    if (written != r.uncompressedSize()) {
      throw refuse(name, "corrupt: " + written + " bytes inflated, header says " + r.uncompressedSize());
    }
    if (crc.getValue() != r.crc32()) {
      throw refuse(name, "corrupt: CRC-32 mismatch");
    }
    return total;
  }

  private void checkLimits(String name, long total, long written, long compressed) {
    if (total > maxTotalBytes) {
      throw refuse(name, "archive expands past the " + maxTotalBytes + " byte limit");
    }
    if (overRatio(written, compressed)) {
      throw refuse(name, "compression ratio over " + maxRatio);
    }
  }

  private boolean overRatio(long uncompressed, long compressed) {
    if (uncompressed <= ratioFloorBytes) {
      return false;
    }
    // Capped so a zip64 header's huge claim cannot overflow the product; real data is below 2^31 anyway.
    return uncompressed > Math.min(compressed, Integer.MAX_VALUE) * maxRatio;
  }

  /** Where the entry's data starts, from its local header (whose name and extra lengths may differ). */
  private static long dataStart(byte[] zip, ZipRecord r) {
    long at = r.localHeaderOffset();
    if (at < 0 || at + LOCAL_LEN > zip.length || ZipDirectory.u32(zip, (int) at) != (LOCAL_SIG & 0xffffffffL)) {
      throw refuse(r.name(), "corrupt: local header missing");
    }
    int pos = (int) at;
    return at + LOCAL_LEN + ZipDirectory.u16(zip, pos + 26) + ZipDirectory.u16(zip, pos + 28);
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  private static InvalidCodeException refuse(String name, String rule) {
    return new InvalidCodeException("entry " + quote(name) + ": " + rule);
  }

  /** A name quoted for a message: control characters escaped, and cut short (names can be 64 KiB). */
  static String quote(String name) {
    StringBuilder out = new StringBuilder("\"");
    int limit = Math.min(name.length(), MAX_QUOTED_CHARS);
    for (int i = 0; i < limit; i++) {
      char c = name.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (name.length() > limit) {
      out.append("...");
    }
    return out.append('"').toString();
  }
}
