package io.infraworker.operator;

import static io.infraworker.testing.KubeHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infraworker.api.WarmPool;
import io.infraworker.testing.KubeHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InfraWorkerOperatorTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private KubeHarness kube;

  @AfterEach
  void stop() {
    kube.close();
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthEndpointsAnswerLikeTheOriginalWorkerAndReadinessFollowsTheControllers() throws Exception {
    kube = KubeHarness.start();
    InfraWorkerOperator operator = kube.startOperator(Map.of(
        "CREATE_DEFAULT_POOLS", "true", "WARM_POOL_PYTHON_SIZE", "1", "WORKER_ID", "worker-7"));

    assertThat(get(operator.healthPort(), "/healthz").statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(get(operator.healthPort(), "/readyz").statusCode()).isEqualTo(200));

    HttpResponse<String> health = get(operator.healthPort(), "/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode body = new ObjectMapper().readTree(health.body());
    assertThat(body.get("status").asText()).isEqualTo("healthy");
    assertThat(body.get("workerId").asText()).isEqualTo("worker-7");
    assertThat(body.get("uptime").isNumber()).isTrue();
    assertThat(body.get("activeJobs").asInt()).isZero();
    assertThat(body.get("pools").has(NAMESPACE + "/python-256")).isTrue();
    assertThat(body.get("pools").get(NAMESPACE + "/python-256").get("desired").asInt()).isEqualTo(1);

    operator.close();
    assertThat(operator.isReady()).isFalse();
  }

  @Test
  void defaultPoolsAreCreatedAtStartAndFilled() {
    kube = KubeHarness.start();
    kube.startOperator(Map.of("CREATE_DEFAULT_POOLS", "true", "WARM_POOL_PYTHON_SIZE", "2",
        "WARM_POOL_NODEJS_SIZE", "1", "WARM_POOL_CPP_SIZE", "0", "WARM_POOL_GO_SIZE", "1",
        "WARM_POOL_MEMORY_MB", "128"));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(kube.client().resources(WarmPool.class).inNamespace(NAMESPACE).list().getItems())
          .extracting(p -> p.getMetadata().getName())
          .containsExactlyInAnyOrder("python-128", "nodejs-128", "cpp-128", "go-128");
      assertThat(kube.pods()).hasSize(4);
    });
  }

  @Test
  void metricsEndpointServesThePrometheusRegistry() throws Exception {
    kube = KubeHarness.start();
    InfraWorkerOperator operator = kube.startOperator();
    HttpResponse<String> metrics = get(operator.metricsPort(), "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("jvm_memory_used_bytes");
  }

  @Test
  void withLeaderElectionTheOperatorTakesTheLeaseAndBecomesReady() {
    kube = KubeHarness.start();
    InfraWorkerOperator operator = kube.startOperator(Map.of(
        "LEADER_ELECTION_ENABLED", "true", "WORKER_ID", "worker-a"));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(operator.isReady()).isTrue();
      var lease = kube.client().leases().inNamespace(NAMESPACE).withName("infra-worker-leader").get();
      assertThat(lease).isNotNull();
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("worker-a");
    });
  }
}
