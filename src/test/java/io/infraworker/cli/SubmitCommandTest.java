package io.infraworker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infraworker.api.JobResult;
import io.infraworker.api.ResultStatus;
import io.infraworker.cli.submit.JobPhaseSource;
import io.infraworker.cli.submit.SubmitClients;
import io.infraworker.cli.submit.SubmitEnvironment;
import io.infraworker.cli.submit.SubmitOutcome;
import io.infraworker.cli.submit.SubmitProgress;
import io.infraworker.cli.submit.SubmitRequest;
import io.infraworker.dev.DevCredentials;
import io.infraworker.dev.DevTools;
import io.infraworker.dev.LocalRedis;
import io.infraworker.dev.LocalS3;
import io.infraworker.dev.LocalSqs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import redis.clients.jedis.Jedis;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** Submits against real local SQS, S3 and Redis, with the test acting as the operator. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubmitCommandTest {
  private static final String HOST = "127.0.0.1";
  private static final String REGION = "us-east-1";
  private static final String CODE_BUCKET = "code";
  private static final String DATA_BUCKET = "user-data";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path state;
  @TempDir static Path work;

  private LocalSqs localSqs;
  private LocalS3 localS3;
  private LocalRedis localRedis;
  private SqsClient sqs;
  private S3Client s3;
  private Path envFile;
  private Map<String, String> envValues;

  @BeforeAll
  void startServices() throws IOException {
    localRedis = LocalRedis.start(HOST, DevTools.freePort(HOST, 0), state.resolve("redis"));
    localSqs = LocalSqs.start(HOST, DevTools.freePort(HOST, 0), REGION, DevCredentials.DEFAULT);
    localS3 = LocalS3.start(HOST, DevTools.freePort(HOST, 0), state.resolve("s3"), DevCredentials.DEFAULT, REGION,
        List.of(CODE_BUCKET, DATA_BUCKET));
    s3 = localS3.client(DevCredentials.DEFAULT, REGION);
    sqs = SqsClient.builder().endpointOverride(localSqs.endpoint()).region(Region.of(REGION))
        .credentialsProvider(credentials()).build();
    envValues = new LinkedHashMap<>();
    envValues.put("SQS_QUEUE_URL", localSqs.queueUrl());
    envValues.put("AWS_ENDPOINT_URL", localS3.endpoint().toString());
    envValues.put("AWS_ENDPOINT_URL_S3", localS3.endpoint().toString());
    envValues.put("AWS_ENDPOINT_URL_SQS", localSqs.endpoint().toString());
    envValues.put("AWS_REGION", REGION);
    envValues.put("AWS_ACCESS_KEY_ID", DevCredentials.DEFAULT.accessKeyId());
    envValues.put("AWS_SECRET_ACCESS_KEY", DevCredentials.DEFAULT.secretAccessKey());
    envValues.put("S3_CODE_BUCKET", CODE_BUCKET);
    envValues.put("S3_USER_DATA_BUCKET", DATA_BUCKET);
    envValues.put("REDIS_HOST", localRedis.host());
    envValues.put("REDIS_PORT", String.valueOf(localRedis.port()));
    StringBuilder text = new StringBuilder("# like the dev stack's dev.env\n");
    envValues.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    envFile = state.resolve("dev.env");
    Files.writeString(envFile, text);
  }

  @AfterAll
  void stopServices() {
    sqs.close();
    s3.close();
    localS3.close();
    localSqs.close();
    localRedis.close();
  }

  private static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(DevCredentials.DEFAULT.accessKeyId(),
        DevCredentials.DEFAULT.secretAccessKey()));
  }

  @Test
  void submitterUploadsTheFolderSendsTheOriginalPayloadAndReturnsThePublishedResult() throws Exception {
    Path folder = exampleFolder("hello");
    String requestId = "req-submitter-1";
    SubmitRequest request = new SubmitRequest(folder, "python", requestId, null, 256, 5000L,
        JSON.readTree("{\"name\":\"infra-worker\"}"), "gpt-x", Map.of("GREETING", "hi"), Duration.ofSeconds(30));
    try (SubmitClients clients = SubmitClients.open(SubmitEnvironment.from(envValues), JobPhaseSource.NONE)) {
      CompletableFuture<SubmitOutcome> submitted = CompletableFuture.supplyAsync(() -> {
        try {
          return clients.submitter().submit(request, SubmitProgress.SILENT);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });

      JsonNode payload = JSON.readTree(receiveTask(requestId));
      assertThat(payload.get("requestId").asText()).isEqualTo(requestId);
      assertThat(payload.get("functionId").asText()).isEqualTo("hello");
      assertThat(payload.get("runtime").asText()).isEqualTo("python");
      assertThat(payload.get("s3Key").asText()).isEqualTo("functions/hello/" + requestId + ".zip");
      assertThat(payload.get("s3Bucket").asText()).isEqualTo(CODE_BUCKET);
      assertThat(payload.get("memoryMb").asInt()).isEqualTo(256);
      assertThat(payload.get("timeoutMs").asLong()).isEqualTo(5000L);
      assertThat(payload.get("input")).isEqualTo(JSON.readTree("{\"name\":\"infra-worker\"}"));
      assertThat(payload.get("modelId").asText()).isEqualTo("gpt-x");
      assertThat(payload.get("envVars")).isEqualTo(JSON.readTree("{\"GREETING\":\"hi\"}"));

      assertThat(zipEntries(s3.getObjectAsBytes(b -> b.bucket(CODE_BUCKET).key(payload.get("s3Key").asText()))
          .asByteArray())).containsExactly("lib/util.py", "main.py");

      String result = resultJson(requestId, ResultStatus.SUCCESS, null, List.of());
      publish(requestId, result, true);
      SubmitOutcome outcome = submitted.get(20, TimeUnit.SECONDS);
      assertThat(outcome.resultJson()).isEqualTo(result);
      assertThat(outcome.result().status()).isEqualTo(ResultStatus.SUCCESS);
      assertThat(outcome.succeeded()).isTrue();
    }
  }

  @Test
  void aResultOnlyStoredInTheJobKeyIsFoundWhenThePublishWasMissed() throws Exception {
    String requestId = "req-stored-only";
    CompletableFuture<Integer> exit = runAsync(command(work), exampleFolder("stored").toString(),
        "--runtime", "python", "--request-id", requestId, "--env-file", envFile.toString(), "--wait-timeout", "30");
    receiveTask(requestId);
    publish(requestId, resultJson(requestId, ResultStatus.SUCCESS, null, List.of()), false);
    assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void jsonOutputIsExactlyTheResultJsonAndTheDevEnvFileIsFoundInTheWorkingDirectory() throws Exception {
    Path project = Files.createDirectories(work.resolve("project"));
    Files.createDirectories(project.resolve(".infra-worker"));
    Files.copy(envFile, project.resolve(".infra-worker/dev.env"));
    exampleFolder("project/fn");
    String requestId = "req-json";
    Run run = new Run(command(project));
    CompletableFuture<Integer> exit = run.async("fn", "--runtime", "python", "--request-id", requestId, "--json");
    receiveTask(requestId);
    String result = resultJson(requestId, ResultStatus.SUCCESS, null, List.of());
    publish(requestId, result, true);
    assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
    assertThat(run.out.toString()).isEqualTo(result + System.lineSeparator());
    assertThat(run.err.toString()).contains("dev.env").doesNotContain("\r");
  }

  @Test
  void aFailedResultIsPrintedReadablyAndExitsOne() throws Exception {
    String requestId = "req-failed";
    Run run = new Run(command(work));
    CompletableFuture<Integer> exit = run.async(exampleFolder("failing").toString(), "--runtime", "python",
        "--request-id", requestId, "--env-file", envFile.toString());
    receiveTask(requestId);
    publish(requestId, resultJson(requestId, ResultStatus.FAILED, "OOMKilled", List.of()), true);
    assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(run.out.toString()).contains("status", "FAILED", "exit code", "peak memory", "15.0 MiB",
        "allocated", "256 MiB", "reason", "OOMKilled", "--- stdout ---", "Hello", "--- stderr ---", "oops");
    assertThat(run.err.toString()).contains("queued", "done");
  }

  @Test
  void outputFilesAreDownloadedUnderOutKeepingTheirPath() throws Exception {
    String requestId = "req-outputs";
    String key = "outputs/" + requestId + "/data/numbers.csv";
    s3.putObject(b -> b.bucket(DATA_BUCKET).key(key), RequestBody.fromString("n,square\n2,4\n"));
    String url;
    try (S3Presigner presigner = S3Presigner.builder().endpointOverride(localS3.endpoint()).region(Region.of(REGION))
        .credentialsProvider(credentials())
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build()) {
      url = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5))
          .getObjectRequest(g -> g.bucket(DATA_BUCKET).key(key))).url().toString();
    }
    Path out = work.resolve("downloads");
    Run run = new Run(command(work));
    CompletableFuture<Integer> exit = run.async(exampleFolder("writer").toString(), "--runtime", "python",
        "--request-id", requestId, "--env-file", envFile.toString(), "--out", out.toString());
    receiveTask(requestId);
    publish(requestId, resultJson(requestId, ResultStatus.SUCCESS, null, List.of(url)), true);
    assertThat(exit.get(20, TimeUnit.SECONDS)).as(run.err.toString()).isZero();
    assertThat(out.resolve("data/numbers.csv")).hasContent("n,square\n2,4");
  }

  @Test
  void noResultWithinTheWaitTimeoutExitsThree() throws Exception {
    Run run = new Run(command(work));
    int exit = run.cli.execute(exampleFolder("silent").toString(), "--runtime", "python", "--request-id",
        "req-silent", "--env-file", envFile.toString(), "--wait-timeout", "1");
    assertThat(exit).isEqualTo(3);
    assertThat(run.err.toString()).contains("no result", "req-silent");
    receiveTask("req-silent");
  }

  @Test
  void inputFromAFileAndTheLimitsAreSentInThePayload() throws Exception {
    Files.writeString(work.resolve("in.json"), "{\"n\": [1, 2]}");
    Run run = new Run(command(work));
    int exit = run.cli.execute(exampleFolder("withinput").toString(), "--runtime", "nodejs", "--request-id",
        "req-input", "--env-file", envFile.toString(), "--input", "@in.json", "--memory", "512", "--timeout", "1000",
        "--env", "A=1", "--env", "B=2", "--function-id", "my-fn", "--wait-timeout", "1");
    assertThat(exit).isEqualTo(3);
    JsonNode payload = JSON.readTree(receiveTask("req-input"));
    assertThat(payload.get("input")).isEqualTo(JSON.readTree("{\"n\": [1, 2]}"));
    assertThat(payload.get("runtime").asText()).isEqualTo("nodejs");
    assertThat(payload.get("memoryMb").asInt()).isEqualTo(512);
    assertThat(payload.get("timeoutMs").asLong()).isEqualTo(1000);
    assertThat(payload.get("envVars")).isEqualTo(JSON.readTree("{\"A\":\"1\",\"B\":\"2\"}"));
    assertThat(payload.get("s3Key").asText()).isEqualTo("functions/my-fn/req-input.zip");
    assertThat(payload.has("modelId")).isFalse();
  }

  @Test
  void aMissingQueueUrlExitsTwoWithOneLineNamingIt() throws Exception {
    Run run = new Run(new SubmitCommand(Map.of("S3_CODE_BUCKET", CODE_BUCKET), work, false));
    int exit = run.cli.execute(exampleFolder("noqueue").toString(), "--runtime", "python");
    assertThat(exit).isEqualTo(2);
    assertThat(run.err.toString().strip().lines()).hasSize(1);
    assertThat(run.err.toString()).contains("SQS_QUEUE_URL");
  }

  @Test
  void aSymlinkInsideTheFolderIsRefusedAndNothingIsSent() throws Exception {
    Path folder = exampleFolder("linked");
    Files.createSymbolicLink(folder.resolve("secrets"), Path.of("main.py"));
    Run run = new Run(command(work));
    int exit = run.cli.execute(folder.toString(), "--runtime", "python", "--request-id", "req-linked",
        "--env-file", envFile.toString());
    assertThat(exit).isEqualTo(2);
    assertThat(run.err.toString()).contains("symlink", "secrets");
    assertThat(s3.listObjectsV2(b -> b.bucket(CODE_BUCKET).prefix("functions/linked/")).contents()).isEmpty();
  }

  @Test
  void anUnknownRuntimeIsAUsageError() throws Exception {
    Run run = new Run(command(work));
    int exit = run.cli.execute(exampleFolder("cobol").toString(), "--runtime", "cobol", "--env-file",
        envFile.toString());
    assertThat(exit).isEqualTo(2);
    assertThat(run.err.toString()).contains("--runtime", "python, nodejs, cpp, go");
  }

  @Test
  void submitHelpWorks() {
    StringWriter out = new StringWriter();
    int code = Main.commandLine().setOut(new PrintWriter(out)).execute("submit", "--help");
    assertThat(code).isZero();
    assertThat(out.toString()).contains("Usage:", "DIR|ZIP", "--runtime", "--input", "--memory", "--timeout",
        "--function-id", "--model", "--env", "--request-id", "--out", "--json", "--env-file", "--wait-timeout");
  }

  // --- helpers ---

  private SubmitCommand command(Path workingDir) {
    // The process environment must not leak into a test: an empty map stands for it.
    return new SubmitCommand(Map.of(), workingDir, false);
  }

  private static final class Run {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final CommandLine cli;

    Run(SubmitCommand command) {
      cli = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    }

    CompletableFuture<Integer> async(String... args) {
      return CompletableFuture.supplyAsync(() -> cli.execute(args));
    }
  }

  private CompletableFuture<Integer> runAsync(SubmitCommand command, String... args) {
    return new Run(command).async(args);
  }

  private Path exampleFolder(String name) throws IOException {
    Path folder = Files.createDirectories(work.resolve(name));
    Files.writeString(folder.resolve("main.py"), "print('Hello')\n");
    Files.createDirectories(folder.resolve("lib"));
    Files.writeString(folder.resolve("lib/util.py"), "X = 1\n");
    Files.createDirectories(folder.resolve("__pycache__"));
    Files.write(folder.resolve("__pycache__/main.cpython-312.pyc"), new byte[] {1, 2, 3});
    Files.createDirectories(folder.resolve(".git"));
    Files.writeString(folder.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    return folder;
  }

  /** Receives task messages (deleting them, as the operator would) until the one of this request arrives. */
  private String receiveTask(String requestId) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(localSqs.queueUrl()).waitTimeSeconds(1)
          .maxNumberOfMessages(10)).messages();
      for (Message message : messages) {
        sqs.deleteMessage(b -> b.queueUrl(localSqs.queueUrl()).receiptHandle(message.receiptHandle()));
        if (requestId.equals(JSON.readTree(message.body()).path("requestId").asText())) {
          return message.body();
        }
      }
    }
    throw new AssertionError("no task for " + requestId + " arrived on the queue");
  }

  private void publish(String requestId, String json, boolean alsoPublish) {
    try (Jedis jedis = new Jedis(localRedis.host(), localRedis.port())) {
      jedis.setex("job:" + requestId, 3600, json);
      if (alsoPublish) {
        jedis.publish("result:" + requestId, json);
      }
    }
  }

  private static String resultJson(String requestId, ResultStatus status, String reason, List<String> files)
      throws IOException {
    return JSON.writeValueAsString(new JobResult(requestId, "fn", "worker-1", status,
        status == ResultStatus.SUCCESS ? 0 : 137, "Hello\n", status == ResultStatus.SUCCESS ? "" : "oops\n", 120L,
        15L * 1024 * 1024, 256, "Tip: fine", null, null, null, files, reason, null, 3L));
  }

  private static List<String> zipEntries(byte[] zip) throws IOException {
    List<String> names = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        names.add(e.getName());
      }
    }
    return names;
  }
}
