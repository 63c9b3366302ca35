package io.infraworker.api;

/** The status word of a published result, as the original worker wrote it. */
public enum ResultStatus {
  SUCCESS,
  FAILED,
  TIMEOUT
}
