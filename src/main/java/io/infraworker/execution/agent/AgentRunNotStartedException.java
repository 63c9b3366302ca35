package io.infraworker.execution.agent;

/** {@code GET /v1/run} answered 404: this pod never started a run, so there is nothing to re-attach to. */
public class AgentRunNotStartedException extends AgentRejectedException {
  public AgentRunNotStartedException(String message, String agentError) {
    super(message, 404, agentError);
  }
}
