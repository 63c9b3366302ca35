package io.infraworker.results;

/** What {@link ResultPublisher#publish} did. */
public enum PublishOutcome {
  /** The result was stored and published now. */
  PUBLISHED,
  /** A result for this request was already stored, so nothing was published again. */
  ALREADY_PUBLISHED
}
