package io.infraworker.execution.code;

/**
 * A code zip that passed {@link ZipInspector}, ready to PUT to an agent. The array is shared between
 * the cache and every job using it, not copied (up to 50 MiB): nobody may modify it.
 */
public record CodeZip(byte[] bytes, String etag, ZipSummary summary) {
  /** Compressed size, what the zip costs in the cache. */
  public int size() {
    return bytes.length;
  }

  @Override
  public String toString() {
    return "CodeZip[" + bytes.length + " bytes, " + summary.entries() + " entries, "
        + summary.uncompressedBytes() + " bytes inflated, etag=" + etag + "]";
  }
}
