package io.infraworker.execution.code;

/** One central-directory record of a zip, with the zip64 sizes already resolved. */
record ZipRecord(
    String name,
    int versionMadeBy,
    int flags,
    int method,
    long crc32,
    long compressedSize,
    long uncompressedSize,
    long externalAttributes,
    long localHeaderOffset) {

  static final int S_IFMT = 0170000;
  static final int S_IFLNK = 0120000;
  static final int S_IFREG = 0100000;
  static final int S_IFDIR = 0040000;
  private static final int MSDOS_DIRECTORY = 0x10;
  // "Made by" hosts whose low external-attribute byte holds MS-DOS attributes (as Go's archive/zip reads them).
  private static final int HOST_FAT = 0;
  private static final int HOST_NTFS = 11;
  private static final int HOST_VFAT = 14;

  /** The Unix file type bits from the upper half of the external attributes, 0 when absent. */
  int unixType() {
    return (int) ((externalAttributes >>> 16) & S_IFMT);
  }

  boolean isSymlink() {
    return unixType() == S_IFLNK;
  }

  /** Any type other than a regular file or a directory (fifo, device, socket). */
  boolean isSpecial() {
    int type = unixType();
    return type != 0 && type != S_IFREG && type != S_IFDIR && type != S_IFLNK;
  }

  /** Directory the way the agent (Go's archive/zip) decides it, so both sides skip the same entries. */
  boolean isDirectory() {
    if (name.endsWith("/") || unixType() == S_IFDIR) {
      return true;
    }
    int host = versionMadeBy >>> 8;
    boolean msdosHost = host == HOST_FAT || host == HOST_NTFS || host == HOST_VFAT;
    return msdosHost && (externalAttributes & MSDOS_DIRECTORY) != 0;
  }

  boolean isEncrypted() {
    return (flags & 1) != 0;
  }
}
