package io.infraworker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ModelLabelsTest {
  @Test
  void keepsTheFirst32DistinctModelsAndCallsTheRestOther() {
    ModelLabels labels = new ModelLabels();
    for (int i = 0; i < 32; i++) {
      assertThat(labels.label("model-" + i)).isEqualTo("model-" + i);
    }
    assertThat(labels.label("model-32")).isEqualTo("other");
    assertThat(labels.label("model-0")).as("a kept model stays kept").isEqualTo("model-0");
  }

  @Test
  void noModelIsNoneAndImplausibleIdsAreOther() {
    ModelLabels labels = new ModelLabels();
    assertThat(labels.label(null)).isEqualTo("none");
    assertThat(labels.label("  ")).isEqualTo("none");
    assertThat(labels.label("x".repeat(65))).isEqualTo("other");
    assertThat(labels.label(" llama3:8b ")).isEqualTo("llama3:8b");
  }

  @Test
  void concurrentCallersNeverKeepMoreThanTheCapacity() throws Exception {
    ModelLabels labels = new ModelLabels(32);
    Set<String> kept = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 100; i++) {
            String label = labels.label("m-" + thread + "-" + i);
            if (!label.equals("other")) {
              kept.add(label);
            }
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(kept).hasSize(32);
  }
}
