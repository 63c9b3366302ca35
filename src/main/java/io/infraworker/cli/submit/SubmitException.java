package io.infraworker.cli.submit;

/** A submission that cannot go on, with the exit code the command line reports for it. */
public final class SubmitException extends Exception {
  /** Bad arguments or configuration: nothing was sent. */
  public static final int USAGE = 2;
  /** A service refused or could not be reached. */
  public static final int FAILURE = 1;

  private final int exitCode;

  private SubmitException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public static SubmitException usage(String message) {
    return new SubmitException(USAGE, message, null);
  }

  public static SubmitException failure(String message, Throwable cause) {
    return new SubmitException(FAILURE, message, cause);
  }

  public int exitCode() {
    return exitCode;
  }
}
