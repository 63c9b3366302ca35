package io.infraworker.metrics;

import io.infraworker.api.ResultStatus;
import io.infraworker.api.Runtime;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Arrays;
import java.util.stream.DoubleStream;

/**
 * Every metric of the operator, with the original worker's names kept; all label values are bounded
 * (unknown words become {@code other}, models beyond the first 32 too).
 */
public class WorkerMetrics {
  /** The job-duration buckets the original's dashboards can use, before fitting them to the longest timeout. */
  static final double[] STANDARD_DURATION_BUCKETS =
      {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 900};
  /** Claims are quick with a standby pod, minutes when a job waits for capacity. */
  static final double[] CLAIM_LATENCY_BUCKETS =
      {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
  /** Overhead is code fetch, upload and API writes around the run: milliseconds to seconds. */
  static final double[] OVERHEAD_BUCKETS =
      {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

  private final ModelLabels models;
  private final Counter jobsProcessed;
  private final Histogram jobDuration;
  private final Gauge activeJobs;
  private final Counter intakeMessages;
  private final Histogram claimLatency;
  private final Counter coldStarts;
  private final Histogram overhead;

  /** Registers all metrics in {@code registry}; job-duration buckets reach {@code maxTimeoutSeconds}. */
  public WorkerMetrics(PrometheusRegistry registry, double maxTimeoutSeconds) {
    this(registry, maxTimeoutSeconds, new ModelLabels());
  }

  public WorkerMetrics(PrometheusRegistry registry, double maxTimeoutSeconds, ModelLabels models) {
    if (!(maxTimeoutSeconds > 0) || Double.isInfinite(maxTimeoutSeconds)) {
      throw new IllegalArgumentException("maxTimeoutSeconds must be a positive number, got " + maxTimeoutSeconds);
    }
    this.models = models;
    jobsProcessed = Counter.builder()
        .name(MetricNames.JOBS_PROCESSED)
        .help(MetricNames.JOBS_PROCESSED_HELP)
        .labelNames(MetricNames.LABEL_STATUS, MetricNames.LABEL_RUNTIME, MetricNames.LABEL_MODEL)
        .register(registry);
    jobDuration = Histogram.builder()
        .name(MetricNames.JOB_DURATION)
        .help(MetricNames.JOB_DURATION_HELP)
        .labelNames(MetricNames.LABEL_RUNTIME, MetricNames.LABEL_MODEL)
        .classicOnly()
        .classicUpperBounds(durationBuckets(maxTimeoutSeconds))
        .register(registry);
    activeJobs = Gauge.builder()
        .name(MetricNames.ACTIVE_JOBS)
        .help(MetricNames.ACTIVE_JOBS_HELP)
        .register(registry);
    intakeMessages = Counter.builder()
        .name(MetricNames.INTAKE_MESSAGES)
        .help(MetricNames.INTAKE_MESSAGES_HELP)
        .labelNames(MetricNames.LABEL_OUTCOME)
        .register(registry);
    claimLatency = Histogram.builder()
        .name(MetricNames.CLAIM_LATENCY)
        .help(MetricNames.CLAIM_LATENCY_HELP)
        .labelNames(MetricNames.LABEL_RUNTIME)
        .classicOnly()
        .classicUpperBounds(CLAIM_LATENCY_BUCKETS)
        .register(registry);
    coldStarts = Counter.builder()
        .name(MetricNames.COLD_STARTS)
        .help(MetricNames.COLD_STARTS_HELP)
        .labelNames(MetricNames.LABEL_RUNTIME)
        .register(registry);
    overhead = Histogram.builder()
        .name(MetricNames.OVERHEAD)
        .help(MetricNames.OVERHEAD_HELP)
        .labelNames(MetricNames.LABEL_RUNTIME)
        .classicOnly()
        .classicUpperBounds(OVERHEAD_BUCKETS)
        .register(registry);
  }

  /**
   * The standard buckets below the longest timeout, then the timeout itself, so that the top bucket
   * separates "ran to the limit" from everything else whatever the limit is.
   */
  static double[] durationBuckets(double maxTimeoutSeconds) {
    return DoubleStream.concat(
            Arrays.stream(STANDARD_DURATION_BUCKETS).filter(b -> b < maxTimeoutSeconds),
            DoubleStream.of(maxTimeoutSeconds))
        .toArray();
  }

  /** A job reached a final state: worker_jobs_processed_total and worker_job_duration_seconds. */
  public void jobFinished(String status, String runtime, String model, double durationSeconds) {
    record(LabelValues.status(status), LabelValues.runtime(runtime), models.label(model), durationSeconds);
  }

  /** The typed form of {@link #jobFinished(String, String, String, double)}. */
  public void jobFinished(ResultStatus status, Runtime runtime, String model, double durationSeconds) {
    record(LabelValues.status(status), runtime == null ? MetricNames.OTHER : runtime.wireName(),
        models.label(model), durationSeconds);
  }

  private void record(String status, String runtime, String model, double durationSeconds) {
    jobsProcessed.labelValues(status, runtime, model).inc();
    // A job that never ran (rejected before start) has no duration worth a histogram sample.
    if (durationSeconds >= 0 && Double.isFinite(durationSeconds)) {
      jobDuration.labelValues(runtime, model).observe(durationSeconds);
    }
  }

  /** worker_active_jobs: jobs claimed and not yet finished. */
  public void activeJobs(int count) {
    activeJobs.set(Math.max(0, count));
  }

  /** An SQS message handled by intake; outcome: accepted, duplicate, rejected, failed. */
  public void intakeMessage(String outcome) {
    intakeMessages.labelValues(LabelValues.intakeOutcome(outcome)).inc();
  }

  /** Time from a job's first reconcile to a successful claim. */
  public void claimLatency(String runtime, double seconds) {
    if (seconds >= 0 && Double.isFinite(seconds)) {
      claimLatency.labelValues(LabelValues.runtime(runtime)).observe(seconds);
    }
  }

  /** A job got a dedicated pod because no standby pod was free. */
  public void coldStart(String runtime) {
    coldStarts.labelValues(LabelValues.runtime(runtime)).inc();
  }

  /** Operator overhead of a run: wall time of the job minus the function's own run time. */
  public void overhead(String runtime, double seconds) {
    if (Double.isFinite(seconds)) {
      // Clock skew between operator and pod can make the difference slightly negative; that is zero overhead.
      overhead.labelValues(LabelValues.runtime(runtime)).observe(Math.max(0, seconds));
    }
  }
}
