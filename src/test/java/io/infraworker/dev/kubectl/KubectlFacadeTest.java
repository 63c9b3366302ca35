package io.infraworker.dev.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.infraworker.api.CodeRef;
import io.infraworker.api.ExecutionJob;
import io.infraworker.api.ExecutionJobSpec;
import io.infraworker.api.ExecutionJobStatus;
import io.infraworker.api.JobPhase;
import io.infraworker.api.Runtime;
import io.infraworker.api.WarmPool;
import io.infraworker.api.WarmPoolSpec;
import io.infraworker.api.WarmPoolStatus;
import io.infraworker.dev.MockKubernetesApi;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubectl 1.32, as a subprocess, against the façade in front of the mock API server. */
class KubectlFacadeTest {
  private static final String NS = "jobs";

  @TempDir
  static Path shared;

  private static MockKubernetesApi api;
  private static KubectlFacade facade;
  private static KubernetesClient client;
  private static Path kubeconfig;

  private Kubectl kubectl;

  @BeforeAll
  static void startStack() {
    Assumptions.assumeTrue(Kubectl.available(), "kubectl is not on PATH");
    api = MockKubernetesApi.start(InetAddress.getLoopbackAddress(), 0);
    api.installCrds(Path.of("crds"));
    client = api.createClient();
    facade = KubectlFacade.start(api.url(), InetAddress.getLoopbackAddress(), 0);
    kubeconfig = shared.resolve("kubeconfig");
    Kubeconfig.write(kubeconfig, facade.url(), NS);

    WarmPool poolA = create(pool("pool-a", 3));
    setStatus(poolA, 3, 2, 1);
    create(pool("pool-w", 1));
    create(pool("pool-s", 2));
    ExecutionJob job = create(job("job-a"));
    ExecutionJobStatus status = new ExecutionJobStatus();
    status.setPhase(JobPhase.SUCCEEDED);
    status.setExitCode(0);
    status.setDurationMs(1234L);
    status.setPeakMemoryBytes(5_242_880L);
    job.setStatus(status);
    client.resource(job).updateStatus();
    Pod pod = create(new PodBuilder().withNewMetadata().withName("sandbox-a").withNamespace(NS).endMetadata()
        .withNewSpec().withNodeName("local-node").addNewContainer().withName("function").withImage("runtime:1")
        .endContainer().endSpec().build());
    pod.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP("127.0.0.5")
        .addNewContainerStatus().withName("function").withReady(true).withRestartCount(0)
        .withNewState().withNewRunning().endRunning().endState().endContainerStatus().build());
    client.resource(pod).updateStatus();
    // As EventRecorder writes them: kubectl describe selects a pool's events by kind, name, namespace and uid.
    event("pool-a.1", "pool-a", poolA.getMetadata().getUid(), "ScaledUp", "created 3 standby pods");
    event("pool-other.1", "pool-other", "uid-other", "OtherPoolEvent", "about another pool");
  }

  @AfterAll
  static void stopStack() {
    if (facade != null) {
      facade.close();
    }
    if (client != null) {
      client.close();
    }
    if (api != null) {
      api.close();
    }
  }

  @BeforeEach
  void freshKubectl(@TempDir Path home) {
    kubectl = new Kubectl(kubeconfig, home);
  }

  @Test
  void getListsJobsPoolsAndPodsWithTheCrdPrinterColumns() throws Exception {
    String out = kubectl.ok("get", "ej,wp,pods");

    assertThat(header(out, "executionjob")).containsExactly("NAME", "RUNTIME", "PHASE", "EXIT", "DURATION",
        "PEAK MEMORY", "AGE");
    assertThat(row(out, "executionjob.infraworker.io/job-a")).startsWith("executionjob.infraworker.io/job-a",
        "python", "Succeeded", "0", "1234", "5242880");
    assertThat(header(out, "warmpool")).containsExactly("NAME", "RUNTIME", "MEMORY", "DESIRED", "READY",
        "CLAIMED", "AGE");
    assertThat(row(out, "warmpool.infraworker.io/pool-a")).startsWith("warmpool.infraworker.io/pool-a",
        "python", "256", "3", "2", "1");
    assertThat(header(out, "pod/")).containsExactly("NAME", "READY", "STATUS", "RESTARTS", "AGE");
    assertThat(row(out, "pod/sandbox-a")).startsWith("pod/sandbox-a", "1/1", "Running", "0");
  }

  @Test
  void wideOutputShowsThePodIpAndNode() throws Exception {
    String out = kubectl.ok("get", "pods", "-o", "wide");

    assertThat(out.lines().findFirst().orElseThrow()).contains("IP", "NODE", "NOMINATED NODE");
    assertThat(row(out, "sandbox-a")).contains("127.0.0.5", "local-node");
  }

  @Test
  void yamlAndJsonOutputCarryTheWholeObject() throws Exception {
    String yaml = kubectl.ok("get", "wp", "pool-a", "-o", "yaml");
    assertThat(yaml).contains("kind: WarmPool", "name: pool-a", "memoryMb: 256", "readyReplicas: 2");

    JsonNode json = new ObjectMapper().readTree(kubectl.ok("get", "ej", "job-a", "-o", "json"));
    assertThat(json.path("kind").asText()).isEqualTo("ExecutionJob");
    assertThat(json.path("spec").path("code").path("bucket").asText()).isEqualTo("code");
    assertThat(json.path("status").path("peakMemoryBytes").asLong()).isEqualTo(5_242_880L);

    JsonNode list = new ObjectMapper().readTree(kubectl.ok("get", "pods", "-o", "json"));
    assertThat(list.path("items").get(0).path("status").path("podIP").asText()).isEqualTo("127.0.0.5");
  }

  @Test
  void theCategoryListsBothKinds() throws Exception {
    String out = kubectl.ok("get", "infraworker");

    assertThat(out).contains("executionjob.infraworker.io/job-a", "warmpool.infraworker.io/pool-a");
  }

  @Test
  void describeShowsTheSpecAndOnlyThePoolsOwnEvents() throws Exception {
    String out = kubectl.ok("describe", "wp/pool-a");

    assertThat(out).contains("Name:", "pool-a", "Kind:", "WarmPool", "Memory Mb:", "256", "Replicas:");
    assertThat(out).contains("Events:", "ScaledUp", "created 3 standby pods");
    assertThat(out).doesNotContain("OtherPoolEvent");
  }

  @Test
  void watchPrintsChangesAsTheyHappenAndTheInitialObjectsOnce() throws Exception {
    String output;
    try (Kubectl.Running watch = kubectl.background("get", "wp", "-w")) {
      watch.awaitLine(line -> line.startsWith("pool-w "), Duration.ofSeconds(15));
      client.resources(WarmPool.class).inNamespace(NS).withName("pool-w")
          .edit(p -> {
            p.getSpec().setReplicas(6);
            return p;
          });
      watch.awaitLine(line -> line.startsWith("pool-w ") && cells(line).get(3).equals("6"), Duration.ofSeconds(15));
      watch.close();
      output = watch.output();
    }
    assertThat(output.lines().filter(l -> l.startsWith("pool-a "))).hasSize(1);
    assertThat(output.lines().filter(l -> l.startsWith("pool-w "))).hasSize(2);
    assertThat(output.lines().filter(l -> l.startsWith("NAME "))).hasSize(1);
  }

  @Test
  void scaleChangesTheDesiredReplicas() throws Exception {
    assertThat(kubectl.ok("scale", "wp/pool-s", "--replicas=5")).contains("warmpool.infraworker.io/pool-s scaled");

    WarmPool pool = client.resources(WarmPool.class).inNamespace(NS).withName("pool-s").get();
    assertThat(pool.getSpec().getReplicas()).isEqualTo(5);
  }

  @Test
  void deleteRemovesAJob() throws Exception {
    create(job("job-doomed"));

    assertThat(kubectl.ok("delete", "ej/job-doomed")).contains("\"job-doomed\" deleted");

    assertThat(client.resources(ExecutionJob.class).inNamespace(NS).withName("job-doomed").get()).isNull();
  }

  @Test
  void applyCreatesAPoolAndAppliesAChangedFile() throws Exception {
    Path file = shared.resolve("pool-applied.yaml");
    String yaml = """
        apiVersion: infraworker.io/v1alpha1
        kind: WarmPool
        metadata:
          name: pool-applied
        spec:
          runtime: go
          image: runtime-go:1
          replicas: %d
          memoryMb: 128
          tolerations:
          - key: %s
            operator: Exists
        """;
    Files.writeString(file, yaml.formatted(1, "first"));
    assertThat(kubectl.ok("apply", "-f", file.toString())).contains("warmpool.infraworker.io/pool-applied created");

    Files.writeString(file, yaml.formatted(4, "second"));
    assertThat(kubectl.ok("apply", "-f", file.toString()))
        .contains("warmpool.infraworker.io/pool-applied configured");

    WarmPool pool = client.resources(WarmPool.class).inNamespace(NS).withName("pool-applied").get();
    assertThat(pool.getSpec().getReplicas()).isEqualTo(4);
    // A merge patch replaces lists; the mock alone would have appended the new toleration.
    assertThat(pool.getSpec().getTolerations()).extracting(t -> t.getKey()).containsExactly("second");
  }

  @Test
  void applyOfAPodMergesItsContainersByName() throws Exception {
    Path file = shared.resolve("pod-applied.yaml");
    String yaml = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: pod-applied
          labels: {tier: "%s"}
        spec:
          containers:
          - name: main
            image: %s
            env: [{name: MODE, value: "x"}]
          - name: side
            image: side:1
        """;
    Files.writeString(file, yaml.formatted("one", "main:1"));
    kubectl.ok("apply", "-f", file.toString());
    Files.writeString(file, yaml.formatted("two", "main:2"));
    kubectl.ok("apply", "-f", file.toString());

    Pod pod = client.pods().inNamespace(NS).withName("pod-applied").get();
    assertThat(pod.getMetadata().getLabels()).containsEntry("tier", "two");
    assertThat(pod.getSpec().getContainers()).extracting(c -> c.getName() + "=" + c.getImage())
        .containsExactly("main=main:2", "side=side:1");
    assertThat(pod.getSpec().getContainers().get(0).getEnv()).hasSize(1);
  }

  @Test
  void diffAndServerDryRunsWriteNothing() throws Exception {
    Path file = shared.resolve("pool-a-changed.yaml");
    Files.writeString(file, kubectl.ok("get", "wp", "pool-a", "-o", "yaml").replace("replicas: 3", "replicas: 9"));

    Kubectl.Result diff = kubectl.run("diff", "-f", file.toString());
    assertThat(diff.exitCode()).as(diff.err()).isEqualTo(1);
    assertThat(diff.out()).contains("-  replicas: 3", "+  replicas: 9");
    assertThat(kubectl.ok("delete", "wp/pool-a", "--dry-run=server")).contains("(server dry run)");
    assertThat(kubectl.ok("scale", "wp/pool-a", "--replicas=8", "--dry-run=server")).contains("(server dry run)");

    WarmPool pool = client.resources(WarmPool.class).inNamespace(NS).withName("pool-a").get();
    assertThat(pool).isNotNull();
    assertThat(pool.getSpec().getReplicas()).isEqualTo(3);
  }

  @Test
  void explainDescribesTheCustomResourceFields() throws Exception {
    assertThat(kubectl.ok("explain", "wp.spec.replicas")).contains("KIND:       WarmPool", "<integer>",
        "How many standby pods to keep ready");
  }

  @Test
  void apiResourcesListsTheCustomResourcesWithShortNamesAndCategories() throws Exception {
    String out = kubectl.ok("api-resources", "-o", "wide");

    assertThat(row(out, "executionjobs")).contains("ej", "infraworker.io/v1alpha1", "true", "ExecutionJob");
    assertThat(String.join(" ", row(out, "executionjobs"))).contains("infraworker");
    assertThat(row(out, "warmpools")).contains("wp");
    assertThat(row(out, "pods")).contains("po");
  }

  @Test
  void aCrdCreatedLaterIsDiscovered() throws Exception {
    client.resource(new CustomResourceDefinitionBuilder().withNewMetadata().withName("gadgets.example.io")
        .endMetadata().withNewSpec().withGroup("example.io").withScope("Namespaced")
        .withNewNames().withKind("Gadget").withPlural("gadgets").withSingular("gadget").endNames()
        .addNewVersion().withName("v1").withServed(true).withStorage(true).endVersion()
        .endSpec().build()).create();

    assertThat(kubectl.run("get", "gadgets").err()).contains("No resources found");
  }

  @Test
  void aMissingObjectIsReportedByName() throws Exception {
    Kubectl.Result result = kubectl.run("get", "wp", "no-such-pool");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.err()).contains("warmpools.infraworker.io \"no-such-pool\" not found");
  }

  private static WarmPool pool(String name, int replicas) {
    WarmPool pool = new WarmPool();
    pool.getMetadata().setName(name);
    pool.getMetadata().setNamespace(NS);
    WarmPoolSpec spec = new WarmPoolSpec();
    spec.setRuntime(Runtime.PYTHON);
    spec.setImage("runtime-python:1");
    spec.setReplicas(replicas);
    spec.setMemoryMb(256);
    spec.setCpu("250m");
    pool.setSpec(spec);
    return pool;
  }

  private static void setStatus(WarmPool pool, int replicas, int ready, int claimed) {
    WarmPoolStatus status = new WarmPoolStatus();
    status.setReplicas(replicas);
    status.setReadyReplicas(ready);
    status.setClaimed(claimed);
    pool.setStatus(status);
    client.resource(pool).updateStatus();
  }

  private static ExecutionJob job(String name) {
    ExecutionJob job = new ExecutionJob();
    job.getMetadata().setName(name);
    job.getMetadata().setNamespace(NS);
    ExecutionJobSpec spec = new ExecutionJobSpec();
    spec.setRequestId("req-" + name);
    spec.setRuntime(Runtime.PYTHON);
    spec.setCode(new CodeRef("code", "functions/" + name + ".zip"));
    job.setSpec(spec);
    return job;
  }

  private static <T extends HasMetadata> T create(T resource) {
    return client.resource(resource).create();
  }

  private static void event(String name, String pool, String uid, String reason, String message) {
    create(new EventBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewInvolvedObject().withApiVersion("infraworker.io/v1alpha1").withKind("WarmPool").withName(pool)
        .withNamespace(NS).withUid(uid).endInvolvedObject()
        .withType("Normal").withReason(reason).withMessage(message).withCount(1)
        .withLastTimestamp(Instant.now().toString())
        .withNewSource().withComponent("infra-worker").endSource().build());
  }

  /** The cells of a kubectl table line: columns are at least two spaces apart, a header may hold one. */
  private static List<String> cells(String line) {
    return Arrays.asList(line.trim().split("\\s{2,}"));
  }

  private static List<String> row(String out, String firstCell) {
    return out.lines().map(KubectlFacadeTest::cells).filter(c -> c.get(0).equals(firstCell)).findFirst()
        .orElseThrow(() -> new AssertionError("no row " + firstCell + " in:\n" + out));
  }

  /** The header line of the table whose rows start with the prefix. */
  private static List<String> header(String out, String rowPrefix) {
    List<String> lines = out.lines().toList();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).startsWith(rowPrefix) && lines.get(i - 1).startsWith("NAME")) {
        return cells(lines.get(i - 1));
      }
    }
    throw new AssertionError("no table of " + rowPrefix + " in:\n" + out);
  }
}
