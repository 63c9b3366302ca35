package io.infraworker.results;

/** Redis could not take or give a result (down, unreachable, refusing writes); the caller retries later. */
public class ResultStoreUnavailableException extends RuntimeException {
  public ResultStoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
