package io.infraworker.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Observed state of an ExecutionJob: where it runs, how it ended, what it measured. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExecutionJobStatus {
  public static final int STDOUT_TAIL_BYTES = 4096;

  @JsonPropertyDescription("Lifecycle phase: Pending, Running, Succeeded, Failed or TimedOut.")
  private JobPhase phase;

  @JsonPropertyDescription("Machine-readable reason of the current phase, e.g. NoCapacity, OOMKilled, InvalidCode, CodeNotFound, AgentLost.")
  private String reason;

  @JsonPropertyDescription("Human-readable detail of the current phase.")
  private String message;

  @JsonPropertyDescription("The pod claimed for the current attempt.")
  private String podName;

  @JsonPropertyDescription("How many pods this job has been started on (a lost agent is retried up to maxAttempts).")
  private Integer attempts;

  @JsonPropertyDescription("When the task was received from the queue (RFC 3339).")
  private String receivedAt;

  @JsonPropertyDescription("When the function was started in its pod (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription("When the job reached a final phase (RFC 3339).")
  private String finishedAt;

  @JsonPropertyDescription("Run time of the function in milliseconds, as measured by the agent.")
  private Long durationMs;

  @JsonPropertyDescription("Exit code of the function; absent when it was killed by a signal or never ran.")
  private Integer exitCode;

  @JsonPropertyDescription("Peak memory of the pod's cgroup during the run, in bytes; absent when it could not be measured.")
  private Long peakMemoryBytes;

  @JsonPropertyDescription("Memory limit of the pod the function ran in, in MiB.")
  private Integer allocatedMemoryMb;

  @JsonPropertyDescription("AutoTuner's recommended memory limit for this function, in MiB.")
  private Integer recommendedMemoryMb;

  @JsonPropertyDescription("AutoTuner's tip, as in the result.")
  private String optimizationTip;

  @JsonPropertyDescription("URLs of the output files uploaded to S3.")
  private List<String> outputFiles;

  @JsonPropertyDescription("The last 4 KiB of stdout (the full capped output is in the Redis result).")
  private String stdoutTail;

  @JsonPropertyDescription("True once the result has been published to Redis (exactly once).")
  private Boolean resultPublished;

  @JsonPropertyDescription("The generation of the spec this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Standard conditions of the job.")
  private List<StatusCondition> conditions;

  public JobPhase getPhase() {
    return phase;
  }

  public void setPhase(JobPhase phase) {
    this.phase = phase;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getPodName() {
    return podName;
  }

  public void setPodName(String podName) {
    this.podName = podName;
  }

  public Integer getAttempts() {
    return attempts;
  }

  public void setAttempts(Integer attempts) {
    this.attempts = attempts;
  }

  public String getReceivedAt() {
    return receivedAt;
  }

  public void setReceivedAt(String receivedAt) {
    this.receivedAt = receivedAt;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public String getFinishedAt() {
    return finishedAt;
  }

  public void setFinishedAt(String finishedAt) {
    this.finishedAt = finishedAt;
  }

  public Long getDurationMs() {
    return durationMs;
  }

  public void setDurationMs(Long durationMs) {
    this.durationMs = durationMs;
  }

  public Integer getExitCode() {
    return exitCode;
  }

  public void setExitCode(Integer exitCode) {
    this.exitCode = exitCode;
  }

  public Long getPeakMemoryBytes() {
    return peakMemoryBytes;
  }

  public void setPeakMemoryBytes(Long peakMemoryBytes) {
    this.peakMemoryBytes = peakMemoryBytes;
  }

  public Integer getAllocatedMemoryMb() {
    return allocatedMemoryMb;
  }

  public void setAllocatedMemoryMb(Integer allocatedMemoryMb) {
    this.allocatedMemoryMb = allocatedMemoryMb;
  }

  public Integer getRecommendedMemoryMb() {
    return recommendedMemoryMb;
  }

  public void setRecommendedMemoryMb(Integer recommendedMemoryMb) {
    this.recommendedMemoryMb = recommendedMemoryMb;
  }

  public String getOptimizationTip() {
    return optimizationTip;
  }

  public void setOptimizationTip(String optimizationTip) {
    this.optimizationTip = optimizationTip;
  }

  public List<String> getOutputFiles() {
    return outputFiles;
  }

  public void setOutputFiles(List<String> outputFiles) {
    this.outputFiles = outputFiles;
  }

  public String getStdoutTail() {
    return stdoutTail;
  }

  public void setStdoutTail(String stdoutTail) {
    this.stdoutTail = stdoutTail;
  }

  public Boolean getResultPublished() {
    return resultPublished;
  }

  public void setResultPublished(Boolean resultPublished) {
    this.resultPublished = resultPublished;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<StatusCondition> getConditions() {
    return conditions;
  }

  public void setConditions(List<StatusCondition> conditions) {
    this.conditions = conditions;
  }

}
