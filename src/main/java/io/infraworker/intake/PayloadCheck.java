package io.infraworker.intake;

import io.infraworker.api.ExecutionJobSpec;
import java.util.Objects;
import java.util.Optional;

/** What {@link PayloadValidator} made of one message body: a job to create, or why it was refused. */
public sealed interface PayloadCheck permits PayloadCheck.Valid, PayloadCheck.Invalid {

  /** The body is a valid task; {@code spec} has every default filled in. */
  record Valid(String requestId, ExecutionJobSpec spec) implements PayloadCheck {
    public Valid {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(spec, "spec");
    }
  }

  /**
   * The body is refused. {@code requestId} is present only when the body held a valid one, so a
   * FAILED result can be published without trusting a malformed id as a Redis key;
   * {@code functionId} likewise, for the result's functionId.
   */
  record Invalid(Optional<String> requestId, Optional<String> functionId, String message) implements PayloadCheck {
    public Invalid {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(functionId, "functionId");
      Objects.requireNonNull(message, "message");
    }
  }
}
