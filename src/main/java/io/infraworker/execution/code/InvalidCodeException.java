package io.infraworker.execution.code;

/** The code zip was refused: too big, corrupt, or an entry broke a rule (the message names it). */
public final class InvalidCodeException extends CodeException {
  public static final String REASON = "InvalidCode";

  public InvalidCodeException(String message) {
    super(message, null);
  }

  @Override
  public String reason() {
    return REASON;
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
