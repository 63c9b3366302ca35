package io.infraworker.metrics;

/**
 * Every metric name and help text of the operator in one place; the {@code worker_*} names and help texts
 * are the original worker's, so its dashboards keep working.
 */
public final class MetricNames {
  /** Exposed as {@code worker_jobs_processed_total}: the client library adds the counter suffix. */
  public static final String JOBS_PROCESSED = "worker_jobs_processed";
  public static final String JOBS_PROCESSED_HELP = "Total jobs processed";
  public static final String JOB_DURATION = "worker_job_duration_seconds";
  public static final String JOB_DURATION_HELP = "Job execution duration in seconds";
  public static final String ACTIVE_JOBS = "worker_active_jobs";
  public static final String ACTIVE_JOBS_HELP = "Number of jobs currently running";

  /** Exposed as {@code infraworker_intake_messages_total}. */
  public static final String INTAKE_MESSAGES = "infraworker_intake_messages";
  public static final String INTAKE_MESSAGES_HELP = "SQS messages handled by intake, by outcome";
  public static final String CLAIM_LATENCY = "infraworker_claim_latency_seconds";
  public static final String CLAIM_LATENCY_HELP = "Time from a job's first reconcile to a successful pod claim";
  /** Exposed as {@code infraworker_cold_starts_total}. */
  public static final String COLD_STARTS = "infraworker_cold_starts";
  public static final String COLD_STARTS_HELP = "Jobs that got a dedicated pod because no standby pod was free";
  public static final String OVERHEAD = "infraworker_overhead_seconds";
  public static final String OVERHEAD_HELP = "Operator overhead of a run: wall time of the job minus the function's run time";

  public static final String LABEL_STATUS = "status";
  public static final String LABEL_RUNTIME = "runtime";
  public static final String LABEL_MODEL = "model";
  public static final String LABEL_OUTCOME = "outcome";

  /** The value of any label whose input is outside its known set. */
  public static final String OTHER = "other";

  private MetricNames() {}
}
