package io.infraworker.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infraworker.api.JobResult;
import io.infraworker.api.ResultStatus;
import io.infraworker.dev.DevTools;
import io.infraworker.dev.LocalRedis;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

class ResultPublisherTest {
  private static final String HOST = "127.0.0.1";
  private static final long TTL = 600;
  private static final String MARKER = "marker";

  @TempDir
  Path dir;
  private int port;
  private LocalRedis redis;
  private ResultPublisher publisher;

  @BeforeEach
  void start() {
    port = DevTools.freePort(HOST, 0);
    redis = LocalRedis.start(HOST, port, dir);
    publisher = new ResultPublisher(HOST, port, null, TTL);
  }

  @AfterEach
  void stop() {
    publisher.close();
    if (redis != null) {
      redis.close();
    }
  }

  static JobResult result(String requestId) {
    return new JobResult(requestId, "fn-1", "worker-a", ResultStatus.SUCCESS, 0, "Hello World", "", 1250L,
        null, 256, "💡 Resource Waste: Usage (15MB) is low.", null, null, 12L,
        List.of("http://s3/outputs/" + requestId + "/a.txt"), null, null, 40L);
  }

  @Test
  void publishesOnceEvenWhenCalledTwice() throws Exception {
    String id = "req-once";
    List<String> messages = new CopyOnWriteArrayList<>();
    CountDownLatch subscribed = new CountDownLatch(1);
    CountDownLatch markerSeen = new CountDownLatch(1);
    JedisPubSub subscriber = new JedisPubSub() {
      @Override
      public void onSubscribe(String channel, int count) {
        subscribed.countDown();
      }

      @Override
      public void onMessage(String channel, String message) {
        if (message.equals(MARKER)) {
          markerSeen.countDown();
        } else {
          messages.add(message);
        }
      }
    };
    Thread listener = new Thread(() -> {
      try (Jedis jedis = new Jedis(HOST, port)) {
        jedis.subscribe(subscriber, "result:" + id);
      }
    });
    listener.start();
    assertThat(subscribed.await(5, TimeUnit.SECONDS)).isTrue();

    assertThat(publisher.publish(result(id))).isEqualTo(PublishOutcome.PUBLISHED);
    assertThat(publisher.publish(result(id))).isEqualTo(PublishOutcome.ALREADY_PUBLISHED);
    // Redis delivers a channel's messages in order: once the marker is in, any second publish would be too.
    try (Jedis jedis = new Jedis(HOST, port)) {
      jedis.publish("result:" + id, MARKER);
    }
    assertThat(markerSeen.await(5, TimeUnit.SECONDS)).isTrue();
    subscriber.unsubscribe();
    listener.join(5000);

    assertThat(messages).hasSize(1);
    assertThat(new ObjectMapper().readTree(messages.get(0)).get("requestId").asText()).isEqualTo(id);
  }

  @Test
  void storesTheFullJsonWithNullsAndATtl() throws Exception {
    String id = "req-json";
    publisher.publish(result(id));

    try (Jedis jedis = new Jedis(HOST, port)) {
      String json = jedis.get("job:" + id);
      JsonNode node = new ObjectMapper().readTree(json);
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      assertThat(names).containsExactly("requestId", "functionId", "workerId", "status", "exitCode", "stdout",
          "stderr", "durationMs", "peakMemoryBytes", "allocatedMemoryMb", "optimizationTip", "estimatedSavings",
          "recommendedMemoryMb", "cpuUsage", "outputFiles", "reason", "buildMs", "queuedMs", "truncated");
      assertThat(node.get("peakMemoryBytes").isNull()).isTrue();
      assertThat(node.get("estimatedSavings").isNull()).isTrue();
      assertThat(node.get("status").asText()).isEqualTo("SUCCESS");
      assertThat(node.get("optimizationTip").asText()).startsWith("💡");
      assertThat(json).contains("\"peakMemoryBytes\":null");
      long ttl = jedis.ttl("job:" + id);
      assertThat(ttl).isPositive().isLessThanOrEqualTo(TTL);
    }
    assertThat(publisher.stored(id)).contains(result(id));
    assertThat(publisher.stored("req-missing")).isEmpty();
  }

  @Test
  void aRetryDoesNotOverwriteTheStoredResult() {
    String id = "req-keep";
    publisher.publish(result(id));
    JobResult other = JobResult.failedBeforeRun(id, "fn-1", "worker-b", "AgentLost", "lost");

    assertThat(publisher.publish(other)).isEqualTo(PublishOutcome.ALREADY_PUBLISHED);
    assertThat(publisher.stored(id)).contains(result(id));
  }

  @Test
  void worksAgainAfterTheScriptCacheIsFlushed() {
    publisher.publish(result("req-a"));
    try (Jedis jedis = new Jedis(HOST, port)) {
      jedis.scriptFlush();
    }
    assertThat(publisher.publish(result("req-b"))).isEqualTo(PublishOutcome.PUBLISHED);
  }

  @Test
  void redisDownIsUnavailableAndThePoolRecoversAfterARestart() {
    publisher.publish(result("req-before"));
    redis.close();
    redis = null;

    assertThatThrownBy(() -> publisher.publish(result("req-down")))
        .isInstanceOf(ResultStoreUnavailableException.class)
        .hasMessageContaining("req-down");
    assertThatThrownBy(() -> publisher.stored("req-down")).isInstanceOf(ResultStoreUnavailableException.class);

    redis = LocalRedis.start(HOST, port, dir.resolve("again"));
    assertThat(publisher.publish(result("req-down"))).isEqualTo(PublishOutcome.PUBLISHED);
    assertThat(publisher.stored("req-down")).isPresent();
  }

  @Test
  void refusesAResultWithoutRequestId() {
    assertThatThrownBy(() -> publisher.publish(result(" "))).isInstanceOf(IllegalArgumentException.class);
  }
}
