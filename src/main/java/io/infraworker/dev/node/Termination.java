package io.infraworker.dev.node;

import java.time.Instant;

/**
 * How a pod's agent ended, as the kubelet reports it in {@code state.terminated}.
 *
 * @param exitCode the exit code; 128 + n for death by signal n, as a container runtime reports it
 * @param reason {@code Completed}, {@code Error}, {@code OOMKilled}, {@code DeadlineExceeded} or {@code StartError}
 * @param message a human sentence, or null
 * @param finishedAt when the process was reaped
 */
record Termination(int exitCode, String reason, String message, Instant finishedAt) {
  static final String COMPLETED = "Completed";
  static final String ERROR = "Error";
  static final String OOM_KILLED = "OOMKilled";
  static final String DEADLINE_EXCEEDED = "DeadlineExceeded";
  static final String START_ERROR = "StartError";
  static final int SIGKILL_EXIT = 128 + 9;

  boolean succeeded() {
    return exitCode == 0 && COMPLETED.equals(reason);
  }
}
