package io.infraworker.execution.code;

import java.util.Optional;

/** Where code zips are read from (S3 in production); a seam so the cache can be tested without S3. */
public interface CodeStore {
  /**
   * Reads a whole zip.
   *
   * @throws CodeNotFoundException the bucket or key does not exist
   * @throws InvalidCodeException the object is over the size limit
   * @throws CodeFetchFailedException any other failure
   */
  FetchedZip get(String bucket, String key);

  /**
   * The object's current ETag without reading it (HeadObject); empty when the store has none.
   *
   * @throws CodeNotFoundException the bucket or key does not exist
   * @throws CodeFetchFailedException any other failure
   */
  Optional<String> etag(String bucket, String key);
}
