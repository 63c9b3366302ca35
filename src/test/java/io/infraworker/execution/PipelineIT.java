package io.infraworker.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.infraworker.api.ExecutionJob;
import io.infraworker.api.JobNames;
import io.infraworker.api.JobResult;
import io.infraworker.api.ResultStatus;
import io.infraworker.api.WarmPool;
import io.infraworker.dev.DevStack;
import io.infraworker.dev.DevStackSettings;
import io.infraworker.pool.Labels;
import io.infraworker.execution.code.RawZip;
import io.infraworker.testing.Tasks;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The product end to end on the dev stack: SQS task → ExecutionJob → warm pod → result in Redis. */
class PipelineIT {
  static final Path AGENT = Path.of("runtimes/agent/bin/agent").toAbsolutePath();
  static final Path SDK = Path.of("runtimes/sdk").toAbsolutePath();
  static final Duration RESULT_WAIT = Duration.ofSeconds(90);

  @TempDir static Path state;
  static DevStack stack;
  static Tasks tasks;

  @BeforeAll
  static void start() {
    stack = DevStack.start(DevStackSettings.ephemeral(state, 33, AGENT, SDK, Map.of(
        "WARM_POOL_PYTHON_SIZE", "2", "WARM_POOL_NODEJS_SIZE", "1", "WARM_POOL_CPP_SIZE", "1",
        "WARM_POOL_GO_SIZE", "1", "COLD_START_AFTER_MS", "20000", "JOB_TTL_SECONDS_AFTER_FINISHED", "30")));
    tasks = new Tasks(stack);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(stack.client().resources(WarmPool.class).inNamespace(DevStackSettings.NAMESPACE).list()
            .getItems()).hasSize(4).allSatisfy(p -> assertThat(p.getStatus()).isNotNull()
            .extracting(s -> s.getReadyReplicas()).isNotNull().matches(n -> n > 0)));
  }

  @AfterAll
  static void stop() {
    if (tasks != null) {
      tasks.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  private static JobResult run(String runtime, byte[] zip, Map<String, Object> extra) {
    String id = tasks.submit(runtime, zip, extra);
    return tasks.await(id, RESULT_WAIT);
  }

  @Test
  void pythonSucceedsWithItsStdoutAndPeakMemory() {
    JobResult result = run("python", Tasks.example("hello-python"), Map.of());
    assertThat(result.status()).isEqualTo(ResultStatus.SUCCESS);
    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).isEqualTo("Hello from Python\n");
    assertThat(result.peakMemoryBytes()).isPositive();
    assertThat(result.allocatedMemoryMb()).isEqualTo(256);
    assertThat(result.durationMs()).isNotNull();
    assertThat(result.workerId()).startsWith("dev-");
    assertThat(result.optimizationTip()).isNotBlank();
  }

  @Test
  void aJobNoPoolFitsGetsADedicatedPodAtOnceCountedAsAColdStart() throws Exception {
    JobResult result = run("python", Tasks.example("hello-python"), Map.of("memoryMb", 1024));
    assertThat(result.status()).isEqualTo(ResultStatus.SUCCESS);
    assertThat(result.allocatedMemoryMb()).isEqualTo(1024);
    assertThat(metrics()).contains("infraworker_cold_starts_total{runtime=\"python\"}");
  }

  @Test
  void aFinishedJobHasItsEventsAndTheOriginalMetrics() throws Exception {
    String id = tasks.submit("python", Tasks.example("hello-python"), Map.of());
    tasks.await(id, RESULT_WAIT);
    String name = JobNames.forRequestId(id);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(stack.client().v1().events().inNamespace(DevStackSettings.NAMESPACE).list().getItems())
            .filteredOn(e -> name.equals(e.getInvolvedObject().getName()))
            .extracting(e -> e.getReason()).contains("Claimed", "Succeeded"));
    assertThat(metrics())
        .contains("worker_jobs_processed_total{model=\"none\",runtime=\"python\",status=\"success\"}")
        .contains("worker_job_duration_seconds_bucket{model=\"none\",runtime=\"python\",le=\"900.0\"}")
        .contains("worker_active_jobs");
  }

  static String metrics() throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.endpoints().get("METRICS_URL")))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void nodejsSucceeds() {
    JobResult result = run("nodejs", Tasks.example("hello-nodejs"), Map.of());
    assertThat(result.status()).isEqualTo(ResultStatus.SUCCESS);
    assertThat(result.stdout()).isEqualTo("Hello from Node.js\n");
    assertThat(result.peakMemoryBytes()).isPositive();
  }

  @Test
  void cppCompilesAndSucceeds() {
    JobResult result = run("cpp", Tasks.example("hello-cpp"), Map.of("timeoutMs", 60000));
    assertThat(result.status()).as(result.stderr()).isEqualTo(ResultStatus.SUCCESS);
    assertThat(result.stdout()).isEqualTo("Hello from C++\n");
    assertThat(result.buildMs()).isNotNull();
  }

  @Test
  void goCompilesAndSucceeds() {
    JobResult result = run("go", Tasks.example("hello-go"), Map.of("timeoutMs", 120000, "memoryMb", 256));
    assertThat(result.status()).as(result.stderr()).isEqualTo(ResultStatus.SUCCESS);
    assertThat(result.stdout()).isEqualTo("Hello from Go\n");
    assertThat(result.buildMs()).isNotNull();
  }

  @Test
  void inputReachesTheFunction() {
    JobResult result = run("python", Tasks.example("read-input"), Map.of("input", Map.of("name", "ada")));
    assertThat(result.status()).isEqualTo(ResultStatus.SUCCESS);
    assertThat(result.stdout()).contains("Hello, ada!");
  }

  @Test
  void outputFilesRoundTripThroughS3() throws Exception {
    JobResult result = run("python", Tasks.example("write-output"), Map.of());
    assertThat(result.status()).isEqualTo(ResultStatus.SUCCESS);
    assertThat(result.outputFiles()).hasSize(2);
    String report = result.outputFiles().stream().filter(u -> u.contains("report.txt")).findFirst().orElseThrow();
    HttpResponse<String> download = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(report)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo("report of the run\n");
  }

  @Test
  void aFunctionPastItsTimeoutEndsTimeoutAndItsPodIsGone() {
    String id = tasks.submit("python", Tasks.example("timeout"), Map.of("timeoutMs", 1500));
    JobResult result = tasks.await(id, RESULT_WAIT);
    assertThat(result.status()).isEqualTo(ResultStatus.TIMEOUT);
    assertThat(result.stdout()).contains("starting a long job");
    String job = JobNames.forRequestId(id);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        stack.client().pods().inNamespace(DevStackSettings.NAMESPACE).withLabel(Labels.JOB, job).list().getItems())
        .isEmpty());
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      ExecutionJob ej = job(job);
      assertThat(ej.getStatus().getPhase().isTerminal()).isTrue();
      assertThat(ej.getStatus().getResultPublished()).isTrue();
      assertThat(ej.getStatus().getReason()).isEqualTo("Timeout");
    });
  }

  @Test
  void aMemoryHogFailsWithOomKilled() {
    JobResult result = run("python", Tasks.example("memory-hog"), Map.of("memoryMb", 128, "timeoutMs", 30000));
    assertThat(result.status()).isEqualTo(ResultStatus.FAILED);
    assertThat(result.reason()).isEqualTo("OOMKilled");
  }

  @Test
  void tenMibOfOutputIsCappedAndTheTruncationReported() {
    JobResult result = run("python", Tasks.example("big-output"), Map.of());
    assertThat(result.status()).isEqualTo(ResultStatus.SUCCESS);
    assertThat(result.truncated()).isTrue();
    assertThat(result.stdout().length()).isLessThanOrEqualTo(1024 * 1024);
  }

  @Test
  void invalidPayloadsFailNamingTheField() {
    String id = Tasks.newRequestId("bad");
    tasks.send("{\"requestId\":\"" + id + "\",\"runtime\":\"cobol\",\"s3Key\":\"x.zip\"}");
    JobResult result = tasks.await(id, RESULT_WAIT);
    assertThat(result.status()).isEqualTo(ResultStatus.FAILED);
    assertThat(result.stderr()).contains("runtime").contains("cobol").contains("python");
    String mem = Tasks.newRequestId("bad");
    tasks.send("{\"requestId\":\"" + mem + "\",\"runtime\":\"python\",\"s3Key\":\"x.zip\",\"memoryMb\":5}");
    assertThat(tasks.await(mem, RESULT_WAIT).stderr()).contains("memoryMb").contains("64");
  }

  @Test
  void aZipSlipFailsWithInvalidCodeBeforeAnyPodIsClaimed() {
    String id = tasks.submit("python", Tasks.zip(Map.of("../evil.py", "print(1)", "main.py", "print(2)")),
        Map.of());
    JobResult result = tasks.await(id, RESULT_WAIT);
    assertThat(result.status()).isEqualTo(ResultStatus.FAILED);
    assertThat(result.reason()).isEqualTo("InvalidCode");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      ExecutionJob ej = job(JobNames.forRequestId(id));
      assertThat(ej.getStatus().getReason()).isEqualTo("InvalidCode");
      assertThat(ej.getStatus().getPodName()).isNull();
      assertThat(ej.getStatus().getAttempts()).isZero();
    });
  }

  @Test
  void aSymlinkOrABombFailsWithInvalidCodeAndNoPodIsTaken() {
    byte[] symlink = new RawZip().file("main.py", "print(1)".getBytes()).symlink("passwd", "/etc/passwd").build();
    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bomb)) {
      zip.putNextEntry(new ZipEntry("main.py"));
      zip.write(new byte[200 * 1024 * 1024]); // 200 MiB of zeros: a ratio of about 1000
      zip.closeEntry();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    for (byte[] zip : List.of(symlink, bomb.toByteArray())) {
      String id = tasks.submit("python", zip, Map.of());
      JobResult result = tasks.await(id, RESULT_WAIT);
      assertThat(result.status()).isEqualTo(ResultStatus.FAILED);
      assertThat(result.reason()).isEqualTo("InvalidCode");
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(job(JobNames.forRequestId(id)).getStatus().getAttempts()).isZero());
    }
  }

  @Test
  void everyPayloadRuleRejectsWithTheFieldNamed() {
    Map<String, String> bodies = new LinkedHashMap<>();
    bodies.put("runtime", "\"runtime\":\"cobol\",\"s3Key\":\"k.zip\"");
    bodies.put("s3Key", "\"runtime\":\"python\"");
    bodies.put("s3Bucket", "\"runtime\":\"python\",\"s3Key\":\"k.zip\",\"s3Bucket\":\"someone-elses\"");
    bodies.put("memoryMb", "\"runtime\":\"python\",\"s3Key\":\"k.zip\",\"memoryMb\":20000");
    bodies.put("timeoutMs", "\"runtime\":\"python\",\"s3Key\":\"k.zip\",\"timeoutMs\":50");
    bodies.put("envVars", "\"runtime\":\"python\",\"s3Key\":\"k.zip\",\"envVars\":{\"1BAD\":\"x\"}");
    Map<String, String> ids = new LinkedHashMap<>();
    bodies.forEach((field, rest) -> {
      String id = Tasks.newRequestId("rule");
      ids.put(field, id);
      tasks.send("{\"requestId\":\"" + id + "\"," + rest + "}");
    });
    ids.forEach((field, id) -> {
      JobResult result = tasks.await(id, RESULT_WAIT);
      assertThat(result.status()).as(field).isEqualTo(ResultStatus.FAILED);
      assertThat(result.reason()).as(field).isEqualTo("InvalidPayload");
      assertThat(result.stderr()).as(field).contains(field);
    });
    String badId = "has spaces " + Tasks.newRequestId("rule");
    tasks.send("{\"requestId\":\"" + badId + "\",\"runtime\":\"python\",\"s3Key\":\"k.zip\"}");
    assertThat(stack.client().resources(ExecutionJob.class).inNamespace(DevStackSettings.NAMESPACE).list().getItems())
        .noneMatch(j -> badId.equals(j.getSpec().getRequestId()));
  }

  @Test
  void finishedJobsAreDeletedAfterTheirTtl() {
    String id = tasks.submit("python", Tasks.zip(Map.of("main.py", "print('ttl')")), Map.of());
    assertThat(tasks.await(id, Duration.ofSeconds(60)).status()).isEqualTo(ResultStatus.SUCCESS);
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(job(JobNames.forRequestId(id))).isNull());
    assertThat(tasks.stored(id)).isPresent(); // the result outlives the job
  }

  @Test
  void missingCodeFailsWithCodeNotFound() {
    String id = Tasks.newRequestId("missing");
    tasks.send(Tasks.payload(id, "python", "functions/nowhere.zip").toString());
    JobResult result = tasks.await(id, RESULT_WAIT);
    assertThat(result.reason()).isEqualTo("CodeNotFound");
    assertThat(result.stderr()).contains("nowhere.zip");
  }

  @Test
  void theSameMessageSentTwiceRunsOnce() {
    String id = Tasks.newRequestId("twice");
    String body = Tasks.payload(id, "python", tasks.upload(id, Tasks.example("hello-python"))).toString();
    tasks.send(body);
    tasks.send(body);
    JobResult result = tasks.await(id, RESULT_WAIT);
    assertThat(result.status()).isEqualTo(ResultStatus.SUCCESS);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      List<ExecutionJob> jobs = stack.client().resources(ExecutionJob.class).inNamespace(DevStackSettings.NAMESPACE)
          .list().getItems().stream().filter(j -> id.equals(j.getSpec().getRequestId())).toList();
      assertThat(jobs).hasSize(1);
      assertThat(jobs.get(0).getStatus().getResultPublished()).isTrue();
      assertThat(jobs.get(0).getStatus().getAttempts()).isEqualTo(1);
    });
  }

  static ExecutionJob job(String name) {
    return stack.client().resources(ExecutionJob.class).inNamespace(DevStackSettings.NAMESPACE).withName(name).get();
  }

  static List<Pod> podsOfJob(String job) {
    return stack.client().pods().inNamespace(DevStackSettings.NAMESPACE).withLabel(Labels.JOB, job).list().getItems();
  }
}
