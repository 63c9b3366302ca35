package io.infraworker.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The result published to Redis ({@code PUBLISH result:{requestId}}, {@code SET job:{requestId}}):
 * the original worker's camelCase fields plus {@code reason}, {@code buildMs}, {@code queuedMs} and
 * {@code truncated}.
 * Every field is always present; a figure that was not measured is {@code null}, never a made-up 0.
 *
 * @param requestId the task's id
 * @param functionId the function's id, or null
 * @param workerId the operator replica that ran it
 * @param status SUCCESS, FAILED or TIMEOUT
 * @param exitCode the process's exit code, null when it was killed by a signal or never ran
 * @param stdout captured stdout (capped at MAX_OUTPUT_SIZE)
 * @param stderr captured stderr (capped), or the reason of a failure before the run
 * @param durationMs run time of the function
 * @param peakMemoryBytes peak memory of the pod's cgroup during the run
 * @param allocatedMemoryMb memory limit of the pod the function ran in
 * @param optimizationTip AutoTuner's tip
 * @param estimatedSavings AutoTuner's monthly savings estimate
 * @param recommendedMemoryMb AutoTuner's recommendation
 * @param cpuUsage CPU time of the function in milliseconds
 * @param outputFiles URLs of the uploaded output files
 * @param reason machine word for a failure (OOMKilled, InvalidCode, ...), null on success
 * @param buildMs compile time for cpp and go, null when nothing was built
 * @param queuedMs time from receipt to start of the run
 * @param truncated whether stdout or stderr was cut at MAX_OUTPUT_SIZE (null when nothing ran)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"requestId", "functionId", "workerId", "status", "exitCode", "stdout", "stderr",
    "durationMs", "peakMemoryBytes", "allocatedMemoryMb", "optimizationTip", "estimatedSavings",
    "recommendedMemoryMb", "cpuUsage", "outputFiles", "reason", "buildMs", "queuedMs", "truncated"})
public record JobResult(
    String requestId,
    String functionId,
    String workerId,
    ResultStatus status,
    Integer exitCode,
    String stdout,
    String stderr,
    Long durationMs,
    Long peakMemoryBytes,
    Integer allocatedMemoryMb,
    String optimizationTip,
    String estimatedSavings,
    Integer recommendedMemoryMb,
    Long cpuUsage,
    List<String> outputFiles,
    String reason,
    Long buildMs,
    Long queuedMs,
    Boolean truncated) {

  /** A result that says nothing about truncation (nothing ran, or it is not known). */
  public JobResult(String requestId, String functionId, String workerId, ResultStatus status, Integer exitCode,
      String stdout, String stderr, Long durationMs, Long peakMemoryBytes, Integer allocatedMemoryMb,
      String optimizationTip, String estimatedSavings, Integer recommendedMemoryMb, Long cpuUsage,
      List<String> outputFiles, String reason, Long buildMs, Long queuedMs) {
    this(requestId, functionId, workerId, status, exitCode, stdout, stderr, durationMs, peakMemoryBytes,
        allocatedMemoryMb, optimizationTip, estimatedSavings, recommendedMemoryMb, cpuUsage, outputFiles, reason,
        buildMs, queuedMs, null);
  }

  /** A FAILED result for a task that never ran (invalid payload, missing code, ...). */
  public static JobResult failedBeforeRun(String requestId, String functionId, String workerId, String reason,
      String message) {
    return new JobResult(requestId, functionId, workerId, ResultStatus.FAILED, null, "", message, null, null,
        null, null, null, null, null, List.of(), reason, null, null);
  }
}
