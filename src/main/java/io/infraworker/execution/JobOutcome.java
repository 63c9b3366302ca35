package io.infraworker.execution;

import io.infraworker.api.JobPhase;
import io.infraworker.api.ResultStatus;
import io.infraworker.execution.agent.AgentResult;

/**
 * How a job ended, in the three vocabularies that report it: the ExecutionJob phase, the result's
 * status word and the machine-readable reason.
 *
 * @param phase the job's final phase
 * @param status the published result's status
 * @param reason null on success, else e.g. OOMKilled, Timeout, BuildFailed, Error, AgentLost
 * @param message human-readable detail
 */
public record JobOutcome(JobPhase phase, ResultStatus status, String reason, String message) {
  public static final String OOM_KILLED = "OOMKilled";
  public static final String TIMEOUT = "Timeout";
  public static final String BUILD_FAILED = "BuildFailed";
  public static final String ERROR = "Error";
  public static final String AGENT_LOST = "AgentLost";
  public static final String DEADLINE_EXCEEDED = "DeadlineExceeded";

  /** The outcome the agent's result describes. */
  public static JobOutcome of(AgentResult result, long timeoutMs) {
    String detail = result.message() == null || result.message().isBlank() ? null : result.message();
    switch (result.status()) {
      case OK:
        return new JobOutcome(JobPhase.SUCCEEDED, ResultStatus.SUCCESS, null, "exited 0");
      case TIMEOUT:
        return new JobOutcome(JobPhase.TIMED_OUT, ResultStatus.TIMEOUT, TIMEOUT,
            detail != null ? detail : "ran past its timeout of " + timeoutMs + " ms and was killed");
      case OOM:
        return new JobOutcome(JobPhase.FAILED, ResultStatus.FAILED, OOM_KILLED,
            detail != null ? detail : "killed for using more memory than its limit");
      default:
        boolean buildFailed = result.buildMs() != null && result.durationMs() == null;
        String reason = buildFailed ? BUILD_FAILED : ERROR;
        String message = detail != null ? detail
            : result.exitCode() != null ? "exited " + result.exitCode()
            : "killed by signal " + result.signal();
        return new JobOutcome(JobPhase.FAILED, ResultStatus.FAILED, reason, message);
    }
  }

  /** A failure before or around the run, e.g. InvalidCode, CodeNotFound, AgentLost. */
  public static JobOutcome failed(String reason, String message) {
    return new JobOutcome(JobPhase.FAILED, ResultStatus.FAILED, reason, message);
  }

  /** The kubelet stopped the pod at its deadline: the run took too long even for the backstop. */
  public static JobOutcome deadlineExceeded(long timeoutMs) {
    return new JobOutcome(JobPhase.TIMED_OUT, ResultStatus.TIMEOUT, DEADLINE_EXCEEDED,
        "the pod was stopped at its deadline (timeout " + timeoutMs + " ms plus grace)");
  }
}
