package io.infraworker.execution.agent;

/**
 * No answer from the agent: connection refused or reset, or a timeout. The pod or its agent is gone or
 * hung, so the job is retried on a fresh pod (reason {@code AgentLost}).
 */
public class AgentUnreachableException extends AgentException {
  public AgentUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
