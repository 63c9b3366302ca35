package io.infraworker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.infraworker.api.ResultStatus;
import io.infraworker.api.Runtime;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WorkerMetricsTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();

  private String scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void exposesTheOriginalWorkersMetricsWithTheirLabels() throws IOException {
    WorkerMetrics metrics = new WorkerMetrics(registry, 300);
    metrics.jobFinished("SUCCESS", "python", "llama3:8b", 1.25);
    metrics.jobFinished(ResultStatus.TIMEOUT, Runtime.GO, null, 300);
    metrics.activeJobs(3);

    String text = scrape();
    assertThat(text)
        .contains("# HELP worker_jobs_processed_total Total jobs processed")
        .contains("# TYPE worker_jobs_processed_total counter")
        .contains("worker_jobs_processed_total{model=\"llama3:8b\",runtime=\"python\",status=\"success\"} 1.0")
        .contains("worker_jobs_processed_total{model=\"none\",runtime=\"go\",status=\"timeout\"} 1.0")
        .contains("# TYPE worker_job_duration_seconds histogram")
        .contains("worker_job_duration_seconds_count{model=\"llama3:8b\",runtime=\"python\"} 1")
        .contains("worker_job_duration_seconds_bucket{model=\"llama3:8b\",runtime=\"python\",le=\"2.5\"} 1")
        .contains("# TYPE worker_active_jobs gauge")
        .contains("worker_active_jobs 3.0");
  }

  @Test
  void exposesTheOperatorsOwnMetrics() throws IOException {
    WorkerMetrics metrics = new WorkerMetrics(registry, 900);
    metrics.intakeMessage("accepted");
    metrics.intakeMessage("something-new");
    metrics.claimLatency("nodejs", 0.02);
    metrics.coldStart("cpp");
    metrics.overhead("python", 0.3);

    assertThat(scrape())
        .contains("infraworker_intake_messages_total{outcome=\"accepted\"} 1.0")
        .contains("infraworker_intake_messages_total{outcome=\"other\"} 1.0")
        .contains("infraworker_claim_latency_seconds_count{runtime=\"nodejs\"} 1")
        .contains("infraworker_cold_starts_total{runtime=\"cpp\"} 1.0")
        .contains("infraworker_overhead_seconds_count{runtime=\"python\"} 1");
  }

  @Test
  void unknownRuntimesAndStatusesBecomeOther() throws IOException {
    WorkerMetrics metrics = new WorkerMetrics(registry, 60);
    metrics.jobFinished("weird", "cobol", "m", 1);
    metrics.jobFinished("FAILED", "PYTHON", "m", 1);

    assertThat(scrape())
        .contains("worker_jobs_processed_total{model=\"m\",runtime=\"other\",status=\"other\"} 1.0")
        .contains("worker_jobs_processed_total{model=\"m\",runtime=\"python\",status=\"failure\"} 1.0");
  }

  @Test
  void the33rdDistinctModelIsCountedAsOther() throws IOException {
    WorkerMetrics metrics = new WorkerMetrics(registry, 60);
    for (int i = 0; i < 33; i++) {
      metrics.jobFinished("SUCCESS", "python", "model-" + i, 1);
    }

    String text = scrape();
    assertThat(text).contains("model=\"model-31\"").doesNotContain("model=\"model-32\"")
        .contains("worker_jobs_processed_total{model=\"other\",runtime=\"python\",status=\"success\"} 1.0");
  }

  @Test
  void durationBucketsEndAtTheLongestTimeout() throws IOException {
    assertThat(WorkerMetrics.durationBuckets(300))
        .containsExactly(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300);
    assertThat(WorkerMetrics.durationBuckets(45))
        .containsExactly(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 45);
    assertThat(WorkerMetrics.durationBuckets(3600))
        .endsWith(600, 900, 3600);

    new WorkerMetrics(registry, 3600).jobFinished("SUCCESS", "go", null, 3000);
    assertThat(scrape())
        .contains("worker_job_duration_seconds_bucket{model=\"none\",runtime=\"go\",le=\"900.0\"} 0")
        .contains("worker_job_duration_seconds_bucket{model=\"none\",runtime=\"go\",le=\"3600.0\"} 1");
  }

  @Test
  void refusesANonsenseTimeout() {
    assertThatThrownBy(() -> new WorkerMetrics(registry, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
