package io.infraworker.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.infraworker.api.WarmPool;
import io.infraworker.pool.Labels;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** The dev stack end to end: it starts, its services answer standard clients, its pools become real. */
class DevStackIT {
  static final Path AGENT = Path.of("runtimes/agent/bin/agent").toAbsolutePath();
  static final Path SDK = Path.of("runtimes/sdk").toAbsolutePath();

  @TempDir static Path state;
  static DevStack stack;

  static DevStackSettings settings(Path dir, int block) {
    return DevStackSettings.ephemeral(dir, block, AGENT, SDK, Map.of(
        "WARM_POOL_PYTHON_SIZE", "2", "WARM_POOL_NODEJS_SIZE", "2", "WARM_POOL_CPP_SIZE", "2",
        "WARM_POOL_GO_SIZE", "2"));
  }

  @BeforeAll
  static void start() {
    assertThat(AGENT).as("the agent binary, built by make").isExecutable();
    stack = DevStack.start(settings(state.resolve("shared"), 31));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void poolsBecomeReadyAndTheirAgentsAnswerAtTheirPodIps() throws Exception {
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      List<WarmPool> pools = stack.client().resources(WarmPool.class)
          .inNamespace(DevStackSettings.NAMESPACE).list().getItems();
      assertThat(pools).hasSize(4);
      assertThat(pools).allSatisfy(p -> assertThat(p.getStatus().getReadyReplicas()).isEqualTo(2));
    });
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    List<Pod> pods = stack.client().pods().inNamespace(DevStackSettings.NAMESPACE)
        .withLabel(Labels.STATE, Labels.STATE_STANDBY).list().getItems();
    assertThat(pods).hasSize(8);
    assertThat(pods).extracting(p -> p.getStatus().getPodIP()).doesNotHaveDuplicates()
        .allSatisfy(ip -> assertThat(ip).startsWith("127.31."));
    for (Pod pod : pods) {
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(
          URI.create("http://" + pod.getStatus().getPodIP() + ":8080/healthz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).as(pod.getMetadata().getName()).isEqualTo(200);
    }
  }

  @Test
  void sqsS3AndRedisAnswerStandardClients() {
    Map<String, String> env = stack.endpoints();
    DevCredentials credentials = DevCredentials.DEFAULT;
    try (SqsClient sqs = LocalSqs.client(URI.create(env.get("AWS_ENDPOINT_URL_SQS")), env.get("AWS_REGION"),
        credentials)) {
      sqs.sendMessage(b -> b.queueUrl(env.get("SQS_DLQ_URL")).messageBody("{\"hello\":1}"));
      List<Message> got = sqs.receiveMessage(b -> b.queueUrl(env.get("SQS_DLQ_URL")).waitTimeSeconds(5))
          .messages();
      assertThat(got).extracting(Message::body).containsExactly("{\"hello\":1}");
      String redrive = sqs.getQueueAttributes(b -> b.queueUrl(env.get("SQS_QUEUE_URL"))
          .attributeNamesWithStrings("RedrivePolicy")).attributesAsStrings().get("RedrivePolicy");
      assertThat(redrive).contains("maxReceiveCount").contains("5").contains(LocalSqs.DEAD_LETTER_QUEUE);
    }
    try (S3Client s3 = stack.s3().client(credentials, env.get("AWS_REGION"))) {
      s3.putObject(b -> b.bucket(env.get("S3_CODE_BUCKET")).key("a/b.zip"), RequestBody.fromString("zip!"));
      assertThat(s3.getObjectAsBytes(b -> b.bucket(env.get("S3_CODE_BUCKET")).key("a/b.zip")).asUtf8String())
          .isEqualTo("zip!");
      assertThat(s3.listBuckets().buckets()).extracting(b -> b.name())
          .contains(DevStackSettings.CODE_BUCKET, DevStackSettings.USER_DATA_BUCKET);
    }
    try (Jedis jedis = new Jedis(env.get("REDIS_HOST"), Integer.parseInt(env.get("REDIS_PORT")))) {
      assertThat(jedis.ping()).isEqualTo("PONG");
      jedis.set("job:x", "1");
      assertThat(jedis.get("job:x")).isEqualTo("1");
    }
  }

  @Test
  void devEnvAndKubeconfigAreWritten() throws IOException {
    Path dir = state.resolve("shared");
    String env = Files.readString(dir.resolve("dev.env"));
    for (String key : List.of("SQS_QUEUE_URL", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY", "S3_CODE_BUCKET", "S3_USER_DATA_BUCKET", "REDIS_HOST", "REDIS_PORT", "KUBECONFIG")) {
      assertThat(env).contains(key + "=");
    }
    assertThat(dir.resolve("kubeconfig")).exists();
    assertThat(stack.banner()).contains(stack.endpoints().get("SQS_QUEUE_URL"), "kubectl --kubeconfig");
  }

  @Test
  void startsAndStopsCleanlyTwiceInOneJvm() throws Exception {
    for (int round = 0; round < 2; round++) {
      DevStack other = DevStack.start(settings(state.resolve("round" + round), 40 + round));
      List<Long> pids = new ArrayList<>(other.redis().pids());
      List<Integer> ports = new ArrayList<>();
      for (String key : List.of("AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL_S3")) {
        ports.add(URI.create(other.endpoints().get(key)).getPort());
      }
      ports.add(Integer.parseInt(other.endpoints().get("REDIS_PORT")));
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(other.node().agentPids()).hasSizeGreaterThanOrEqualTo(8));
      pids.addAll(other.node().agentPids());

      other.close();

      for (long pid : pids) {
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d", pid).isFalse();
      }
      for (int port : ports) {
        assertThat(bindable(port)).as("port %d is free again", port).isTrue();
      }
      assertThat(other.node().agentPids()).isEmpty();
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
