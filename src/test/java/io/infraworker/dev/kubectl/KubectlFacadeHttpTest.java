package io.infraworker.dev.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.infraworker.api.Runtime;
import io.infraworker.api.WarmPool;
import io.infraworker.api.WarmPoolSpec;
import io.infraworker.api.WarmPoolStatus;
import io.infraworker.dev.MockKubernetesApi;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The façade's answers at the HTTP level, without kubectl: what kubectl relies on, checked directly. */
class KubectlFacadeHttpTest {
  private static final String NS = "jobs";
  private static final String POOLS = "/apis/infraworker.io/v1alpha1/namespaces/jobs/warmpools";
  private static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static MockKubernetesApi api;
  private static KubectlFacade facade;
  private static KubernetesClient client;

  @BeforeAll
  static void startStack() {
    api = MockKubernetesApi.start(InetAddress.getLoopbackAddress(), 0);
    api.installCrds(Path.of("crds"));
    client = api.createClient();
    facade = KubectlFacade.start(api.url(), InetAddress.getLoopbackAddress(), 0);
    WarmPool pool = client.resource(pool("python-256")).create();
    WarmPoolStatus status = new WarmPoolStatus();
    status.setReplicas(2);
    status.setSelector("infraworker.io/pool=python-256");
    pool.setStatus(status);
    client.resource(pool).updateStatus();
  }

  @AfterAll
  static void stopStack() {
    facade.close();
    client.close();
    api.close();
  }

  @Test
  void legacyDiscoveryAnnouncesTheCustomResourcesAndTheirSubresources() throws Exception {
    JsonNode groups = json(get("/apis", "application/json"));
    assertThat(groups.path("kind").asText()).isEqualTo("APIGroupList");
    assertThat(groups.findValuesAsText("name")).contains("infraworker.io", "coordination.k8s.io");

    JsonNode list = json(get("/apis/infraworker.io/v1alpha1", "application/json"));
    JsonNode pools = find(list.path("resources"), "name", "warmpools");
    assertThat(pools.path("kind").asText()).isEqualTo("WarmPool");
    assertThat(pools.path("shortNames").get(0).asText()).isEqualTo("wp");
    assertThat(pools.path("categories").get(0).asText()).isEqualTo("infraworker");
    JsonNode scale = find(list.path("resources"), "name", "warmpools/scale");
    assertThat(scale.path("group").asText() + "/" + scale.path("version").asText() + " " + scale.path("kind").asText())
        .isEqualTo("autoscaling/v1 Scale");

    JsonNode core = json(get("/api/v1", "application/json"));
    assertThat(find(core.path("resources"), "name", "pods").path("shortNames").get(0).asText()).isEqualTo("po");
    assertThat(find(core.path("resources"), "name", "namespaces").path("namespaced").asBoolean()).isFalse();
  }

  @Test
  void aggregatedDiscoveryAnswersWithItsOwnContentType() throws Exception {
    HttpResponse<String> response = get("/apis",
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");

    assertThat(response.headers().firstValue("Content-Type").orElseThrow())
        .isEqualTo("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
    JsonNode jobs = StreamSupport.stream(json(response).path("items").spliterator(), false)
        .filter(i -> i.path("metadata").path("name").asText().equals("infraworker.io"))
        .flatMap(i -> StreamSupport.stream(i.path("versions").get(0).path("resources").spliterator(), false))
        .filter(r -> r.path("resource").asText().equals("executionjobs")).findFirst().orElseThrow();
    assertThat(jobs.path("scope").asText()).isEqualTo("Namespaced");
    assertThat(jobs.path("shortNames").get(0).asText()).isEqualTo("ej");
    assertThat(jobs.path("subresources").get(0).path("subresource").asText()).isEqualTo("status");
  }

  @Test
  void everyAnswerIsLabelledJson() throws Exception {
    for (String path : List.of(POOLS, POOLS + "/python-256", POOLS + "/missing", "/api/v1/namespaces/jobs/pods",
        "/openapi/v3", "/version")) {
      assertThat(get(path, "application/json").headers().firstValue("Content-Type")).as(path)
          .contains("application/json");
    }
  }

  @Test
  void tablesCarryMetadataTheWholeObjectOrNothingAsAsked() throws Exception {
    JsonNode table = json(get(POOLS, TABLE));
    assertThat(table.path("kind").asText()).isEqualTo("Table");
    assertThat(table.path("columnDefinitions").findValuesAsText("name"))
        .containsExactly("Name", "Runtime", "Memory", "Desired", "Ready", "Claimed", "Age");
    JsonNode row = table.path("rows").get(0);
    assertThat(row.path("cells").get(1).asText()).isEqualTo("python");
    assertThat(row.path("cells").get(4).isNull()).isTrue();
    assertThat(row.path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");

    JsonNode full = json(get(POOLS + "?includeObject=Object", TABLE)).path("rows").get(0).path("object");
    assertThat(full.path("spec").path("memoryMb").asInt()).isEqualTo(256);

    assertThat(json(get(POOLS + "?includeObject=None", TABLE)).path("rows").get(0).has("object")).isFalse();
  }

  @Test
  void theScaleSubresourceAnswersAnAutoscalingScale() throws Exception {
    JsonNode scale = json(get(POOLS + "/python-256/scale", "application/json"));

    assertThat(scale.path("apiVersion").asText()).isEqualTo("autoscaling/v1");
    assertThat(scale.path("spec").path("replicas").asInt()).isEqualTo(3);
    assertThat(scale.path("status").path("replicas").asInt()).isEqualTo(2);
    assertThat(scale.path("status").path("selector").asText()).isEqualTo("infraworker.io/pool=python-256");
  }

  @Test
  void aStatusWriteWithAQueryStringWritesOnlyTheStatus() throws Exception {
    WarmPool pool = client.resources(WarmPool.class).inNamespace(NS).withName("python-256").get();
    pool.getStatus().setClaimed(7);
    pool.getSpec().setReplicas(99);
    HttpResponse<String> response = send("PUT", POOLS + "/python-256/status?fieldManager=kubectl-edit",
        "application/json", JSON.writeValueAsString(pool));

    assertThat(response.statusCode()).isEqualTo(200);
    WarmPool stored = client.resources(WarmPool.class).inNamespace(NS).withName("python-256").get();
    assertThat(stored.getStatus().getClaimed()).isEqualTo(7);
    assertThat(stored.getSpec().getReplicas()).isEqualTo(3);
  }

  @Test
  void aWatchStreamsOnlyChangesAfterTheListedVersion() throws Exception {
    client.resource(pool("watched")).create();
    String version = json(get(POOLS, "application/json")).path("metadata").path("resourceVersion").asText();
    HttpRequest request = HttpRequest.newBuilder(URI.create(facade.url() + POOLS + "?watch=true&resourceVersion="
        + version + "&fieldSelector=metadata.name%3Dwatched")).build();
    HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          if (!line.isBlank()) {
            events.add(JSON.readTree(line));
          }
        }
      } catch (Exception e) {
        // The stream was closed at the end of the test.
      }
    });
    reader.setDaemon(true);
    reader.start();

    client.resources(WarmPool.class).inNamespace(NS).withName("watched").edit(p -> {
      p.getSpec().setReplicas(4);
      return p;
    });
    client.resources(WarmPool.class).inNamespace(NS).withName("python-256").edit(p -> {
      p.getSpec().setCpu("300m");
      return p;
    });

    JsonNode event = events.poll(10, TimeUnit.SECONDS);
    assertThat(event).isNotNull();
    assertThat(event.path("type").asText()).isEqualTo("MODIFIED");
    assertThat(event.path("object").path("spec").path("replicas").asInt()).isEqualTo(4);
    List<JsonNode> more = new ArrayList<>();
    events.drainTo(more);
    assertThat(more).as("no replayed ADDED events, nothing about other pools").isEmpty();
    response.body().close();
  }

  @Test
  void aBodyOverTheLimitIsRefused() throws Exception {
    String huge = "{\"pad\":\"" + "x".repeat(FacadeHandler.MAX_BODY) + "\"}";

    HttpResponse<String> response = send("POST", POOLS, "application/json", huge);

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(json(response).path("kind").asText()).isEqualTo("Status");
  }

  private static WarmPool pool(String name) {
    WarmPool pool = new WarmPool();
    pool.getMetadata().setName(name);
    pool.getMetadata().setNamespace(NS);
    WarmPoolSpec spec = new WarmPoolSpec();
    spec.setRuntime(Runtime.PYTHON);
    spec.setImage("runtime-python:1");
    spec.setReplicas(3);
    spec.setMemoryMb(256);
    pool.setSpec(spec);
    return pool;
  }

  private static HttpResponse<String> get(String path, String accept) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(facade.url() + path)).header("Accept", accept)
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> send(String method, String path, String type, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(facade.url() + path)).header("Content-Type", type)
        .method(method, HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode item : array) {
      if (item.path(field).asText().equals(value)) {
        return item;
      }
    }
    throw new AssertionError("no " + field + "=" + value + " in " + array);
  }
}
