package io.infraworker.intake;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.infraworker.api.JobResult;
import io.infraworker.metrics.WorkerMetrics;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Long-polls the task queue and turns each message into an ExecutionJob. A message is deleted only
 * once its job exists or it has been refused for good, so a crash anywhere means a redelivery,
 * never a lost task; redeliveries land on the same job name and count as duplicates.
 */
public final class SqsIntake implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SqsIntake.class);

  static final int MAX_MESSAGES_PER_RECEIVE = 10;
  static final String REASON_INVALID_PAYLOAD = "InvalidPayload";
  private static final int HTTP_UNPROCESSABLE_ENTITY = 422;
  private static final Duration MIN_ERROR_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_ERROR_BACKOFF = Duration.ofSeconds(30);
  // A receive in flight cannot be interrupted (blocking socket read), so stop waits for it to return.
  private static final Duration STOP_MARGIN = Duration.ofSeconds(5);

  private final SqsClient sqs;
  private final IntakeSettings settings;
  private final PayloadValidator validator;
  private final JobCreator creator;
  private final Consumer<JobResult> rejectedResults;
  private final IntSupplier unfinishedJobs;
  private final WorkerMetrics metrics;
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private final List<Thread> pollers = new ArrayList<>();
  private boolean started;

  /**
   * @param sqs the SQS client; the caller owns it and closes it after {@link #stop}
   * @param rejectedResults publishes the FAILED result of a refused message (to Redis); when it
   *     throws, the message is kept and tried again after the visibility timeout
   * @param unfinishedJobs the number of ExecutionJobs not yet finished, for backpressure
   */
  public SqsIntake(SqsClient sqs, IntakeSettings settings, PayloadValidator validator, JobCreator creator,
      Consumer<JobResult> rejectedResults, IntSupplier unfinishedJobs, WorkerMetrics metrics) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.validator = Objects.requireNonNull(validator, "validator");
    this.creator = Objects.requireNonNull(creator, "creator");
    this.rejectedResults = Objects.requireNonNull(rejectedResults, "rejectedResults");
    this.unfinishedJobs = Objects.requireNonNull(unfinishedJobs, "unfinishedJobs");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** Starts the pollers; an intake runs once (create a new one to start again). */
  public synchronized SqsIntake start() {
    if (started || stopping()) {
      throw new IllegalStateException("SqsIntake was started or stopped already");
    }
    started = true;
    for (int i = 1; i <= settings.pollers(); i++) {
      Thread thread = new Thread(this::pollLoop, "sqs-intake-" + i);
      // Daemon: a forgotten stop must not keep the JVM alive; stop() is still the way out.
      thread.setDaemon(true);
      pollers.add(thread);
      thread.start();
    }
    LOG.info("SQS intake started: {} poller(s) on {}, maxInFlight {}", settings.pollers(), settings.queueUrl(),
        settings.maxInFlight());
    return this;
  }

  /**
   * Stops the pollers and waits for them: at most the long-poll wait plus a few seconds, since a
   * receive in flight runs to its end. Messages received after the stop are handed back to the queue.
   */
  public void stop() {
    List<Thread> threads;
    synchronized (this) {
      if (stopSignal.getCount() == 0) {
        return;
      }
      stopSignal.countDown();
      threads = List.copyOf(pollers);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(settings.waitTimeSeconds()).plus(STOP_MARGIN).toNanos();
    for (Thread thread : threads) {
      try {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Thread thread : threads) {
      if (thread.isAlive()) {
        // Last resort; whatever that poller holds reappears in the queue after the visibility timeout.
        LOG.warn("{} did not stop in time; interrupting it", thread.getName());
        thread.interrupt();
      }
    }
    LOG.info("SQS intake stopped");
  }

  @Override
  public void close() {
    stop();
  }

  private boolean stopping() {
    return stopSignal.getCount() == 0;
  }

  private void pollLoop() {
    Duration backoff = MIN_ERROR_BACKOFF;
    while (!stopping()) {
      int capacity = awaitCapacity();
      if (capacity <= 0) {
        return;
      }
      if (receiveAndHandle(Math.min(MAX_MESSAGES_PER_RECEIVE, capacity))) {
        backoff = MIN_ERROR_BACKOFF;
      } else {
        // SQS, the API server or the result sink is failing. Every receive counts towards the
        // DLQ's maxReceiveCount, so receive less often until it recovers.
        if (pause(backoff)) {
          return;
        }
        backoff = min(backoff.multipliedBy(2), MAX_ERROR_BACKOFF);
      }
    }
  }

  /** Receives and handles one batch; false when something failed in a way the next message would share. */
  private boolean receiveAndHandle(int maxMessages) {
    List<Message> messages;
    try {
      messages = receive(maxMessages);
    } catch (SdkException e) {
      if (!stopping()) {
        LOG.warn("receiving from {} failed, backing off: {}", settings.queueUrl(), e.getMessage());
      }
      return false;
    }
    for (int i = 0; i < messages.size(); i++) {
      if (stopping()) {
        release(messages.subList(i, messages.size()));
        return true;
      }
      if (!handleSafely(messages.get(i))) {
        // The rest of the batch would fail the same way: leave it hidden until the visibility timeout.
        if (i + 1 < messages.size()) {
          LOG.info("leaving {} more message(s) of this batch for a later delivery", messages.size() - i - 1);
        }
        return false;
      }
    }
    return true;
  }

  /**
   * Waits until unfinished jobs are below maxInFlight, so that the queue rather than etcd holds the
   * backlog; returns the free capacity, or 0 once stopping.
   */
  private int awaitCapacity() {
    boolean paused = false;
    while (!stopping()) {
      int unfinished;
      try {
        unfinished = unfinishedJobs.getAsInt();
      } catch (RuntimeException e) {
        // Not knowing the load (e.g. the job cache is not synced yet) means not taking more.
        if (!paused) {
          LOG.warn("could not count unfinished jobs, polling paused until it works: {}", e.toString());
        }
        unfinished = Integer.MAX_VALUE;
      }
      if (unfinished < settings.maxInFlight()) {
        if (paused) {
          LOG.debug("{} unfinished jobs, below maxInFlight {}: polling again", unfinished, settings.maxInFlight());
        }
        return settings.maxInFlight() - unfinished;
      }
      if (!paused) {
        LOG.debug("{} unfinished jobs, maxInFlight {}: polling paused", unfinished, settings.maxInFlight());
        paused = true;
      }
      if (pause(settings.capacityRecheck())) {
        return 0;
      }
    }
    return 0;
  }

  private List<Message> receive(int maxMessages) {
    return sqs.receiveMessage(b -> b
            .queueUrl(settings.queueUrl())
            .maxNumberOfMessages(maxMessages)
            .waitTimeSeconds(settings.waitTimeSeconds())
            .visibilityTimeout(settings.visibilityTimeoutSeconds())
            .messageSystemAttributeNames(
                MessageSystemAttributeName.SENT_TIMESTAMP, MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
        .messages();
  }

  /**
   * Handles one message; false when a dependency (API server, result sink) looks down, so the
   * poller backs off. One bad message must not end the poller: anything unexpected leaves it for a
   * redelivery.
   */
  private boolean handleSafely(Message message) {
    try {
      PayloadCheck check = validator.validate(message.body());
      if (check instanceof PayloadCheck.Valid valid) {
        return accept(message, valid);
      }
      return reject(message, (PayloadCheck.Invalid) check);
    } catch (RuntimeException e) {
      metrics.intakeMessage("failed");
      LOG.error("SQS message {} could not be handled; it stays in the queue", message.messageId(), e);
      return false;
    }
  }

  private boolean accept(Message message, PayloadCheck.Valid valid) {
    JobCreator.Outcome outcome;
    try {
      outcome = creator.create(valid.spec(), sentAt(message));
    } catch (RuntimeException e) {
      metrics.intakeMessage("failed");
      LOG.warn("could not create the job of SQS message {} (requestId {}, receive #{}); it stays in the queue: {}",
          message.messageId(), valid.requestId(), receiveCount(message), withCause(e));
      return refusedThisObjectOnly(e);
    }
    delete(message);
    metrics.intakeMessage(outcome == JobCreator.Outcome.CREATED ? "accepted" : "duplicate");
    if (outcome == JobCreator.Outcome.ALREADY_EXISTS) {
      LOG.info("SQS message {} is a redelivery of requestId {}: the job exists already", message.messageId(),
          valid.requestId());
    } else {
      LOG.debug("SQS message {} became the job of requestId {}", message.messageId(), valid.requestId());
    }
    return true;
  }

  // 400 and 422: the API server refused this one object (e.g. CRD validation); the next message may
  // well pass. Anything else (no connection, 5xx, 429, 401/403) hits every message alike.
  private static boolean refusedThisObjectOnly(RuntimeException e) {
    return e instanceof KubernetesClientException k
        && (k.getCode() == HttpURLConnection.HTTP_BAD_REQUEST || k.getCode() == HTTP_UNPROCESSABLE_ENTITY);
  }

  private boolean reject(Message message, PayloadCheck.Invalid invalid) {
    if (invalid.requestId().isPresent()) {
      JobResult result = JobResult.failedBeforeRun(invalid.requestId().get(), invalid.functionId().orElse(null),
          settings.workerId(), REASON_INVALID_PAYLOAD, invalid.message());
      try {
        rejectedResults.accept(result);
      } catch (RuntimeException e) {
        // Deleting now would leave the caller waiting for a result forever; keep the message instead.
        metrics.intakeMessage("failed");
        LOG.warn("could not publish the FAILED result of SQS message {} (requestId {}); it stays in the queue: {}",
            message.messageId(), invalid.requestId().get(), e.toString());
        return false;
      }
    }
    delete(message);
    metrics.intakeMessage("rejected");
    LOG.warn("rejected SQS message {} (requestId {}): {}", message.messageId(),
        invalid.requestId().orElse("unreadable"), invalid.message());
    return true;
  }

  private void delete(Message message) {
    try {
      sqs.deleteMessage(b -> b.queueUrl(settings.queueUrl()).receiptHandle(message.receiptHandle()));
    } catch (SdkException e) {
      // Harmless: the redelivery finds the job (or is refused again) and is deleted then.
      LOG.warn("could not delete SQS message {}; it will be delivered again: {}", message.messageId(), e.getMessage());
    }
  }

  // Messages received while stopping go back to the queue at once instead of waiting out the timeout.
  private void release(List<Message> messages) {
    if (messages.isEmpty()) {
      return;
    }
    List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
          .id(Integer.toString(i)).receiptHandle(messages.get(i).receiptHandle()).visibilityTimeout(0).build());
    }
    try {
      sqs.changeMessageVisibilityBatch(b -> b.queueUrl(settings.queueUrl()).entries(entries));
    } catch (SdkException | IllegalStateException e) {
      LOG.info("could not hand {} message(s) back to the queue; they return after the visibility timeout: {}",
          messages.size(), e.getMessage());
    }
  }

  /** Sleeps until the duration passed or stop was called; true when stopping. */
  private boolean pause(Duration duration) {
    try {
      return stopSignal.await(duration.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      // Only stop() interrupts pollers, as a last resort.
      Thread.currentThread().interrupt();
      return true;
    }
  }

  // Fabric8 wraps I/O errors in "An error has occurred."; the root cause says what actually went wrong.
  private static String withCause(Throwable e) {
    Throwable root = e;
    for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 10; depth++) {
      root = root.getCause();
    }
    return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Optional<Instant> sentAt(Message message) {
    String millis = message.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
    try {
      return millis == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(Long.parseLong(millis)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String receiveCount(Message message) {
    return message.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "?");
  }
}
