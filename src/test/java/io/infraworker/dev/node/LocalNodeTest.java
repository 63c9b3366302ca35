package io.infraworker.dev.node;

import static io.infraworker.testing.KubeHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.infraworker.api.WarmPool;
import io.infraworker.pool.PodStates;
import io.infraworker.testing.KubeHarness;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalNodeTest {
  private static final int BLOCK = 29;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private KubeHarness kube;
  private KubernetesClient client;
  private NodeFixture fixture;
  private Path stateDir;
  private final List<LocalNode> nodes = new ArrayList<>();

  @BeforeEach
  void start() {
    Assumptions.assumeTrue(Files.isExecutable(NodeFixture.AGENT),
        "skipped: the agent is not built (make -C runtimes/agent build)");
    kube = KubeHarness.start();
    client = kube.client();
    fixture = new NodeFixture(client);
    stateDir = NodeFixture.stateDir();
  }

  @AfterEach
  void stop() throws IOException {
    nodes.forEach(LocalNode::close);
    if (kube != null) {
      kube.close();
    }
    if (stateDir != null) {
      Workspaces.delete(stateDir);
    }
  }

  private LocalNode startNode() {
    LocalNode node = new LocalNode(client, LocalNodeSettings.defaults(stateDir, NodeFixture.AGENT)
        .withNamespaces(Set.of(NAMESPACE)).withAddressBlock(BLOCK));
    nodes.add(node);
    return node.start();
  }

  private static void assumeCgroups(LocalNode node) {
    if (node.cgroupParents().isEmpty()) {
      System.out.println("skipped: no writable cgroup hierarchy here (not root?), pods ran with rlimits only");
    }
    Assumptions.assumeFalse(node.cgroupParents().isEmpty(), "no writable cgroup hierarchy (needs root)");
  }

  private static void eventually(ThrowingRunnable assertion) {
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).untilAsserted(assertion);
  }

  private Pod awaitReady(Pod pod) {
    eventually(() -> assertThat(PodStates.isReady(fixture.get(pod))).isTrue());
    return fixture.get(pod);
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void podBecomesRunningAndReadyOnItsOwnLoopbackAddressAndItsAgentAnswers() throws Exception {
    startNode();
    WarmPool pool = fixture.createPool("python-128", 128, "500m");
    long created = System.nanoTime();
    Pod first = fixture.createPod(pool);
    Pod second = fixture.createPod(pool);

    Pod a = awaitReady(first);
    long readyMs = (System.nanoTime() - created) / 1_000_000;
    Pod b = awaitReady(second);
    System.out.println("pod created -> Ready (as seen by a 20 ms poll of the API): " + readyMs + " ms");

    for (Pod pod : List.of(a, b)) {
      assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
      assertThat(pod.getStatus().getPodIP()).startsWith("127." + BLOCK + ".");
      assertThat(pod.getStatus().getPodIPs()).extracting(ip -> ip.getIp()).containsExactly(pod.getStatus().getPodIP());
      assertThat(pod.getStatus().getHostIP()).isEqualTo("127.0.0.1");
      assertThat(pod.getStatus().getStartTime()).isNotNull();
      assertThat(pod.getStatus().getConditions()).extracting(c -> c.getType() + "=" + c.getStatus())
          .contains("PodScheduled=True", "Initialized=True", "ContainersReady=True", "Ready=True");
      ContainerStatus container = pod.getStatus().getContainerStatuses().get(0);
      assertThat(container.getName()).isEqualTo("function");
      assertThat(container.getReady()).isTrue();
      assertThat(container.getRestartCount()).isZero();
      assertThat(container.getState().getRunning().getStartedAt()).isNotNull();

      HttpResponse<String> health = get("http://" + pod.getStatus().getPodIP() + ":8080/healthz");
      assertThat(health.statusCode()).isEqualTo(200);
    }
    assertThat(a.getStatus().getPodIP()).isNotEqualTo(b.getStatus().getPodIP());
  }

  @Test
  void agentRunsPythonWithTheSdkAndMeasuresPeakMemoryInThePodsOwnCgroup() throws Exception {
    LocalNode node = startNode();
    assumeCgroups(node);
    Pod pod = awaitReady(fixture.createPod(fixture.createPool("python-128", 128, "500m")));
    String base = "http://" + pod.getStatus().getPodIP() + ":8080";
    String auth = "Bearer " + NodeFixture.token(pod);
    String main = "import infraworker\n"
        + "data = infraworker.get_input()\n"
        + "infraworker.return_output({'sum': sum(data['xs'])})\n";

    HttpResponse<String> upload = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/code"))
        .header("Authorization", auth)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(zip("main.py", main))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
    HttpResponse<String> run = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/run"))
        .header("Authorization", auth).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"runtime\":\"python\",\"timeoutMs\":10000,\"input\":{\"xs\":[1,2,3]}}")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
    JsonNode result = new ObjectMapper().readTree(run.body());
    assertThat(result.get("status").asText()).as(run.body()).isEqualTo("ok");
    assertThat(new ObjectMapper().readTree(result.get("stdout").asText()).get("sum").asInt()).isEqualTo(6);
    assertThat(result.get("peakMemoryBytes").isNumber()).as(run.body()).isTrue();
    String source = result.get("peakMemorySource").asText();
    assertThat(source).startsWith("cgroup-");
    if (node.cgroupParents().get(0).startsWith("/sys/fs/cgroup/memory")) {
      assertThat(source).isEqualTo("cgroup-v1-memory.max_usage_in_bytes");
    }
  }

  @Test
  void podCgroupCarriesTheContainersMemoryCpuAndPidsLimits() throws Exception {
    LocalNode node = startNode();
    assumeCgroups(node);
    Pod pod = awaitReady(fixture.createPod(fixture.createPool("python-96", 96, "250m")));
    LocalPod local = node.pod(NAMESPACE, pod.getMetadata().getName()).orElseThrow();
    long pid = local.pid().orElseThrow();
    String procCgroup = Files.readString(Path.of("/proc", String.valueOf(pid), "cgroup"));

    for (Path dir : local.cgroupDirs()) {
      assertThat(Files.readAllLines(dir.resolve("cgroup.procs"))).contains(String.valueOf(pid));
      if (Files.exists(dir.resolve("memory.limit_in_bytes"))) {
        assertThat(Files.readString(dir.resolve("memory.limit_in_bytes")).trim()).isEqualTo(String.valueOf(96 << 20));
        assertThat(procCgroup).contains(":memory:");
        // so that the agent, as nobody, can reset the peak before the function starts
        assertThat(Files.getAttribute(dir.resolve("memory.max_usage_in_bytes"), "unix:uid")).isEqualTo(65534);
      }
      if (Files.exists(dir.resolve("memory.max"))) {
        assertThat(Files.readString(dir.resolve("memory.max")).trim()).isEqualTo(String.valueOf(96 << 20));
      }
      if (Files.exists(dir.resolve("pids.max"))) {
        assertThat(Files.readString(dir.resolve("pids.max")).trim()).isEqualTo("512");
      }
      if (Files.exists(dir.resolve("cpu.cfs_quota_us"))) {
        assertThat(Files.readString(dir.resolve("cpu.cfs_quota_us")).trim()).isEqualTo("25000");
        assertThat(Files.readString(dir.resolve("cpu.cfs_period_us")).trim()).isEqualTo("100000");
      }
      if (Files.exists(dir.resolve("cpu.max"))) {
        assertThat(Files.readString(dir.resolve("cpu.max")).trim()).isEqualTo("25000 100000");
      }
    }
    // The agent runs as nobody, in a session of its own.
    String status = Files.readString(Path.of("/proc", String.valueOf(pid), "status"));
    assertThat(status).containsPattern("(?m)^Uid:\\s+65534\\s");
    String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    assertThat(fields[2]).as("session id").isEqualTo(String.valueOf(pid));
  }

  @Test
  void withoutCgroupsThePodRunsUnderADataRlimitOfItsMemoryLimit() throws Exception {
    LocalNode node = new LocalNode(client, LocalNodeSettings.defaults(stateDir, NodeFixture.AGENT)
        .withNamespaces(Set.of(NAMESPACE)).withAddressBlock(BLOCK).withCgroupMode(CgroupMode.NONE));
    nodes.add(node.start());
    Pod pod = awaitReady(fixture.createPod(fixture.createPool("python-128", 128, "500m")));
    long pid = node.pod(NAMESPACE, pod.getMetadata().getName()).orElseThrow().pid().orElseThrow();

    assertThat(node.cgroupParents()).isEmpty();
    assertThat(Files.readString(Path.of("/proc", String.valueOf(pid), "limits")))
        .containsPattern("Max data size\\s+" + (128L << 20) + "\\s");
  }

  @Test
  void deletedPodLeavesNoProcessCgroupOrWorkspaceBehind() {
    LocalNode node = startNode();
    Pod pod = awaitReady(fixture.createPod(fixture.createPool("python-128", 128, "500m")));
    LocalPod local = node.pod(NAMESPACE, pod.getMetadata().getName()).orElseThrow();
    long pid = local.pid().orElseThrow();
    List<Path> cgroups = local.cgroupDirs();
    Path workspace = local.workspace().orElseThrow();
    assertThat(NodeFixture.alive(pid)).isTrue();
    assertThat(workspace).isDirectory();

    client.resource(pod).delete();

    eventually(() -> {
      assertThat(NodeFixture.alive(pid)).as("agent pid %d", pid).isFalse();
      assertThat(cgroups).allSatisfy(dir -> assertThat(dir).doesNotExist());
      assertThat(workspace).doesNotExist();
      assertThat(node.pod(NAMESPACE, pod.getMetadata().getName())).isEmpty();
    });
    assertThat(bindable(pod.getStatus().getPodIP())).as("address freed").isTrue();
  }

  @Test
  void podPastTheActiveDeadlineSetOnItWhileRunningFailsWithDeadlineExceeded() {
    LocalNode node = startNode();
    Pod pod = awaitReady(fixture.createPod(fixture.createPool("python-128", 128, "500m")));
    long pid = node.pod(NAMESPACE, pod.getMetadata().getName()).orElseThrow().pid().orElseThrow();

    // As the operator's claim does: an update of the running pod's spec.
    client.pods().inNamespace(NAMESPACE).withName(pod.getMetadata().getName()).edit(p -> {
      p.getSpec().setActiveDeadlineSeconds(2L);
      return p;
    });

    eventually(() -> {
      Pod now = fixture.get(pod);
      assertThat(now.getStatus().getPhase()).isEqualTo("Failed");
      assertThat(now.getStatus().getReason()).isEqualTo("DeadlineExceeded");
      assertThat(now.getStatus().getMessage()).contains("longer than the specified deadline");
      assertThat(now.getStatus().getContainerStatuses().get(0).getState().getTerminated().getReason())
          .isEqualTo("DeadlineExceeded");
      assertThat(PodStates.isReady(now)).isFalse();
      assertThat(NodeFixture.alive(pid)).isFalse();
    });
  }

  @Test
  void agentKilledByTheKernelOomKillerIsReportedAsOOMKilled() throws Exception {
    LocalNode node = startNode();
    assumeCgroups(node);
    Pod pod = awaitReady(fixture.createPod(fixture.createPool("python-64", 64, "500m")));
    LocalPod local = node.pod(NAMESPACE, pod.getMetadata().getName()).orElseThrow();
    long pid = local.pid().orElseThrow();
    Path memory = local.cgroupDirs().get(0);

    // The kernel kills the process with the highest badness (resident memory, plus oom_score_adj).
    // The hog fills a tmpfs file from inside the pod's cgroup: tmpfs pages are charged to the cgroup
    // but are in no process's resident set, so the victim is the agent, whatever its size.
    Files.writeString(Path.of("/proc", String.valueOf(pid), "oom_score_adj"), "1000");
    Path filler = Path.of("/dev/shm", "localnode-oom-" + pod.getMetadata().getUid());
    Process hog = new ProcessBuilder("/bin/sh", "-c", "echo $$ > " + memory.resolve("cgroup.procs")
        + " && exec dd if=/dev/zero of=" + filler + " bs=1M count=512 status=none")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      eventually(() -> {
        Pod now = fixture.get(pod);
        assertThat(now.getStatus().getPhase()).isEqualTo("Failed");
        var terminated = now.getStatus().getContainerStatuses().get(0).getState().getTerminated();
        assertThat(terminated.getReason()).isEqualTo("OOMKilled");
        assertThat(terminated.getExitCode()).isEqualTo(137);
      });
    } finally {
      hog.destroyForcibly().waitFor();
      Files.deleteIfExists(filler);
    }
    assertThat(NodeFixture.alive(pid)).isFalse();
  }

  @Test
  void podWhoseOwnerIsDeletedIsRemovedWithItsProcess() {
    LocalNode node = startNode();
    WarmPool pool = fixture.createPool("python-128", 128, "500m");
    Pod pod = awaitReady(fixture.createPod(pool));
    long pid = node.pod(NAMESPACE, pod.getMetadata().getName()).orElseThrow().pid().orElseThrow();

    client.resource(pool).delete();

    eventually(() -> {
      assertThat(fixture.get(pod)).isNull();
      assertThat(NodeFixture.alive(pid)).isFalse();
    });
  }

  @Test
  void closeLeavesNoProcessCgroupWorkspaceOrAddressAndANodeCanRunAgain() {
    WarmPool pool = fixture.createPool("python-128", 128, "500m");
    for (int round = 0; round < 2; round++) {
      LocalNode node = startNode();
      List<Pod> pods = List.of(awaitReady(fixture.createPod(pool)), awaitReady(fixture.createPod(pool)));
      List<Long> pids = new ArrayList<>();
      List<Path> paths = new ArrayList<>(node.cgroupParents());
      for (Pod pod : pods) {
        LocalPod local = node.pod(NAMESPACE, pod.getMetadata().getName()).orElseThrow();
        pids.add(local.pid().orElseThrow());
        paths.addAll(local.cgroupDirs());
        paths.add(local.workspace().orElseThrow());
      }
      assertThat(paths).allSatisfy(p -> assertThat(p).exists());

      node.close();

      assertThat(pids).allSatisfy(pid -> assertThat(NodeFixture.alive(pid)).as("pid %d", pid).isFalse());
      assertThat(paths).allSatisfy(p -> assertThat(p).doesNotExist());
      assertThat(pods).allSatisfy(p -> assertThat(bindable(p.getStatus().getPodIP())).isTrue());
      // the workspaces live under the state dir only when the agents' user can reach it (else in a temp dir)
      if (Files.isDirectory(stateDir.resolve("pods"))) {
        assertThat(stateDir.resolve("pods")).isDirectoryNotContaining(p -> Files.isDirectory(p));
      }
    }
  }

  private static boolean bindable(String address) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(address), 8080));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static byte[] zip(String name, String content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry(name));
      zip.write(content.getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return bytes.toByteArray();
  }
}
