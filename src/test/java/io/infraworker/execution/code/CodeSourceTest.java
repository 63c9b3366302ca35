package io.infraworker.execution.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** CodeSource and CodeCache with a counting in-memory store and a hand-driven clock. */
class CodeSourceTest {
  private final FakeStore store = new FakeStore();
  private final AtomicLong clock = new AtomicLong();

  private CodeSource source(long maxBytes, Duration ttl, Duration revalidateAfter) {
    return new CodeSource(store, new ZipInspector(), new CodeCache(maxBytes, ttl, revalidateAfter, store, clock::get));
  }

  private void advance(Duration d) {
    clock.addAndGet(d.toNanos());
  }

  @Test
  void secondGetIsServedFromTheCache() {
    store.put("a", Zips.zipOf("main.py", "print(1)"), "e1");
    CodeSource source = source(1 << 20, Duration.ofMinutes(10), Duration.ofSeconds(1));

    CodeZip first = source.get("b", "a");
    CodeZip second = source.get("b", "a");

    assertThat(second).isSameAs(first);
    assertThat(store.gets.get()).isEqualTo(1);
    assertThat(store.heads.get()).isZero();
    assertThat(source.cache().hits()).isEqualTo(1);
    assertThat(source.cache().misses()).isEqualTo(1);
  }

  @Test
  void expiresAfterTheTtl() {
    store.put("a", Zips.zipOf("main.py", "print(1)"), "e1");
    CodeSource source = source(1 << 20, Duration.ofSeconds(60), Duration.ofHours(1));

    source.get("b", "a");
    advance(Duration.ofSeconds(59));
    source.get("b", "a");
    assertThat(store.gets.get()).isEqualTo(1);
    advance(Duration.ofSeconds(2));
    source.get("b", "a");
    assertThat(store.gets.get()).isEqualTo(2);
  }

  @Test
  void revalidatesByEtagAfterTheInterval() {
    store.put("a", Zips.zipOf("main.py", "print(1)"), "e1");
    CodeSource source = source(1 << 20, Duration.ofMinutes(10), Duration.ofSeconds(1));

    source.get("b", "a");
    advance(Duration.ofSeconds(2));
    source.get("b", "a");
    assertThat(store.heads.get()).isEqualTo(1);
    assertThat(store.gets.get()).isEqualTo(1);

    byte[] updated = Zips.zipOf("main.py", "print(2)");
    store.put("a", updated, "e2");
    advance(Duration.ofSeconds(2));
    CodeZip fresh = source.get("b", "a");

    assertThat(fresh.bytes()).isEqualTo(updated);
    assertThat(fresh.etag()).isEqualTo("e2");
    assertThat(store.gets.get()).isEqualTo(2);
  }

  @Test
  void deletedObjectIsDroppedOnRevalidation() {
    store.put("a", Zips.zipOf("main.py", "print(1)"), "e1");
    CodeSource source = source(1 << 20, Duration.ofMinutes(10), Duration.ZERO);
    source.get("b", "a");
    store.objects.remove("a");

    assertThatThrownBy(() -> source.get("b", "a")).isInstanceOf(CodeNotFoundException.class);
    assertThat(source.cache().size()).isZero();
  }

  @Test
  void byteBoundEvictsTheLeastRecentlyUsed() {
    byte[] a = Zips.zipOf("main.py", "a".repeat(100));
    byte[] b = Zips.zipOf("main.py", "b".repeat(100));
    byte[] c = Zips.zipOf("main.py", "c".repeat(100));
    store.put("a", a, "ea");
    store.put("b", b, "eb");
    store.put("c", c, "ec");
    CodeSource source = source(a.length + b.length + c.length - 1, Duration.ofMinutes(10), Duration.ofHours(1));

    source.get("bk", "a");
    source.get("bk", "b");
    source.get("bk", "a");
    source.get("bk", "c");

    assertThat(source.cache().evictions()).isEqualTo(1);
    assertThat(source.cache().size()).isEqualTo(2);
    int gets = store.gets.get();
    source.get("bk", "a");
    source.get("bk", "c");
    assertThat(store.gets.get()).isEqualTo(gets);
    source.get("bk", "b");
    assertThat(store.gets.get()).isEqualTo(gets + 1);
  }

  @Test
  void zeroBytesDisablesTheCache() {
    store.put("a", Zips.zipOf("main.py", "print(1)"), "e1");
    CodeSource source = source(0, Duration.ofMinutes(10), Duration.ofSeconds(1));

    source.get("b", "a");
    source.get("b", "a");

    assertThat(store.gets.get()).isEqualTo(2);
    assertThat(source.cache().size()).isZero();
  }

  @Test
  void refusedZipsAreNotCached() {
    store.put("a", Zips.zipOf("../evil.py", "x"), "e1");
    CodeSource source = source(1 << 20, Duration.ofMinutes(10), Duration.ofSeconds(1));

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> source.get("b", "a")).isInstanceOf(InvalidCodeException.class)
          .hasMessage("entry \"../evil.py\": path escapes the code directory");
    }
    assertThat(store.gets.get()).isEqualTo(2);
  }

  @Test
  void concurrentMissesShareOneFetch() throws Exception {
    store.put("a", Zips.zipOf("main.py", "print(1)"), "e1");
    store.gate = new CountDownLatch(1);
    CodeSource source = source(1 << 20, Duration.ofMinutes(10), Duration.ofSeconds(1));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<CodeZip>> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        results.add(pool.submit(() -> source.get("b", "a")));
      }
      // Give the followers time to find the leader's fetch in flight.
      Thread.sleep(200);
      store.gate.countDown();
      CodeZip first = results.get(0).get(5, TimeUnit.SECONDS);
      for (Future<CodeZip> f : results) {
        assertThat(f.get(5, TimeUnit.SECONDS)).isSameAs(first);
      }
      assertThat(store.gets.get()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  /** An in-memory CodeStore counting its calls. */
  private static final class FakeStore implements CodeStore {
    final Map<String, FetchedZip> objects = new ConcurrentHashMap<>();
    final AtomicInteger gets = new AtomicInteger();
    final AtomicInteger heads = new AtomicInteger();
    volatile CountDownLatch gate;

    void put(String key, byte[] bytes, String etag) {
      objects.put(key, new FetchedZip(bytes, etag));
    }

    @Override
    public FetchedZip get(String bucket, String key) {
      gets.incrementAndGet();
      CountDownLatch g = gate;
      if (g != null) {
        try {
          g.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      FetchedZip z = objects.get(key);
      if (z == null) {
        throw new CodeNotFoundException("s3://" + bucket + "/" + key + " not found", null);
      }
      return z;
    }

    @Override
    public Optional<String> etag(String bucket, String key) {
      heads.incrementAndGet();
      FetchedZip z = objects.get(key);
      if (z == null) {
        throw new CodeNotFoundException("s3://" + bucket + "/" + key + " not found", null);
      }
      return Optional.ofNullable(z.etag());
    }
  }
}
