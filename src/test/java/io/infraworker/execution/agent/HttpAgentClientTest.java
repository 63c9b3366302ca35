package io.infraworker.execution.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infraworker.api.Runtime;
import io.infraworker.execution.code.InvalidCodeException;
import io.infraworker.execution.code.ZipInspector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HttpAgentClient against the real agent binary, one fresh agent (a "pod") per test. */
class HttpAgentClientTest {
  private static final String TOKEN = "test-token-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static HttpAgentClient client;

  @TempDir
  Path dir;
  private AgentProcess agent;
  private AgentEndpoint ep;

  @BeforeAll
  static void createClient() {
    client = new HttpAgentClient(2, Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(5));
  }

  @AfterAll
  static void closeClient() {
    client.close();
  }

  @BeforeEach
  void startAgent() throws Exception {
    agent = AgentProcess.start(dir, TOKEN);
    ep = agent.endpoint();
  }

  @AfterEach
  void stopAgent() throws Exception {
    agent.close();
  }

  private static byte[] pythonZip(String mainPy) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("main.py"));
      zip.write(mainPy.getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static RunRequest python(long timeoutMs, String inputJson) throws IOException {
    return new RunRequest(Runtime.PYTHON, timeoutMs, 0, JSON.readTree(inputJson), Map.of("GREETING", "hello"),
        "job-1", "fn-1", 128, "llama3");
  }

  private static Throwable failureOf(CompletableFuture<?> future) {
    try {
      future.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError("run did not fail", e);
    }
    throw new AssertionError("run did not fail");
  }

  /** run() returns before its POST necessarily reached the agent: until then GET /v1/run answers 404. */
  private Optional<AgentResult> awaitStarted(Duration wait) {
    return await().atMost(Duration.ofSeconds(10)).ignoreException(AgentRunNotStartedException.class)
        .until(() -> client.awaitResult(ep, wait), r -> true);
  }

  @Test
  void runsPythonAndReattachesAndStreamsOutputs() throws Exception {
    client.putCode(ep, pythonZip("""
        import os, infraworker
        data = infraworker.get_input()
        ctx = infraworker.get_context()
        print(os.environ["GREETING"], data["name"], ctx["jobId"], os.environ["MEMORY_MB"])
        with open(os.path.join(os.environ["OUTPUT_DIR"], "report.txt"), "w") as f:
            f.write("result")
        """));

    AgentResult result = client.run(ep, python(10_000, "{\"name\": \"world\"}")).get(20, TimeUnit.SECONDS);

    assertThat(result.status()).isEqualTo(AgentStatus.OK);
    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).isEqualTo("hello world job-1 128\n");
    assertThat(result.stdoutBytes()).isEqualTo(22);
    assertThat(result.durationMs()).isNotNull();
    assertThat(result.outputs()).containsExactly(new OutputFile("report.txt", 6));
    assertThat(result.startedAt()).endsWith("Z");
    assertThat(result.message()).isEmpty();

    assertThat(client.awaitResult(ep, Duration.ZERO)).contains(result);

    Map<String, String> files = new HashMap<>();
    try (ZipInputStream zip = new ZipInputStream(client.outputs(ep))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        files.put(e.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    assertThat(files).containsExactly(Map.entry("report.txt", "result"));
  }

  @Test
  void runReturnsAtOnceAndCompletesWhenTheFunctionEnds() throws Exception {
    client.putCode(ep, pythonZip("import time\ntime.sleep(1)\nprint('done')\n"));

    long start = System.nanoTime();
    CompletableFuture<AgentResult> future = client.run(ep, python(10_000, "null"));
    long callMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(callMs).isLessThan(500);
    assertThat(future).isNotDone();
    assertThat(awaitStarted(Duration.ZERO)).isEmpty();
    AgentResult result = future.get(20, TimeUnit.SECONDS);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(1000);
    assertThat(result.status()).isEqualTo(AgentStatus.OK);
    assertThat(result.stdout()).isEqualTo("done\n");
  }

  @Test
  void reportsFailuresAndTimeoutsAsResults() throws Exception {
    client.putCode(ep, pythonZip("import sys, time\nprint('bad', file=sys.stderr)\ntime.sleep(10)\n"));

    AgentResult result = client.run(ep, python(500, "{}")).get(20, TimeUnit.SECONDS);

    assertThat(result.status()).isEqualTo(AgentStatus.TIMEOUT);
    assertThat(result.exitCode()).isNull();
    assertThat(result.signal()).isEqualTo("SIGKILL");
    assertThat(result.stderr()).isEqualTo("bad\n");
    assertThat(result.message()).contains("timed out after 500 ms");
  }

  @Test
  void wrongTokenIsRejectedWith401() throws Exception {
    AgentEndpoint wrong = agent.endpointWithToken("not-the-token");

    assertThatThrownBy(() -> client.putCode(wrong, pythonZip("print(1)")))
        .isInstanceOf(AgentRejectedException.class)
        .hasMessageContaining("401")
        .satisfies(e -> assertThat(((AgentException) e).statusCode()).isEqualTo(401))
        .satisfies(e -> assertThat(((AgentException) e).agentError()).contains("bearer token"))
        .hasMessageNotContaining("not-the-token");
    assertThat(failureOf(client.run(wrong, python(1000, "{}")))).isInstanceOf(AgentRejectedException.class);
    assertThat(client.healthy(wrong)).isTrue();
  }

  @Test
  void stateErrorsAreRejectionsWithTheAgentsMessage() throws Exception {
    assertThatThrownBy(() -> client.awaitResult(ep, Duration.ZERO))
        .isInstanceOf(AgentRunNotStartedException.class);
    assertThat(failureOf(client.run(ep, python(1000, "{}"))))
        .isInstanceOf(AgentRejectedException.class)
        .satisfies(e -> assertThat(((AgentException) e).statusCode()).isEqualTo(409))
        .hasMessageContaining("no code uploaded yet");

    client.putCode(ep, pythonZip("print(1)"));
    assertThatThrownBy(() -> client.putCode(ep, pythonZip("print(2)")))
        .isInstanceOf(AgentRejectedException.class)
        .hasMessageContaining("409")
        .hasMessageContaining("code already uploaded");
  }

  @Test
  void agentAndInspectorRefuseTheSameSlip() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("../evil.py"));
      zip.write('x');
      zip.closeEntry();
    }
    byte[] slip = bytes.toByteArray();

    assertThatThrownBy(() -> new ZipInspector().inspect(slip)).isInstanceOf(InvalidCodeException.class)
        .hasMessageContaining("\"../evil.py\"");
    assertThatThrownBy(() -> client.putCode(ep, slip))
        .isInstanceOf(AgentRejectedException.class)
        .satisfies(e -> assertThat(((AgentException) e).statusCode()).isEqualTo(400))
        .satisfies(e -> assertThat(((AgentException) e).agentError()).contains("\"../evil.py\""));
  }

  @Test
  void killedAgentIsUnreachable() throws Exception {
    client.putCode(ep, pythonZip("import time\ntime.sleep(30)\n"));
    CompletableFuture<AgentResult> running = client.run(ep, python(60_000, "{}"));
    awaitStarted(Duration.ZERO);

    agent.kill();

    assertThat(failureOf(running)).isInstanceOf(AgentUnreachableException.class)
        .hasMessageContaining("127.0.0.1:" + ep.port());
    assertThatThrownBy(() -> client.awaitResult(ep, Duration.ZERO)).isInstanceOf(AgentUnreachableException.class);
    assertThatThrownBy(() -> client.outputs(ep)).isInstanceOf(AgentUnreachableException.class);
    assertThat(client.healthy(ep)).isFalse();
  }

  @Test
  void hungAgentTimesOutAtTimeoutPlusGrace() throws Exception {
    client.putCode(ep, pythonZip("import time\ntime.sleep(30)\n"));
    try (HttpAgentClient impatient = new HttpAgentClient(1, Duration.ofSeconds(2), Duration.ofSeconds(5),
        Duration.ofMillis(300))) {
      CompletableFuture<AgentResult> running = impatient.run(ep, python(300, "{}"));
      awaitStarted(Duration.ZERO);
      agent.signal("STOP");
      try {
        assertThat(failureOf(running)).isInstanceOf(AgentUnreachableException.class)
            .hasMessageContaining("POST /v1/run").hasMessageContaining("timed out");
      } finally {
        agent.signal("CONT");
      }
    }
  }

  @Test
  void outputsWhileRunningIsAConflict() throws Exception {
    client.putCode(ep, pythonZip("import time\ntime.sleep(2)\n"));
    CompletableFuture<AgentResult> running = client.run(ep, python(10_000, "{}"));
    assertThat(awaitStarted(Duration.ZERO)).isEmpty();

    assertThatThrownBy(() -> client.outputs(ep)).isInstanceOf(AgentRejectedException.class)
        .satisfies(e -> assertThat(((AgentException) e).statusCode()).isEqualTo(409));
    running.cancel(true);
    // Cancelling the caller's future leaves the run going; re-attaching finds its result.
    assertThat(client.awaitResult(ep, Duration.ofSeconds(10))).hasValueSatisfying(
        r -> assertThat(r.status()).isEqualTo(AgentStatus.OK));
  }
}
