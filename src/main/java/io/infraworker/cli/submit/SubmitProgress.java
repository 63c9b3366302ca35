package io.infraworker.cli.submit;

import java.time.Duration;

/** Hears how far a submission has got; called from the submitting thread, often (about 4 times a second). */
public interface SubmitProgress {
  /** Where a submission is: sent and waiting, running in a pod, result received, or given up on. */
  enum Stage {
    QUEUED("queued"),
    RUNNING("running"),
    DONE("done"),
    NO_RESULT("no result");

    private final String label;

    Stage(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  SubmitProgress SILENT = new SubmitProgress() {
    @Override
    public void update(Stage stage, Duration elapsed) {}

    @Override
    public void finish(Stage stage, Duration elapsed) {}
  };

  /** The current stage and the time since the task was sent. */
  void update(Stage stage, Duration elapsed);

  /** The final stage (DONE or NO_RESULT); no update follows. */
  void finish(Stage stage, Duration elapsed);
}
