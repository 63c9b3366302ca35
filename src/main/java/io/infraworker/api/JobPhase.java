package io.infraworker.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Lifecycle of an ExecutionJob; each phase knows whether it is final. */
public enum JobPhase {
  @JsonProperty("Pending")
  PENDING(false, "waiting for a standby pod or for its code"),
  @JsonProperty("Running")
  RUNNING(false, "the function runs in a claimed pod"),
  @JsonProperty("Succeeded")
  SUCCEEDED(true, "the function exited 0"),
  @JsonProperty("Failed")
  FAILED(true, "the function failed, or the job could not run (see reason)"),
  @JsonProperty("TimedOut")
  TIMED_OUT(true, "the function ran past timeoutMs and was killed");

  private final boolean terminal;
  private final String description;

  JobPhase(boolean terminal, String description) {
    this.terminal = terminal;
    this.description = description;
  }

  public boolean isTerminal() {
    return terminal;
  }

  public String description() {
    return description;
  }
}
