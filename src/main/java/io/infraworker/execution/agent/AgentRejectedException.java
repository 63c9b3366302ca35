package io.infraworker.execution.agent;

/** The agent refused the call with a 4xx (400 zip or request refused, 401 token, 409 wrong state, 413 too big). */
public class AgentRejectedException extends AgentException {
  public AgentRejectedException(String message, int statusCode, String agentError) {
    super(message, statusCode, agentError, null);
  }
}
