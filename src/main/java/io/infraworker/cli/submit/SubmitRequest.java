package io.infraworker.cli.submit;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One function to run: its code and the payload fields to send with it.
 *
 * @param source the function's folder, or a .zip
 * @param runtime python, nodejs, cpp or go
 * @param requestId the task's id
 * @param functionId the function's id; null means the source's name
 * @param memoryMb memory limit, or null for the operator's default
 * @param timeoutMs time limit, or null for the operator's default
 * @param input any JSON, or null
 * @param modelId LLM model, or null
 * @param envVars extra environment of the function (never null)
 * @param waitTimeout how long to wait for the result; null means {@link #defaultWaitTimeout}
 */
public record SubmitRequest(
    java.nio.file.Path source,
    String runtime,
    String requestId,
    String functionId,
    Integer memoryMb,
    Long timeoutMs,
    JsonNode input,
    String modelId,
    Map<String, String> envVars,
    Duration waitTimeout) {
  /** The payload's own default, applied by the operator when timeoutMs is absent. */
  public static final long DEFAULT_TIMEOUT_MS = 300_000;
  /** Time on top of the function's timeout for queueing, claiming a pod, uploads and publishing. */
  public static final Duration WAIT_MARGIN = Duration.ofSeconds(120);
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final SecureRandom RANDOM = new SecureRandom();

  public SubmitRequest {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(requestId, "requestId");
    envVars = envVars == null ? Map.of() : Map.copyOf(envVars);
  }

  /** {@code submit-} and 12 random hex digits. */
  public static String newRequestId() {
    return newRequestId("submit-");
  }

  /** The prefix and 12 random hex digits. */
  public static String newRequestId(String prefix) {
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    return prefix + HexFormat.of().formatHex(bytes);
  }

  /** Whether the operator's intake will accept this requestId (1-128 of [A-Za-z0-9._:-]). */
  public static boolean validRequestId(String requestId) {
    return requestId != null && REQUEST_ID.matcher(requestId).matches();
  }

  /** The function id that names the code's S3 key and the AutoTuner's history. */
  public String effectiveFunctionId() {
    return functionId != null ? functionId : CodeZipper.defaultFunctionId(source);
  }

  /** {@code waitTimeout}, else the function's timeout plus {@link #WAIT_MARGIN}. */
  public Duration effectiveWaitTimeout() {
    return waitTimeout != null ? waitTimeout : defaultWaitTimeout(timeoutMs);
  }

  public static Duration defaultWaitTimeout(Long timeoutMs) {
    long ms = timeoutMs != null ? timeoutMs : DEFAULT_TIMEOUT_MS;
    return Duration.ofSeconds(ms / 1000).plus(WAIT_MARGIN);
  }
}
