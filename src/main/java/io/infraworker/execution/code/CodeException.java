package io.infraworker.execution.code;

/** A code zip that could not be made ready for a pod; {@link #reason()} is the job's condition reason. */
public abstract class CodeException extends RuntimeException {
  protected CodeException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The one-word reason recorded on the job, e.g. {@code InvalidCode}. */
  public abstract String reason();

  /** Whether trying again later can help (S3 hiccup) or not (a bad or missing zip). */
  public abstract boolean retryable();
}
