package io.infraworker.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.infraworker.api.ExecutionJob;
import io.infraworker.api.JobResult;
import io.infraworker.api.ResultStatus;
import io.infraworker.api.WarmPool;
import io.infraworker.dev.DevStack;
import io.infraworker.dev.DevStackSettings;
import io.infraworker.pool.Labels;
import io.infraworker.testing.Tasks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * 200 jobs across the four runtimes through pools of 2 pods each: every job finishes, each result is
 * published exactly once and carries its own input, and no claimed pod, process or cgroup is left.
 */
class ScaleIT {
  static final int JOBS = 200;

  @TempDir Path work;

  @Test
  void twoHundredJobsAcrossRuntimesAllFinishOnceWithPoolsOfTwo() throws Exception {
    Map<String, byte[]> code = code();
    Path state = Files.createDirectories(work.resolve("state"));
    try (DevStack stack = DevStack.start(DevStackSettings.ephemeral(state, 35, PipelineIT.AGENT, PipelineIT.SDK,
            Map.of("WARM_POOL_PYTHON_SIZE", "2", "WARM_POOL_NODEJS_SIZE", "2", "WARM_POOL_CPP_SIZE", "2",
                "WARM_POOL_GO_SIZE", "2", "COLD_START_AFTER_MS", "300000", "MAX_IN_FLIGHT", "40")));
        Tasks tasks = new Tasks(stack)) {
      await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(stack.client().resources(WarmPool.class).inNamespace(DevStackSettings.NAMESPACE).list()
              .getItems()).hasSize(4).allSatisfy(p -> assertThat(p.getStatus().getReadyReplicas()).isEqualTo(2)));

      Map<String, AtomicInteger> published = new ConcurrentHashMap<>();
      try (PatternCounter counter = new PatternCounter(tasks.env(), published)) {
        String[] runtimes = {"python", "nodejs", "cpp", "go"};
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = 0; i < JOBS; i++) {
          String runtime = runtimes[i % runtimes.length];
          String id = Tasks.newRequestId("scale-" + i);
          String key = tasks.upload(id, code.get(runtime));
          var payload = Tasks.payload(id, runtime, key);
          payload.put("input", id);
          tasks.send(payload.toString());
          expected.put(id, runtime);
        }

        List<String> mismatches = new ArrayList<>();
        for (var e : expected.entrySet()) {
          JobResult result = tasks.await(e.getKey(), Duration.ofSeconds(600));
          if (result.status() != ResultStatus.SUCCESS || !result.stdout().equals("\"" + e.getKey() + "\"")) {
            mismatches.add(e.getKey() + " (" + e.getValue() + "): " + result.status() + " " + result.reason()
                + " stdout=" + result.stdout() + " stderr=" + result.stderr());
          }
        }
        assertThat(mismatches).isEmpty();
        Thread.sleep(1000);
        assertThat(published).hasSize(JOBS);
        assertThat(published.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
      }

      List<ExecutionJob> jobs = stack.client().resources(ExecutionJob.class).inNamespace(DevStackSettings.NAMESPACE)
          .list().getItems();
      assertThat(jobs).hasSize(JOBS).allSatisfy(j -> assertThat(j.getStatus().getResultPublished()).isTrue());
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        assertThat(stack.client().pods().inNamespace(DevStackSettings.NAMESPACE)
            .withLabel(Labels.STATE, Labels.STATE_CLAIMED).list().getItems()).isEmpty();
        assertThat(stack.node().agentPids()).hasSize(8);
      });
    }
  }

  /** Each runtime's function prints its input JSON; cpp and go ship a built binary, so nothing compiles. */
  private Map<String, byte[]> code() throws Exception {
    Map<String, byte[]> code = new LinkedHashMap<>();
    code.put("python", Tasks.zip(Map.of("main.py", "import os, sys\nsys.stdout.write(os.environ['PAYLOAD'])\n")));
    code.put("nodejs", Tasks.zip(Map.of("index.js", "process.stdout.write(process.env.PAYLOAD);\n")));
    Path cpp = Files.createDirectories(work.resolve("cpp"));
    Files.writeString(cpp.resolve("main.cpp"),
        "#include <cstdio>\n#include <cstdlib>\nint main(){ std::fputs(std::getenv(\"PAYLOAD\"), stdout); }\n");
    run(cpp, Map.of(), "g++", "-O2", "-o", "main", "main.cpp");
    code.put("cpp", Tasks.zipWithExecutables(Map.of("main", Files.readAllBytes(cpp.resolve("main"))), Set.of("main")));
    Path go = Files.createDirectories(work.resolve("go"));
    Files.writeString(go.resolve("main.go"),
        "package main\n\nimport \"os\"\n\nfunc main() { os.Stdout.WriteString(os.Getenv(\"PAYLOAD\")) }\n");
    Files.writeString(go.resolve("go.mod"), "module main\n\ngo 1.19\n");
    run(go, Map.of("GOCACHE", work.resolve("gocache").toString(), "GOPATH", work.resolve("gopath").toString(),
        "CGO_ENABLED", "0"), "go", "build", "-o", "main", ".");
    code.put("go", Tasks.zipWithExecutables(Map.of("main", Files.readAllBytes(go.resolve("main"))), Set.of("main")));
    return code;
  }

  private static void run(Path dir, Map<String, String> env, String... command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
  }

  /** Counts every message published on result:* by channel. */
  static final class PatternCounter implements AutoCloseable {
    private final Jedis jedis;
    private final JedisPubSub pubSub;
    private final Thread thread;

    PatternCounter(Map<String, String> env, Map<String, AtomicInteger> counts) throws InterruptedException {
      jedis = new Jedis(env.get("REDIS_HOST"), Integer.parseInt(env.get("REDIS_PORT")));
      CountDownLatch subscribed = new CountDownLatch(1);
      pubSub = new JedisPubSub() {
        @Override
        public void onPMessage(String pattern, String channel, String message) {
          counts.computeIfAbsent(channel, c -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void onPSubscribe(String pattern, int count) {
          subscribed.countDown();
        }
      };
      thread = new Thread(() -> {
        try {
          jedis.psubscribe(pubSub, "result:*");
        } catch (RuntimeException ignored) {
          // closed with the test
        }
      });
      thread.start();
      assertThat(subscribed.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Override
    public void close() throws InterruptedException {
      pubSub.punsubscribe();
      thread.join(5000);
      jedis.close();
    }
  }
}
