package io.infraworker.execution.agent;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a run ended, as the agent reports it. */
public enum AgentStatus {
  @JsonProperty("ok")
  OK,
  @JsonProperty("timeout")
  TIMEOUT,
  @JsonProperty("oom")
  OOM,
  @JsonProperty("error")
  ERROR
}
