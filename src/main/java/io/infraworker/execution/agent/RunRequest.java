package io.infraworker.execution.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.infraworker.api.Runtime;
import java.util.Map;
import java.util.Objects;

/**
 * The body of {@code POST /v1/run}; component names are the agent's JSON field names. {@code
 * maxOutputBytes} is per stream (0 = the agent's 1 MiB default, at most 64 MiB); {@code memoryMb} 0
 * leaves MEMORY_MB to the agent's own setting.
 */
public record RunRequest(
    Runtime runtime,
    long timeoutMs,
    long maxOutputBytes,
    JsonNode input,
    Map<String, String> env,
    String jobId,
    String functionId,
    int memoryMb,
    String modelId) {

  /** The agent's cap on {@code maxOutputBytes}: the result is one in-memory JSON document. */
  public static final long MAX_OUTPUT_BYTES = 64L * 1024 * 1024;
  /** What the agent uses when {@code maxOutputBytes} is 0. */
  public static final long DEFAULT_OUTPUT_BYTES = 1024 * 1024;

  // Checked here too, so a bad request fails in the operator with a clear message, not as an agent 400.
  public RunRequest {
    Objects.requireNonNull(runtime, "runtime");
    if (timeoutMs <= 0) {
      throw new IllegalArgumentException("timeoutMs must be > 0, got " + timeoutMs);
    }
    if (maxOutputBytes < 0 || maxOutputBytes > MAX_OUTPUT_BYTES) {
      throw new IllegalArgumentException("maxOutputBytes must be between 0 and " + MAX_OUTPUT_BYTES + ", got "
          + maxOutputBytes);
    }
    if (memoryMb < 0) {
      throw new IllegalArgumentException("memoryMb must be >= 0, got " + memoryMb);
    }
    env = env == null ? Map.of() : Map.copyOf(env);
  }

  /** The per-stream cap the agent will actually apply. */
  public long effectiveMaxOutputBytes() {
    return maxOutputBytes == 0 ? DEFAULT_OUTPUT_BYTES : maxOutputBytes;
  }
}
