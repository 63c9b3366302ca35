package io.infraworker.cli.demo;

import io.infraworker.cli.submit.SubmitOutcome;
import java.util.List;

/**
 * How one example ended: its submission's outcome, or the error that stopped it from being submitted.
 *
 * @param example the example
 * @param outcome the submission's outcome; null when {@code error} is set
 * @param error why it could not be submitted; null otherwise
 */
public record ExampleOutcome(Example example, SubmitOutcome outcome, String error) {

  /** Each way this example differs from what it must end as; empty when it ended as expected. */
  public List<String> mismatches(long maxOutputSize) {
    if (error != null) {
      return List.of("not submitted: " + error);
    }
    if (!outcome.arrived()) {
      return List.of("no result within " + outcome.waited().toSeconds() + " s");
    }
    return example.expect().mismatches(outcome.result(), maxOutputSize);
  }
}
