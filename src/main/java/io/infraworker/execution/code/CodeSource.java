package io.infraworker.execution.code;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The checked code zip of a job: from the cache, else fetched from S3, inspected and cached. Concurrent
 * misses for the same object share one fetch, so a burst of jobs for a new function does not download
 * (and hold in memory) the same 50 MiB once per job.
 */
public final class CodeSource {
  private final CodeStore store;
  private final ZipInspector inspector;
  private final CodeCache cache;
  private final ConcurrentHashMap<String, CompletableFuture<CodeZip>> inFlight = new ConcurrentHashMap<>();

  public CodeSource(CodeStore store, ZipInspector inspector, CodeCache cache) {
    this.store = store;
    this.inspector = inspector;
    this.cache = cache;
  }

  /**
   * The checked zip of {@code s3://bucket/key}. Blocks for the fetch on a miss.
   *
   * @throws CodeNotFoundException no such bucket or key
   * @throws InvalidCodeException too big, or refused by {@link ZipInspector}
   * @throws CodeFetchFailedException S3 failed; worth retrying
   */
  public CodeZip get(String bucket, String key) {
    var cached = cache.get(bucket, key);
    if (cached.isPresent()) {
      return cached.get();
    }
    String id = bucket + "/" + key;
    CompletableFuture<CodeZip> mine = new CompletableFuture<>();
    CompletableFuture<CodeZip> leader = inFlight.putIfAbsent(id, mine);
    if (leader != null) {
      return await(leader, bucket, key);
    }
    try {
      CodeZip zip = load(bucket, key);
      cache.put(bucket, key, zip);
      mine.complete(zip);
      return zip;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(id, mine);
    }
  }

  /** The cache's counters (hits, misses, evictions) are read from there. */
  public CodeCache cache() {
    return cache;
  }

  private CodeZip load(String bucket, String key) {
    FetchedZip fetched = store.get(bucket, key);
    ZipSummary summary = inspector.inspect(fetched.bytes());
    return new CodeZip(fetched.bytes(), fetched.etag(), summary);
  }

  private static CodeZip await(CompletableFuture<CodeZip> leader, String bucket, String key) {
    try {
      return leader.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CodeFetchFailedException("interrupted waiting for s3://" + bucket + "/" + key, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        // The leader's own exception: same reason, same message, for every job that waited on it.
        throw re;
      }
      throw new CodeFetchFailedException("fetching s3://" + bucket + "/" + key + " failed", e.getCause());
    }
  }
}
