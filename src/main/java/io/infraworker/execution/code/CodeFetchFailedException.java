package io.infraworker.execution.code;

/** Reading the code zip from S3 failed for a reason that may pass (network, throttling, 5xx). */
public final class CodeFetchFailedException extends CodeException {
  public static final String REASON = "CodeFetchFailed";

  public CodeFetchFailedException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String reason() {
    return REASON;
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
