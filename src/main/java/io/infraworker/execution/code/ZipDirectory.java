package io.infraworker.execution.code;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a zip's central directory from bytes in memory. {@code ZipEntry} hides the external
 * attributes (where symlinks show) and trusts whatever it is given, so the records are parsed here,
 * checking every offset against the array.
 */
final class ZipDirectory {
  private static final int EOCD_SIG = 0x06054b50;
  private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
  private static final int ZIP64_EOCD_SIG = 0x06064b50;
  private static final int CENTRAL_SIG = 0x02014b50;
  private static final int EOCD_LEN = 22;
  private static final int ZIP64_LOCATOR_LEN = 20;
  private static final int ZIP64_EOCD_LEN = 56;
  private static final int CENTRAL_LEN = 46;
  private static final int MAX_COMMENT = 0xffff;
  private static final int ZIP64_EXTRA = 0x0001;
  private static final long U32_MAX = 0xffffffffL;

  private ZipDirectory() {}

  /** The records in directory order; refuses before parsing when more than {@code maxEntries} are declared. */
  static List<ZipRecord> read(byte[] zip, int maxEntries) {
    int eocd = findEndOfDirectory(zip);
    long entries = u16(zip, eocd + 10);
    long dirSize = u32(zip, eocd + 12);
    long dirOffset = u32(zip, eocd + 16);
    if (entries == 0xffff || dirSize == U32_MAX || dirOffset == U32_MAX) {
      int rec = zip64Record(zip, eocd);
      entries = u64(zip, rec + 32);
      dirSize = u64(zip, rec + 40);
      dirOffset = u64(zip, rec + 48);
    }
    // Checked on the declared count, before anything is allocated per entry.
    if (entries > maxEntries || entries < 0) {
      throw new InvalidCodeException("too many entries: " + Long.toUnsignedString(entries) + " (max " + maxEntries + ")");
    }
    if (dirOffset < 0 || dirSize < 0 || dirOffset + dirSize > zip.length) {
      throw invalid("central directory out of range");
    }
    List<ZipRecord> records = new ArrayList<>((int) entries);
    int pos = (int) dirOffset;
    int end = (int) (dirOffset + dirSize);
    for (long i = 0; i < entries; i++) {
      if (pos + CENTRAL_LEN > end || u32(zip, pos) != (CENTRAL_SIG & U32_MAX)) {
        throw invalid("central directory holds fewer records than the " + entries + " declared");
      }
      int nameLen = u16(zip, pos + 28);
      int extraLen = u16(zip, pos + 30);
      int commentLen = u16(zip, pos + 32);
      int next = pos + CENTRAL_LEN + nameLen + extraLen + commentLen;
      if (next > end) {
        throw invalid("central directory record " + i + " runs past the directory");
      }
      records.add(record(zip, pos, nameLen, extraLen));
      pos = next;
    }
    return records;
  }

  private static ZipRecord record(byte[] zip, int pos, int nameLen, int extraLen) {
    String name = new String(zip, pos + CENTRAL_LEN, nameLen, StandardCharsets.UTF_8);
    long compressed = u32(zip, pos + 20);
    long uncompressed = u32(zip, pos + 24);
    long offset = u32(zip, pos + 42);
    if (compressed == U32_MAX || uncompressed == U32_MAX || offset == U32_MAX) {
      // The zip64 extra field holds, in this order, only the values whose 32-bit field is all ones.
      int extra = findExtra(zip, pos + CENTRAL_LEN + nameLen, extraLen, ZIP64_EXTRA);
      int field = extra;
      int fieldEnd = extra < 0 ? -1 : extra + u16(zip, extra - 2);
      if (uncompressed == U32_MAX) {
        uncompressed = zip64Field(zip, field, fieldEnd, name);
        field += 8;
      }
      if (compressed == U32_MAX) {
        compressed = zip64Field(zip, field, fieldEnd, name);
        field += 8;
      }
      if (offset == U32_MAX) {
        offset = zip64Field(zip, field, fieldEnd, name);
      }
    }
    return new ZipRecord(name, u16(zip, pos + 4), u16(zip, pos + 8), u16(zip, pos + 10), u32(zip, pos + 16),
        compressed, uncompressed, u32(zip, pos + 38), offset);
  }

  private static long zip64Field(byte[] zip, int field, int fieldEnd, String name) {
    if (field < 0 || field + 8 > fieldEnd) {
      throw new InvalidCodeException("entry " + ZipInspector.quote(name) + ": zip64 sizes missing");
    }
    long value = u64(zip, field);
    if (value < 0) {
      throw new InvalidCodeException("entry " + ZipInspector.quote(name) + ": zip64 size out of range");
    }
    return value;
  }

  /** Offset of the data of the extra block with this id, or -1. */
  private static int findExtra(byte[] zip, int start, int len, int id) {
    int pos = start;
    int end = start + len;
    while (pos + 4 <= end) {
      int blockId = u16(zip, pos);
      int size = u16(zip, pos + 2);
      if (pos + 4 + size > end) {
        return -1;
      }
      if (blockId == id) {
        return pos + 4;
      }
      pos += 4 + size;
    }
    return -1;
  }

  /** Searches backwards, like Go's archive/zip: the last signature whose comment fits the file. */
  private static int findEndOfDirectory(byte[] zip) {
    int lowest = Math.max(0, zip.length - EOCD_LEN - MAX_COMMENT);
    for (int i = zip.length - EOCD_LEN; i >= lowest; i--) {
      if (u32(zip, i) == (EOCD_SIG & U32_MAX) && i + EOCD_LEN + u16(zip, i + 20) <= zip.length) {
        return i;
      }
    }
    throw invalid("end of central directory not found");
  }

  private static int zip64Record(byte[] zip, int eocd) {
    int locator = eocd - ZIP64_LOCATOR_LEN;
    if (locator < 0 || u32(zip, locator) != (ZIP64_LOCATOR_SIG & U32_MAX)) {
      throw invalid("zip64 locator missing");
    }
    long rec = u64(zip, locator + 8);
    if (rec < 0 || rec + ZIP64_EOCD_LEN > locator || u32(zip, (int) rec) != (ZIP64_EOCD_SIG & U32_MAX)) {
      throw invalid("zip64 end of central directory missing");
    }
    return (int) rec;
  }

  static InvalidCodeException invalid(String why) {
    return new InvalidCodeException("not a valid zip archive: " + why);
  }

  static int u16(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
  }

  static long u32(byte[] b, int at) {
    return (u16(b, at) | (long) u16(b, at + 2) << 16) & U32_MAX;
  }

  /** Negative when the top bit is set, which callers treat as out of range. */
  static long u64(byte[] b, int at) {
    return u32(b, at) | u32(b, at + 4) << 32;
  }
}
