package io.infraworker.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Every metric of the operator, with the original worker's names kept. SKELETON: the signatures
 * are the contract other packages code against; the bodies are being written.
 */
public class WorkerMetrics {
  public WorkerMetrics(PrometheusRegistry registry, double maxTimeoutSeconds) {}

  /** A job reached a final state: worker_jobs_processed_total and worker_job_duration_seconds. */
  public void jobFinished(String status, String runtime, String model, double durationSeconds) {}

  /** worker_active_jobs: jobs claimed and not yet finished. */
  public void activeJobs(int count) {}

  /** An SQS message handled by intake; outcome: accepted, duplicate, rejected, failed. */
  public void intakeMessage(String outcome) {}

  /** Time from a job's first reconcile to a successful claim. */
  public void claimLatency(String runtime, double seconds) {}

  /** A job got a dedicated pod because no standby pod was free. */
  public void coldStart(String runtime) {}

  /** Operator overhead of a run: wall time of the job minus the function's own run time. */
  public void overhead(String runtime, double seconds) {}
}
