package io.infraworker.config;

/** A bad or missing environment variable; the message is one line fit to print as the start-up error. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String variable;

  ConfigException(String variable, String message) {
    // No cause and no stack trace worth reading: the message says everything the operator needs.
    super(message, null, false, false);
    this.variable = variable;
  }

  /** The name of the variable at fault, e.g. {@code MAX_IN_FLIGHT}. */
  public String variable() {
    return variable;
  }
}
