package io.infraworker.execution.code;

/**
 * A code zip as read from the store, not yet checked; {@code etag} is null when the store gave none.
 * The array is shared, not copied (up to 50 MiB): nobody may modify it.
 */
public record FetchedZip(byte[] bytes, String etag) {
  @Override
  public String toString() {
    return "FetchedZip[" + bytes.length + " bytes, etag=" + etag + "]";
  }
}
