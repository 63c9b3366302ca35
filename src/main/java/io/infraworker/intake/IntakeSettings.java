package io.infraworker.intake;

import io.infraworker.config.OperatorConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link SqsIntake} polls: the queue, the number of long-poll loops, the backpressure limit and
 * the timings, which tests shorten.
 *
 * @param queueUrl the task queue
 * @param pollers concurrent long-poll loops (1-64)
 * @param maxInFlight unfinished jobs at which polling pauses
 * @param visibilityTimeoutSeconds how long a received message stays hidden; also the retry delay of
 *     a message whose job could not be created
 * @param waitTimeSeconds long-poll wait of each receive (0-20); bounds how long {@link SqsIntake#stop}
 *     can take
 * @param capacityRecheck how often a paused poller checks whether jobs have finished
 * @param workerId the workerId of FAILED results for refused messages
 */
public record IntakeSettings(
    String queueUrl,
    int pollers,
    int maxInFlight,
    int visibilityTimeoutSeconds,
    int waitTimeSeconds,
    Duration capacityRecheck,
    String workerId) {
  /** The long-poll wait SQS allows at most, and the one production uses. */
  public static final int MAX_WAIT_TIME_SECONDS = 20;
  public static final Duration DEFAULT_CAPACITY_RECHECK = Duration.ofMillis(500);

  public IntakeSettings {
    Objects.requireNonNull(queueUrl, "queueUrl");
    Objects.requireNonNull(capacityRecheck, "capacityRecheck");
    Objects.requireNonNull(workerId, "workerId");
    requireRange("pollers", pollers, 1, 64);
    requireRange("maxInFlight", maxInFlight, 1, Integer.MAX_VALUE);
    requireRange("visibilityTimeoutSeconds", visibilityTimeoutSeconds, 0, 43_200);
    requireRange("waitTimeSeconds", waitTimeSeconds, 0, MAX_WAIT_TIME_SECONDS);
    if (capacityRecheck.isNegative() || capacityRecheck.isZero() || capacityRecheck.toSeconds() > 60) {
      throw new IllegalArgumentException("capacityRecheck must be within (0, 60s], got " + capacityRecheck);
    }
  }

  /** The production settings: 20-second long polls, a recheck every 500 ms. */
  public static IntakeSettings fromConfig(OperatorConfig config) {
    return new IntakeSettings(config.sqsQueueUrl(), config.sqsPollers(), config.maxInFlight(),
        config.sqsVisibilityTimeoutSeconds(), MAX_WAIT_TIME_SECONDS, DEFAULT_CAPACITY_RECHECK, config.workerId());
  }

  private static void requireRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be within " + min + "-" + max + ", got " + value);
    }
  }
}
