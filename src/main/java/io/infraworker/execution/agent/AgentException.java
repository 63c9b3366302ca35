package io.infraworker.execution.agent;

/**
 * A call to a pod's agent failed. This base class alone means the agent answered but not usefully
 * (5xx, unreadable JSON); the subclasses say whether it is gone or refused the call.
 */
public class AgentException extends RuntimeException {
  private final int statusCode;
  private final String agentError;

  public AgentException(String message, Throwable cause) {
    this(message, 0, null, cause);
  }

  public AgentException(String message, int statusCode, String agentError, Throwable cause) {
    super(message, cause);
    this.statusCode = statusCode;
    this.agentError = agentError;
  }

  /** The HTTP status the agent answered with, or 0 when there was no answer. */
  public int statusCode() {
    return statusCode;
  }

  /** The agent's {@code {"error": "..."}} message (or body text), or null when there was no answer. */
  public String agentError() {
    return agentError;
  }
}
