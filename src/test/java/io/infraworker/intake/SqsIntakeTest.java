package io.infraworker.intake;

import static io.infraworker.testing.KubeHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.infraworker.api.ExecutionJob;
import io.infraworker.api.JobNames;
import io.infraworker.api.JobResult;
import io.infraworker.api.ResultStatus;
import io.infraworker.api.Runtime;
import io.infraworker.dev.DevCredentials;
import io.infraworker.dev.DevTools;
import io.infraworker.dev.LocalSqs;
import io.infraworker.metrics.WorkerMetrics;
import io.infraworker.pool.Labels;
import io.infraworker.testing.KubeHarness;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The intake against real SQS (ElasticMQ) and the mock Kubernetes API. */
class SqsIntakeTest {
  private static final String VALID_BODY = """
      {"requestId":"Job:42","functionId":"fn-1","runtime":"nodejs","s3Key":"users/u1/code.zip",
       "memoryMb":256,"timeoutMs":5000,"input":{"name":"world"},"modelId":"m-1","envVars":{"GREETING":"hi"}}""";
  private static final int VISIBILITY_SECONDS = 2;

  private static LocalSqs localSqs;
  private static SqsClient sqs;

  private KubeHarness kube;
  private String queueUrl;
  private final RecordingMetrics metrics = new RecordingMetrics();
  private final ConcurrentLinkedQueue<JobResult> results = new ConcurrentLinkedQueue<>();
  private final List<SqsIntake> intakes = new ArrayList<>();
  private final List<KubernetesClient> extraClients = new ArrayList<>();

  @BeforeAll
  static void startSqs() {
    localSqs = LocalSqs.start("127.0.0.1", DevTools.freePort("127.0.0.1", 0), "us-east-1", DevCredentials.DEFAULT);
    sqs = SqsClient.builder()
        .endpointOverride(localSqs.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
            DevCredentials.DEFAULT.accessKeyId(), DevCredentials.DEFAULT.secretAccessKey())))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  @AfterAll
  static void stopSqs() {
    sqs.close();
    localSqs.close();
  }

  @BeforeEach
  void start() {
    kube = KubeHarness.start();
    // A queue per test, so a message one test leaves behind cannot show up in the next.
    queueUrl = sqs.createQueue(b -> b.queueName("intake-" + UUID.randomUUID())).queueUrl();
  }

  @AfterEach
  void stop() {
    intakes.forEach(SqsIntake::stop);
    extraClients.forEach(KubernetesClient::close);
    kube.close();
    sqs.deleteQueue(b -> b.queueUrl(queueUrl));
  }

  private SqsIntake startIntake(KubernetesClient client, Consumer<JobResult> sink, IntSupplier unfinished,
      int maxInFlight) {
    IntakeSettings settings = new IntakeSettings(queueUrl, 2, maxInFlight, VISIBILITY_SECONDS, 1,
        Duration.ofMillis(100), "worker-1");
    SqsIntake intake = new SqsIntake(sqs, settings, new PayloadValidator(Set.of("code"), "code"),
        new JobCreator(client, NAMESPACE, Clock.systemUTC()), sink, unfinished, metrics);
    intakes.add(intake);
    return intake.start();
  }

  private SqsIntake startIntake() {
    return startIntake(kube.client(), results::add, () -> 0, 100);
  }

  private void send(String body) {
    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
  }

  private List<ExecutionJob> jobs() {
    return kube.client().resources(ExecutionJob.class).inNamespace(NAMESPACE).list().getItems();
  }

  private int queued(QueueAttributeName attribute) {
    return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(attribute))
        .attributes().get(attribute));
  }

  private boolean queueEmpty() {
    return queued(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES) == 0
        && queued(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE) == 0;
  }

  private static KubernetesClient unreachableApi() {
    int closedPort = DevTools.freePort("127.0.0.1", 0);
    return new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
            .withMasterUrl("http://127.0.0.1:" + closedPort)
            .withRequestRetryBackoffLimit(0)
            .withConnectionTimeout(1000)
            .withRequestTimeout(1000)
            .build())
        .build();
  }

  @Test
  void aValidMessageBecomesAnExecutionJobAndIsDeleted() {
    Instant before = Instant.now().minusSeconds(1);
    send(VALID_BODY);
    startIntake();

    await().atMost(Duration.ofSeconds(10)).until(() -> jobs().size() == 1);
    ExecutionJob job = jobs().get(0);
    assertThat(job.getMetadata().getName()).isEqualTo(JobNames.forRequestId("Job:42"));
    assertThat(job.getMetadata().getLabels())
        .containsEntry(Labels.MANAGED_BY, "infra-worker")
        .containsEntry(Labels.RUNTIME, "nodejs");
    Map<String, String> annotations = job.getMetadata().getAnnotations();
    assertThat(annotations).containsEntry(JobCreator.ANNOTATION_REQUEST_ID, "Job:42");
    assertThat(Instant.parse(annotations.get(JobCreator.ANNOTATION_SENT_AT))).isAfter(before);
    assertThat(Instant.parse(annotations.get(JobCreator.ANNOTATION_RECEIVED_AT)))
        .isAfterOrEqualTo(Instant.parse(annotations.get(JobCreator.ANNOTATION_SENT_AT)).minusSeconds(1));

    var spec = job.getSpec();
    assertThat(spec.getRequestId()).isEqualTo("Job:42");
    assertThat(spec.getFunctionId()).isEqualTo("fn-1");
    assertThat(spec.getRuntime()).isEqualTo(Runtime.NODEJS);
    assertThat(spec.getCode().getBucket()).isEqualTo("code");
    assertThat(spec.getCode().getKey()).isEqualTo("users/u1/code.zip");
    assertThat(spec.getMemoryMb()).isEqualTo(256);
    assertThat(spec.getTimeoutMs()).isEqualTo(5000L);
    assertThat(spec.getInput().get("name").asText()).isEqualTo("world");
    assertThat(spec.getModelId()).isEqualTo("m-1");
    assertThat(spec.getEnv()).isEqualTo(Map.of("GREETING", "hi"));

    await().atMost(Duration.ofSeconds(10)).until(this::queueEmpty);
    assertThat(metrics.outcomes).containsExactly("accepted");
    assertThat(results).isEmpty();
  }

  @Test
  void theSameBodyTwiceMakesOneJobAndBothMessagesAreDeleted() {
    send(VALID_BODY);
    send(VALID_BODY);
    startIntake();

    await().atMost(Duration.ofSeconds(10)).until(() -> metrics.outcomes.size() == 2);
    assertThat(metrics.outcomes).containsExactlyInAnyOrder("accepted", "duplicate");
    assertThat(jobs()).hasSize(1);
    await().atMost(Duration.ofSeconds(10)).until(this::queueEmpty);
  }

  @Test
  void anInvalidMessageGetsAFailedResultNamingTheFieldAndIsDeleted() {
    send("{\"requestId\":\"job-7\",\"functionId\":\"fn-7\",\"runtime\":\"python\",\"s3Key\":\"k\",\"memoryMb\":\"lots\"}");
    startIntake();

    await().atMost(Duration.ofSeconds(10)).until(() -> results.size() == 1);
    JobResult result = results.peek();
    assertThat(result.requestId()).isEqualTo("job-7");
    assertThat(result.functionId()).isEqualTo("fn-7");
    assertThat(result.workerId()).isEqualTo("worker-1");
    assertThat(result.status()).isEqualTo(ResultStatus.FAILED);
    assertThat(result.reason()).isEqualTo("InvalidPayload");
    assertThat(result.stderr()).contains("memoryMb").contains("\"lots\"");
    await().atMost(Duration.ofSeconds(10)).until(this::queueEmpty);
    assertThat(metrics.outcomes).containsExactly("rejected");
    assertThat(jobs()).isEmpty();
  }

  @Test
  void aMessageWithoutAReadableRequestIdIsDeletedWithoutAResult() {
    send("this is not json");
    send("{\"requestId\":\"has space\",\"runtime\":\"python\",\"s3Key\":\"k\"}");
    startIntake();

    await().atMost(Duration.ofSeconds(10)).until(() -> metrics.outcomes.size() == 2);
    assertThat(metrics.outcomes).containsExactly("rejected", "rejected");
    await().atMost(Duration.ofSeconds(10)).until(this::queueEmpty);
    assertThat(results).isEmpty();
    assertThat(jobs()).isEmpty();
  }

  @Test
  void whenTheApiServerFailsTheMessageStaysAndIsNotLost() {
    KubernetesClient broken = unreachableApi();
    extraClients.add(broken);
    send(VALID_BODY);
    SqsIntake failing = startIntake(broken, results::add, () -> 0, 100);

    await().atMost(Duration.ofSeconds(10)).until(() -> metrics.outcomes.contains("failed"));
    failing.stop();
    assertThat(metrics.outcomes).containsOnly("failed");
    assertThat(queued(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
        + queued(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).isEqualTo(1);

    // The visibility timeout passes, the message is delivered again and this time the API answers.
    startIntake();
    await().atMost(Duration.ofSeconds(15)).until(() -> jobs().size() == 1);
    await().atMost(Duration.ofSeconds(10)).until(this::queueEmpty);
    assertThat(metrics.outcomes).endsWith("accepted");
  }

  @Test
  void whenTheResultSinkFailsTheRefusedMessageStays() {
    AtomicBoolean redisDown = new AtomicBoolean(true);
    send("{\"requestId\":\"job-8\",\"runtime\":\"java\",\"s3Key\":\"k\"}");
    startIntake(kube.client(), r -> {
      if (redisDown.get()) {
        throw new IllegalStateException("Redis is down");
      }
      results.add(r);
    }, () -> 0, 100);

    await().atMost(Duration.ofSeconds(10)).until(() -> metrics.outcomes.contains("failed"));
    assertThat(queueEmpty()).isFalse();
    redisDown.set(false);

    await().atMost(Duration.ofSeconds(15)).until(() -> results.size() == 1);
    assertThat(results.peek().stderr()).contains("runtime");
    await().atMost(Duration.ofSeconds(10)).until(this::queueEmpty);
    assertThat(metrics.outcomes).endsWith("rejected");
  }

  @Test
  void atMaxInFlightNothingIsReceivedUntilJobsFinish() throws InterruptedException {
    AtomicInteger unfinished = new AtomicInteger(1);
    send(VALID_BODY);
    startIntake(kube.client(), results::add, unfinished::get, 1);

    Thread.sleep(2500);
    // Never received: visible, not in flight.
    assertThat(queued(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).isEqualTo(1);
    assertThat(queued(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).isZero();
    assertThat(jobs()).isEmpty();
    assertThat(metrics.outcomes).isEmpty();

    unfinished.set(0);
    await().atMost(Duration.ofSeconds(10)).until(() -> jobs().size() == 1);
    await().atMost(Duration.ofSeconds(10)).until(this::queueEmpty);
  }

  @Test
  void aFailingUnfinishedJobsCountPausesPolling() throws InterruptedException {
    send(VALID_BODY);
    startIntake(kube.client(), results::add, () -> {
      throw new IllegalStateException("cache not synced");
    }, 10);

    Thread.sleep(1500);
    assertThat(queued(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).isEqualTo(1);
    assertThat(jobs()).isEmpty();
  }

  @Test
  void stopEndsThePollersPromptly() {
    SqsIntake intake = startIntake();
    long start = System.nanoTime();
    intake.stop();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().startsWith("sqs-intake-") && t.isAlive());
    intake.stop(); // idempotent
  }

  @Test
  void anIntakeStartsOnce() {
    SqsIntake intake = startIntake();
    assertThatThrownBy(intake::start).isInstanceOf(IllegalStateException.class);
    intake.stop();
    assertThatThrownBy(intake::start).isInstanceOf(IllegalStateException.class);
  }

  /** Records intake outcomes; the real metrics are another package's business. */
  static final class RecordingMetrics extends WorkerMetrics {
    final List<String> outcomes = Collections.synchronizedList(new ArrayList<>());

    RecordingMetrics() {
      super(new PrometheusRegistry(), 900);
    }

    @Override
    public void intakeMessage(String outcome) {
      super.intakeMessage(outcome);
      outcomes.add(outcome);
    }
  }
}
