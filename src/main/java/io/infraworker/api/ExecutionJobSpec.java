package io.infraworker.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.LinkedHashMap;
import java.util.Map;

/** What one task asks for: the original worker's payload, as the desired state of an ExecutionJob. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExecutionJobSpec {
  public static final int MIN_MEMORY_MB = 64;
  public static final int MAX_MEMORY_MB = 10240;
  public static final int DEFAULT_MEMORY_MB = 128;
  public static final long MIN_TIMEOUT_MS = 100;
  public static final long MAX_TIMEOUT_MS = 900_000;
  public static final long DEFAULT_TIMEOUT_MS = 300_000;

  @Required
  @Size(min = 1, max = 128)
  @Pattern("^[A-Za-z0-9._:-]+$")
  @JsonPropertyDescription("The task's requestId from the SQS payload; results are published as result:{requestId}.")
  private String requestId;

  @JsonPropertyDescription("The function this task runs (used for AutoTuner history and metrics dimensions).")
  private String functionId;

  @Required
  @JsonPropertyDescription("Language runtime of the code: python, nodejs, cpp or go.")
  private Runtime runtime;

  @Required
  @JsonPropertyDescription("The S3 location of the function's code zip.")
  private CodeRef code;

  @Min(MIN_MEMORY_MB)
  @Max(MAX_MEMORY_MB)
  @JsonPropertyDescription("Memory limit of the run in MiB (64-10240, default 128); the job gets a pod with at least this much.")
  private Integer memoryMb = DEFAULT_MEMORY_MB;

  @Min(MIN_TIMEOUT_MS)
  @Max(MAX_TIMEOUT_MS)
  @JsonPropertyDescription("Wall-clock limit of the run in milliseconds (100-900000, default 300000), build included.")
  private Long timeoutMs = DEFAULT_TIMEOUT_MS;

  @PreserveUnknownFields
  @JsonPropertyDescription("Input of the function, any JSON; given to the code as PAYLOAD (or PAYLOAD_FILE) and on stdin.")
  private JsonNode input;

  @JsonPropertyDescription("LLM model the function may use through the AI endpoint; given to the code as LLM_MODEL.")
  private String modelId;

  @JsonPropertyDescription("Extra environment variables for the function; they cannot override the reserved ones (PAYLOAD, JOB_ID, ...).")
  private Map<String, String> env = new LinkedHashMap<>();

  public String getRequestId() {
    return requestId;
  }

  public void setRequestId(String requestId) {
    this.requestId = requestId;
  }

  public String getFunctionId() {
    return functionId;
  }

  public void setFunctionId(String functionId) {
    this.functionId = functionId;
  }

  public Runtime getRuntime() {
    return runtime;
  }

  public void setRuntime(Runtime runtime) {
    this.runtime = runtime;
  }

  public CodeRef getCode() {
    return code;
  }

  public void setCode(CodeRef code) {
    this.code = code;
  }

  public Integer getMemoryMb() {
    return memoryMb;
  }

  public void setMemoryMb(Integer memoryMb) {
    this.memoryMb = memoryMb;
  }

  public Long getTimeoutMs() {
    return timeoutMs;
  }

  public void setTimeoutMs(Long timeoutMs) {
    this.timeoutMs = timeoutMs;
  }

  public JsonNode getInput() {
    return input;
  }

  public void setInput(JsonNode input) {
    this.input = input;
  }

  public String getModelId() {
    return modelId;
  }

  public void setModelId(String modelId) {
    this.modelId = modelId;
  }

  public Map<String, String> getEnv() {
    return env;
  }

  public void setEnv(Map<String, String> env) {
    this.env = env;
  }
}
