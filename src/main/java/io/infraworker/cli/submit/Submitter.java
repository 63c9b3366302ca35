package io.infraworker.cli.submit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.infraworker.api.JobPhase;
import io.infraworker.api.JobResult;
import io.infraworker.api.TaskPayload;
import io.infraworker.cli.submit.SubmitProgress.Stage;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Submits a function as a client of the platform would: code zip to S3, the original payload to SQS,
 * then waits for its result on Redis. Holds no state between submissions, so threads may share one.
 */
public final class Submitter {
  static final Duration TICK = Duration.ofMillis(250);
  static final Duration POLL = Duration.ofSeconds(1);

  private final S3Client s3;
  private final SqsClient sqs;
  private final RedisResults results;
  private final JobPhaseSource phases;
  private final String codeBucket;
  private final String queueUrl;
  private final CodeZipper zipper;
  private final ObjectMapper payloadMapper = JsonMapper.builder()
      .serializationInclusion(JsonInclude.Include.NON_NULL) // absent fields take the operator's defaults
      .build();
  private final ObjectMapper resultMapper = JsonMapper.builder()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false) // a newer operator may add fields
      .build();

  public Submitter(S3Client s3, SqsClient sqs, RedisResults results, JobPhaseSource phases, String codeBucket,
      String queueUrl) {
    this(s3, sqs, results, phases, codeBucket, queueUrl, new CodeZipper());
  }

  public Submitter(S3Client s3, SqsClient sqs, RedisResults results, JobPhaseSource phases, String codeBucket,
      String queueUrl, CodeZipper zipper) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.results = Objects.requireNonNull(results, "results");
    this.phases = Objects.requireNonNull(phases, "phases");
    this.codeBucket = Objects.requireNonNull(codeBucket, "codeBucket");
    this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
    this.zipper = Objects.requireNonNull(zipper, "zipper");
  }

  /** The S3 key of a submission's code: {@code functions/{functionId}/{requestId}.zip}. */
  public static String codeKey(String functionId, String requestId) {
    return "functions/" + functionId + "/" + requestId + ".zip";
  }

  /**
   * Uploads, sends and waits. Returns the outcome whether or not a result arrived within the request's
   * wait timeout; throws when the submission itself could not be made.
   */
  public SubmitOutcome submit(SubmitRequest request, SubmitProgress progress)
      throws SubmitException, IOException, InterruptedException {
    String requestId = request.requestId();
    if (!SubmitRequest.validRequestId(requestId)) {
      throw SubmitException.usage("request id \"" + requestId + "\" must be 1-128 characters of A-Z a-z 0-9 . _ : -");
    }
    String functionId = request.effectiveFunctionId();
    if (functionId.isBlank() || functionId.contains("/")) {
      throw SubmitException.usage("function id \"" + functionId + "\" must be non-empty and contain no '/'");
    }
    byte[] zip = zipper.zip(request.source());
    String key = codeKey(functionId, requestId);
    try {
      s3.putObject(b -> b.bucket(codeBucket).key(key).contentType("application/zip"), RequestBody.fromBytes(zip));
    } catch (SdkException e) {
      throw SubmitException.failure("cannot upload the code to s3://" + codeBucket + "/" + key + ": "
          + e.getMessage(), e);
    }
    String body = payloadJson(request, functionId, key);
    // Subscribe first: a result published before the subscription exists would be lost to us.
    try (ResultWatch watch = results.watch(requestId)) {
      try {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
      } catch (SdkException e) {
        throw SubmitException.failure("cannot send the task to " + queueUrl + ": " + e.getMessage(), e);
      }
      return follow(watch, request, key, progress);
    }
  }

  /** The SQS message body: the original worker's payload, only the fields that have a value. */
  String payloadJson(SubmitRequest request, String functionId, String key) throws JsonProcessingException {
    TaskPayload payload = new TaskPayload(request.requestId(), functionId, request.runtime(), key, codeBucket,
        request.memoryMb(), request.timeoutMs(), request.input(), request.modelId(),
        request.envVars().isEmpty() ? null : request.envVars());
    return payloadMapper.writeValueAsString(payload);
  }

  private SubmitOutcome follow(ResultWatch watch, SubmitRequest request, String key, SubmitProgress progress)
      throws SubmitException, InterruptedException {
    long start = System.nanoTime();
    Duration limit = request.effectiveWaitTimeout();
    Stage stage = Stage.QUEUED;
    progress.update(stage, Duration.ZERO);
    long nextPoll = start + POLL.toNanos();
    while (true) {
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      Duration left = limit.minus(elapsed);
      if (left.isNegative() || left.isZero()) {
        progress.finish(Stage.NO_RESULT, elapsed);
        return new SubmitOutcome(request.requestId(), key, null, null, elapsed);
      }
      Optional<String> json = watch.published(left.compareTo(TICK) < 0 ? left : TICK);
      if (json.isEmpty() && System.nanoTime() >= nextPoll) {
        // Pub/sub is fire-and-forget: a dropped connection or a publish we missed is still in job:{id}.
        json = watch.stored();
        if (json.isEmpty() && stage == Stage.QUEUED) {
          Optional<JobPhase> phase = phases.phase(request.requestId());
          if (phase.isPresent() && phase.get() != JobPhase.PENDING) {
            stage = Stage.RUNNING;
          }
        }
        nextPoll = System.nanoTime() + POLL.toNanos();
      }
      elapsed = Duration.ofNanos(System.nanoTime() - start);
      if (json.isPresent()) {
        JobResult result = parse(json.get(), request.requestId());
        progress.finish(Stage.DONE, elapsed);
        return new SubmitOutcome(request.requestId(), key, json.get(), result, elapsed);
      }
      progress.update(stage, elapsed);
    }
  }

  private JobResult parse(String json, String requestId) throws SubmitException {
    try {
      return resultMapper.readValue(json, JobResult.class);
    } catch (JsonProcessingException e) {
      throw SubmitException.failure("the result of " + requestId + " is not a result JSON: "
          + e.getOriginalMessage() + "\n" + json, e);
    }
  }
}
