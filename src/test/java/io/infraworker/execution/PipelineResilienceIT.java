package io.infraworker.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.infraworker.api.ExecutionJob;
import io.infraworker.api.JobNames;
import io.infraworker.api.JobPhase;
import io.infraworker.api.JobResult;
import io.infraworker.api.ResultStatus;
import io.infraworker.api.WarmPool;
import io.infraworker.dev.DevStack;
import io.infraworker.dev.DevStackSettings;
import io.infraworker.testing.Tasks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/** Failure semantics of DESIGN §12 on the dev stack: restarts, Redis outages, lost pods. */
class PipelineResilienceIT {
  @TempDir static Path state;
  static DevStack stack;
  static Tasks tasks;

  static final byte[] SLOW = Tasks.zip(Map.of("main.py",
      "import time\nprint('begin', flush=True)\ntime.sleep(4)\nprint('done')\n"));

  @BeforeAll
  static void start() {
    stack = DevStack.start(DevStackSettings.ephemeral(state, 34, PipelineIT.AGENT, PipelineIT.SDK, Map.of(
        "WARM_POOL_PYTHON_SIZE", "2", "WARM_POOL_NODEJS_SIZE", "0", "WARM_POOL_CPP_SIZE", "0",
        "WARM_POOL_GO_SIZE", "0", "COLD_START_AFTER_MS", "60000")));
    tasks = new Tasks(stack);
    await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(stack.client().resources(WarmPool.class).inNamespace(DevStackSettings.NAMESPACE)
            .withName("python-256").get().getStatus()).isNotNull()
            .satisfies(s -> assertThat(s.getReadyReplicas()).isEqualTo(2)));
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

  static ExecutionJob job(String requestId) {
    return stack.client().resources(ExecutionJob.class).inNamespace(DevStackSettings.NAMESPACE)
        .withName(JobNames.forRequestId(requestId)).get();
  }

  static void awaitRunning(String requestId) {
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      ExecutionJob ej = job(requestId);
      assertThat(ej).isNotNull();
      assertThat(ej.getStatus().getPhase()).isEqualTo(JobPhase.RUNNING);
      assertThat(ej.getStatus().getStartedAt()).isNotNull();
    });
  }

  /** Counts the messages of result:{id} from the moment it returns. */
  static final class Subscriber implements AutoCloseable {
    final List<String> messages = new CopyOnWriteArrayList<>();
    private final Jedis jedis;
    private final JedisPubSub pubSub;
    private final Thread thread;

    Subscriber(String requestId) throws InterruptedException {
      jedis = new Jedis(tasks.env().get("REDIS_HOST"), Integer.parseInt(tasks.env().get("REDIS_PORT")));
      CountDownLatch subscribed = new CountDownLatch(1);
      pubSub = new JedisPubSub() {
        @Override
        public void onMessage(String channel, String message) {
          messages.add(message);
        }

        @Override
        public void onSubscribe(String channel, int count) {
          subscribed.countDown();
        }
      };
      thread = new Thread(() -> {
        try {
          jedis.subscribe(pubSub, "result:" + requestId);
        } catch (RuntimeException ignored) {
          // the connection closes with the test
        }
      });
      thread.start();
      assertThat(subscribed.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Override
    public void close() throws InterruptedException {
      pubSub.unsubscribe();
      thread.join(5000);
      jedis.close();
    }
  }

  @Test
  void anOperatorStoppedMidRunAndStartedAgainFinishesTheJobWithOneResult() throws Exception {
    String id = Tasks.newRequestId("restart");
    try (Subscriber results = new Subscriber(id)) {
      tasks.send(Tasks.payload(id, "python", tasks.upload(id, SLOW)).toString());
      awaitRunning(id);

      stack.restartOperator();

      JobResult result = tasks.await(id, Duration.ofSeconds(60));
      assertThat(result.status()).isEqualTo(ResultStatus.SUCCESS);
      assertThat(result.stdout()).isEqualTo("begin\ndone\n");
      Thread.sleep(2000);
      assertThat(results.messages).hasSize(1);
      assertThat(job(id).getStatus().getAttempts()).isEqualTo(1);
    }
  }

  @Test
  void aResultIsPublishedOnceRedisIsBack() throws Exception {
    String id = Tasks.newRequestId("redis");
    tasks.send(Tasks.payload(id, "python", tasks.upload(id, SLOW)).toString());
    awaitRunning(id);
    stack.stopRedis();
    try {
      await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        ExecutionJob ej = job(id);
        assertThat(ej.getStatus().getPhase()).isEqualTo(JobPhase.SUCCEEDED);
        assertThat(ej.getStatus().getResultPublished()).isFalse();
      });
    } finally {
      stack.startRedis();
    }
    try (Subscriber results = new Subscriber(id)) {
      JobResult result = tasks.await(id, Duration.ofSeconds(60));
      assertThat(result.status()).isEqualTo(ResultStatus.SUCCESS);
      assertThat(result.stdout()).isEqualTo("begin\ndone\n");
      await().ignoreExceptions().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(job(id).getStatus().getResultPublished()).isTrue());
      Thread.sleep(1000);
      assertThat(results.messages).hasSizeLessThanOrEqualTo(1);
    }
  }

  @Test
  void aPodLostMidRunIsReplacedAndTheJobRunsAgain() {
    String id = Tasks.newRequestId("lost");
    tasks.send(Tasks.payload(id, "python", tasks.upload(id, SLOW)).toString());
    awaitRunning(id);
    String pod = job(id).getStatus().getPodName();

    stack.client().pods().inNamespace(DevStackSettings.NAMESPACE).withName(pod).delete();

    JobResult result = tasks.await(id, Duration.ofSeconds(90));
    assertThat(result.status()).isEqualTo(ResultStatus.SUCCESS);
    ExecutionJob ej = job(id);
    assertThat(ej.getStatus().getAttempts()).isEqualTo(2);
    assertThat(ej.getStatus().getPodName()).isNotEqualTo(pod);
  }
}
