package io.infraworker.metrics;

import io.infraworker.api.ResultStatus;
import io.infraworker.api.Runtime;
import java.util.Locale;
import java.util.Set;

/** Maps free-form status, runtime and outcome words onto their known label values, anything else to {@code other}. */
final class LabelValues {
  /** Intake outcomes, as {@link WorkerMetrics#intakeMessage} documents them. */
  static final Set<String> INTAKE_OUTCOMES = Set.of("accepted", "duplicate", "rejected", "failed");

  private LabelValues() {}

  /** A runtime's wire name ({@code python}, ...), case-insensitive. */
  static String runtime(String runtime) {
    if (runtime == null) {
      return MetricNames.OTHER;
    }
    return Runtime.fromWireName(runtime.strip().toLowerCase(Locale.ROOT))
        .map(Runtime::wireName)
        .orElse(MetricNames.OTHER);
  }

  /**
   * The original worker's status words: {@code success} and {@code failure} (and {@code error} for a
   * crash of the worker itself), plus {@code timeout}, which it counted as a failure. Accepts the
   * result statuses (SUCCESS, FAILED, TIMEOUT) as well, case-insensitive.
   */
  static String status(String status) {
    if (status == null) {
      return MetricNames.OTHER;
    }
    return switch (status.strip().toLowerCase(Locale.ROOT)) {
      case "success", "succeeded" -> "success";
      case "failed", "failure" -> "failure";
      case "timeout", "timedout" -> "timeout";
      case "error" -> "error";
      default -> MetricNames.OTHER;
    };
  }

  static String status(ResultStatus status) {
    return status == null ? MetricNames.OTHER : status(status.name());
  }

  static String intakeOutcome(String outcome) {
    if (outcome == null) {
      return MetricNames.OTHER;
    }
    String word = outcome.strip().toLowerCase(Locale.ROOT);
    return INTAKE_OUTCOMES.contains(word) ? word : MetricNames.OTHER;
  }
}
