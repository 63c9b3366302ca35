package io.infraworker.execution.code;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Checked code zips in memory, keyed by bucket and key, bounded by total bytes (LRU eviction) and by
 * age (TTL). A changed object is not served stale: a hit that was last validated more than
 * {@code revalidateAfter} ago costs one HeadObject, and a different ETag drops the entry. So after an
 * upload, the old code is served at most {@code revalidateAfter} after the previous validation (1 s by
 * default; zero checks every hit), while a burst of jobs for one function shares one HeadObject.
 * If that HeadObject fails, the error propagates (the job retries) rather than serving possibly stale code.
 */
public final class CodeCache {
  public static final Duration DEFAULT_REVALIDATE_AFTER = Duration.ofSeconds(1);

  private final long maxBytes;
  private final long ttlNanos;
  private final long revalidateNanos;
  private final CodeStore etags;
  private final LongSupplier nanoClock;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong evictions = new AtomicLong();
  private final AtomicLong revalidations = new AtomicLong();

  /** A cache with the system clock and {@link #DEFAULT_REVALIDATE_AFTER}; {@code etags} answers HeadObject. */
  public CodeCache(long maxBytes, Duration ttl, CodeStore etags) {
    this(maxBytes, ttl, DEFAULT_REVALIDATE_AFTER, etags, System::nanoTime);
  }

  /** {@code maxBytes} 0 or a zero {@code ttl} turns the cache off. */
  public CodeCache(long maxBytes, Duration ttl, Duration revalidateAfter, CodeStore etags, LongSupplier nanoClock) {
    if (maxBytes < 0 || ttl.isNegative() || revalidateAfter.isNegative()) {
      throw new IllegalArgumentException("cache bounds must not be negative");
    }
    this.maxBytes = maxBytes;
    this.ttlNanos = ttl.toNanos();
    this.revalidateNanos = revalidateAfter.toNanos();
    this.etags = etags;
    this.nanoClock = nanoClock;
  }

  public boolean enabled() {
    return maxBytes > 0 && ttlNanos > 0;
  }

  /**
   * The cached zip if it is younger than the TTL and (when due) its ETag still matches S3's; counts a
   * hit or a miss. May call HeadObject, outside the lock.
   *
   * @throws CodeNotFoundException the object was deleted (the entry is dropped)
   * @throws CodeFetchFailedException revalidation failed
   */
  public Optional<CodeZip> get(String bucket, String key) {
    String id = id(bucket, key);
    Entry entry;
    long now = nanoClock.getAsLong();
    synchronized (this) {
      entry = entries.get(id);
      if (entry != null && now - entry.storedAt >= ttlNanos) {
        remove(id, entry);
        entry = null;
      }
      if (entry == null) {
        misses.incrementAndGet();
        return Optional.empty();
      }
      if (now - entry.validatedAt < revalidateNanos) {
        hits.incrementAndGet();
        return Optional.of(entry.zip);
      }
    }
    return revalidate(bucket, key, id, entry, now);
  }

  private Optional<CodeZip> revalidate(String bucket, String key, String id, Entry entry, long now) {
    revalidations.incrementAndGet();
    Optional<String> current;
    try {
      current = entry.zip.etag() == null ? Optional.empty() : etags.etag(bucket, key);
    } catch (CodeNotFoundException e) {
      synchronized (this) {
        remove(id, entry);
      }
      misses.incrementAndGet();
      throw e;
    }
    synchronized (this) {
      if (current.isPresent() && current.get().equals(entry.zip.etag())) {
        entry.validatedAt = Math.max(entry.validatedAt, now);
        hits.incrementAndGet();
        return Optional.of(entry.zip);
      }
      // Changed, or no ETag to compare: drop it so the caller fetches afresh.
      remove(id, entry);
      misses.incrementAndGet();
      return Optional.empty();
    }
  }

  /** Caches a checked zip, evicting least recently used ones; a zip larger than the whole cache is skipped. */
  public void put(String bucket, String key, CodeZip zip) {
    Objects.requireNonNull(zip);
    if (!enabled() || zip.size() > maxBytes) {
      return;
    }
    String id = id(bucket, key);
    long now = nanoClock.getAsLong();
    synchronized (this) {
      Entry old = entries.remove(id);
      if (old != null) {
        bytes -= old.zip.size();
      }
      entries.put(id, new Entry(zip, now));
      bytes += zip.size();
      Iterator<Map.Entry<String, Entry>> lru = entries.entrySet().iterator();
      while (bytes > maxBytes && lru.hasNext()) {
        Map.Entry<String, Entry> eldest = lru.next();
        if (eldest.getKey().equals(id)) {
          continue;
        }
        lru.remove();
        bytes -= eldest.getValue().zip.size();
        evictions.incrementAndGet();
      }
    }
  }

  /** Forgets one zip, e.g. when a pod's agent refused it. */
  public synchronized void invalidate(String bucket, String key) {
    Entry e = entries.remove(id(bucket, key));
    if (e != null) {
      bytes -= e.zip.size();
    }
  }

  public long hits() {
    return hits.get();
  }

  public long misses() {
    return misses.get();
  }

  /** Entries dropped to stay under the byte bound (not TTL expiries or changed ETags). */
  public long evictions() {
    return evictions.get();
  }

  /** HeadObject calls made to check a hit's ETag. */
  public long revalidations() {
    return revalidations.get();
  }

  public synchronized long bytes() {
    return bytes;
  }

  public synchronized int size() {
    return entries.size();
  }

  private void remove(String id, Entry entry) {
    if (entries.remove(id, entry)) {
      bytes -= entry.zip.size();
    }
  }

  private static String id(String bucket, String key) {
    // A bucket name cannot contain '/', so this cannot collide.
    return bucket + "/" + key;
  }

  private static final class Entry {
    final CodeZip zip;
    final long storedAt;
    long validatedAt;

    Entry(CodeZip zip, long now) {
      this.zip = zip;
      this.storedAt = now;
      this.validatedAt = now;
    }
  }
}
