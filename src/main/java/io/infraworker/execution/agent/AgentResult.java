package io.infraworker.execution.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The agent's result JSON (answer of {@code POST /v1/run} and {@code GET /v1/run}). Figures the agent
 * did not measure are null, never a made-up 0; unknown fields from a newer agent are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentResult(
    AgentStatus status,
    Integer exitCode,
    String signal,
    Long durationMs,
    Long buildMs,
    String stdout,
    String stderr,
    long stdoutBytes,
    long stderrBytes,
    boolean truncated,
    Long peakMemoryBytes,
    String peakMemorySource,
    boolean oomKilled,
    Long cpuMs,
    List<OutputFile> outputs,
    List<SkippedOutput> skippedOutputs,
    String message,
    String startedAt,
    String finishedAt) {

  public AgentResult {
    // An agent that panicked answers with only status and message: keep the rest non-null.
    stdout = stdout == null ? "" : stdout;
    stderr = stderr == null ? "" : stderr;
    message = message == null ? "" : message;
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
    skippedOutputs = skippedOutputs == null ? List.of() : List.copyOf(skippedOutputs);
  }

  // stdout and stderr may be 64 MiB each: keep them out of logs.
  @Override
  public String toString() {
    return "AgentResult[status=" + status + ", exitCode=" + exitCode + ", signal=" + signal + ", durationMs="
        + durationMs + ", stdoutBytes=" + stdoutBytes + ", stderrBytes=" + stderrBytes + ", outputs="
        + outputs.size() + ", message=" + message + "]";
  }
}
