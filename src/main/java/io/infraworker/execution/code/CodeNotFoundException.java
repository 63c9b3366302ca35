package io.infraworker.execution.code;

/** The code zip's bucket or key does not exist. */
public final class CodeNotFoundException extends CodeException {
  public static final String REASON = "CodeNotFound";

  public CodeNotFoundException(String message, Throwable cause) {
    super(message, cause);
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
