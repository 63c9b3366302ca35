package io.infraworker.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.infraworker.api.Runtime;
import io.infraworker.api.WarmPool;
import io.infraworker.api.WarmPoolSpec;
import io.infraworker.config.OperatorConfig;
import io.infraworker.pool.Labels;
import io.infraworker.pool.PodNames;
import io.infraworker.pool.SandboxPodFactory;
import io.infraworker.pool.SandboxSettings;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders the kustomize trees under {@code manifests/} with {@code kubectl kustomize} and checks what
 * the operator relies on: a hardened Deployment with its probes, RBAC that covers every call the
 * operator makes, a NetworkPolicy that really selects the sandbox pods, the default WarmPools, and a
 * configuration made only of known variables. Skipped when kubectl is not on PATH.
 */
class ManifestsTest {
  private static final String NAMESPACE = "infra-worker";
  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Map<String, List<Map<String, Object>>> RENDERED = new ConcurrentHashMap<>();

  /** One permission the operator needs: API group, resource (or subresource) and verbs. */
  record Need(String group, String resource, List<String> verbs) {}

  private static final List<String> CRUD = List.of("get", "list", "watch", "create", "update", "patch", "delete");

  /** Everything the operator does in the namespaces it watches, written once. */
  private static final List<Need> NAMESPACED_NEEDS = List.of(
      new Need("infraworker.io", "executionjobs", CRUD),
      new Need("infraworker.io", "warmpools", CRUD),
      new Need("infraworker.io", "executionjobs/status", List.of("get", "update", "patch")),
      new Need("infraworker.io", "warmpools/status", List.of("get", "update", "patch")),
      new Need("infraworker.io", "warmpools/scale", List.of("get", "update", "patch")),
      new Need("", "pods", CRUD),
      new Need("", "events", List.of("create", "patch")));

  /** Leader election, in the operator's own namespace only. */
  private static final Need LEASES = new Need(
      "coordination.k8s.io", "leases", List.of("get", "list", "watch", "create", "update", "patch"));

  /** The operator framework's permission check at start (cluster-scoped). */
  private static final Need SELF_CHECK = new Need(
      "authorization.k8s.io", "selfsubjectrulesreviews", List.of("create"));

  private static String kubectl;

  @BeforeAll
  static void findKubectl() {
    kubectl = onPath("kubectl");
  }

  // --- Operator Deployment ---

  @Test
  void operatorDeploymentIsHardenedAndProbed() {
    List<Map<String, Object>> docs = render("manifests/base");
    Map<String, Object> deployment = one(docs, "Deployment", "infra-worker-operator");

    assertThat(at(deployment, "spec", "replicas")).isEqualTo(1);
    Map<String, Object> podSpec = map(at(deployment, "spec", "template", "spec"));
    assertThat(map(at(podSpec, "securityContext"))).containsEntry("runAsNonRoot", true);
    assertThat(one(docs, "ServiceAccount", (String) podSpec.get("serviceAccountName"))).isNotNull();

    List<Object> containers = list(podSpec.get("containers"));
    assertThat(containers).hasSize(1);
    Map<String, Object> c = map(containers.get(0));
    assertThat(c.get("image")).isEqualTo("infra-worker/operator:0.1.0");
    assertThat(list(c.get("args"))).containsExactly("run");

    Map<String, Object> sc = map(c.get("securityContext"));
    assertThat(sc).containsEntry("runAsNonRoot", true)
        .containsEntry("readOnlyRootFilesystem", true)
        .containsEntry("allowPrivilegeEscalation", false);
    assertThat(list(at(sc, "capabilities", "drop"))).containsExactly("ALL");
    assertThat(at(sc, "seccompProfile", "type")).isEqualTo("RuntimeDefault");
    assertThat(at(podSpec, "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");

    assertThat(map(at(c, "resources", "requests"))).containsKeys("cpu", "memory");
    assertThat(map(at(c, "resources", "limits"))).containsKey("memory");

    Map<Object, Object> ports = list(c.get("ports")).stream().map(ManifestsTest::map)
        .collect(Collectors.toMap(p -> p.get("name"), p -> p.get("containerPort")));
    assertThat(ports).containsEntry("metrics", 8000).containsEntry("health", 8001);
    assertThat(at(c, "livenessProbe", "httpGet", "path")).isEqualTo("/healthz");
    assertThat(at(c, "livenessProbe", "httpGet", "port")).isIn("health", 8001);
    assertThat(at(c, "readinessProbe", "httpGet", "path")).isEqualTo("/readyz");
    assertThat(at(c, "readinessProbe", "httpGet", "port")).isIn("health", 8001);

    Map<Object, Object> fieldRefs = list(c.get("env")).stream().map(ManifestsTest::map)
        .filter(e -> e.get("valueFrom") != null)
        .collect(Collectors.toMap(e -> e.get("name"), e -> at(e, "valueFrom", "fieldRef", "fieldPath")));
    assertThat(fieldRefs).containsEntry("OPERATOR_NAMESPACE", "metadata.namespace")
        .containsEntry("WORKER_ID", "metadata.name");

    // The env comes from the ConfigMap and the Secret of the same render.
    List<Map<String, Object>> envFrom = list(c.get("envFrom")).stream().map(ManifestsTest::map).toList();
    String configMap = (String) envFrom.stream().map(e -> at(e, "configMapRef", "name"))
        .filter(n -> n != null).findFirst().orElseThrow();
    String secret = (String) envFrom.stream().map(e -> at(e, "secretRef", "name"))
        .filter(n -> n != null).findFirst().orElseThrow();
    assertThat(one(docs, "ConfigMap", configMap)).isNotNull();
    assertThat(one(docs, "Secret", secret)).isNotNull();
    assertThat(map(one(docs, "ConfigMap", configMap).get("data")))
        .containsEntry("LEADER_ELECTION_ENABLED", "true");
  }

  @Test
  void metricsServiceIsScrapedAndSelectsTheOperator() {
    List<Map<String, Object>> docs = render("manifests/base");
    Map<String, Object> service = ofKind(docs, "Service").get(0);
    assertThat(map(at(service, "metadata", "annotations"))).containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", "8000");
    assertThat(list(at(service, "spec", "ports"))).extracting(p -> map(p).get("port")).contains(8000);
    assertThat(operatorPodLabels(docs)).containsAllEntriesOf(stringMap(at(service, "spec", "selector")));
  }

  // --- RBAC ---

  @Test
  void roleGrantsEverythingTheOperatorNeedsAndNoWildcards() {
    List<Map<String, Object>> docs = render("manifests/base");
    Map<String, Object> role = one(docs, "Role", "infra-worker-operator");
    for (Need need : NAMESPACED_NEEDS) {
      assertThat(grants(role, need)).as("Role grants %s", need).isTrue();
    }
    assertThat(grants(role, LEASES)).as("Role grants %s", LEASES).isTrue();
    assertBoundToOperator(docs, "RoleBinding", "Role", "infra-worker-operator");

    Map<String, Object> selfCheck = ofKind(docs, "ClusterRole").stream()
        .filter(r -> grants(r, SELF_CHECK)).findFirst().orElseThrow();
    assertBoundToOperator(docs, "ClusterRoleBinding", "ClusterRole", name(selfCheck));
    // The only cluster-wide right of the base is the permission check.
    assertThat(list(selfCheck.get("rules"))).hasSize(1);

    for (Map<String, Object> r : ofKinds(docs, "Role", "ClusterRole")) {
      for (Object rule : list(r.get("rules"))) {
        for (String field : List.of("apiGroups", "resources", "verbs")) {
          assertThat(list(map(rule).get(field))).as("%s %s", name(r), field).doesNotContain("*");
        }
      }
    }
  }

  @Test
  void clusterWideOverlayGrantsTheSameInEveryNamespace() {
    List<Map<String, Object>> docs = render("manifests/overlays/cluster-wide");
    Map<String, Object> clusterRole = ofKind(docs, "ClusterRole").stream()
        .filter(r -> grants(r, NAMESPACED_NEEDS.get(0))).findFirst().orElseThrow();
    for (Need need : NAMESPACED_NEEDS) {
      assertThat(grants(clusterRole, need)).as("ClusterRole grants %s", need).isTrue();
    }
    assertBoundToOperator(docs, "ClusterRoleBinding", "ClusterRole", name(clusterRole));
    assertThat(grants(one(docs, "Role", "infra-worker-operator"), LEASES)).isTrue();
    assertThat(map(one(docs, "ConfigMap", "infra-worker-config").get("data")))
        .containsEntry("WATCH_NAMESPACES", "*");
  }

  // --- Sandbox NetworkPolicy ---

  @Test
  void networkPolicySelectsSandboxPodsAndAdmitsOnlyTheOperatorOnTheAgentPort() {
    List<Map<String, Object>> docs = render("manifests/base");
    Map<String, Object> policy = ofKind(docs, "NetworkPolicy").get(0);
    Map<String, String> selector = stringMap(at(policy, "spec", "podSelector", "matchLabels"));
    assertThat(selector).containsEntry(Labels.COMPONENT, Labels.COMPONENT_SANDBOX);
    // It must match the pods the operator really creates, standby and claimed alike.
    Pod standby = new SandboxPodFactory(SandboxSettings.of("agent:1", Optional.empty()),
        new PodNames(new SecureRandom())).standbyPod(pool());
    assertThat(standby.getMetadata().getLabels()).containsAllEntriesOf(selector);
    assertThat(selector).doesNotContainKeys(Labels.STATE, Labels.POOL, Labels.RUNTIME);
    assertThat(list(at(policy, "spec", "policyTypes"))).contains("Ingress", "Egress");

    List<Object> ingress = list(at(policy, "spec", "ingress"));
    assertThat(ingress).hasSize(1);
    Map<String, Object> rule = map(ingress.get(0));
    assertThat(list(rule.get("ports"))).hasSize(1);
    Map<String, Object> port = map(list(rule.get("ports")).get(0));
    assertThat(port.get("port")).isIn(SandboxPodFactory.AGENT_PORT, SandboxPodFactory.AGENT_PORT_NAME);
    assertThat(port.getOrDefault("protocol", "TCP")).isEqualTo("TCP");
    List<Object> from = list(rule.get("from"));
    assertThat(from).hasSize(1);
    Map<String, Object> peer = map(from.get(0));
    assertThat(peer).containsOnlyKeys("podSelector");
    Map<String, String> peerLabels = stringMap(at(peer, "podSelector", "matchLabels"));
    assertThat(peerLabels).isNotEmpty();
    assertThat(operatorPodLabels(docs)).containsAllEntriesOf(peerLabels);

    // Egress: DNS to kube-system, plus the AI endpoint's address block; nothing open to everyone.
    List<Object> egress = list(at(policy, "spec", "egress"));
    assertThat(egress).allSatisfy(e -> assertThat(map(e).get("to")).as("egress rule without peers").isNotNull());
    assertThat(egress).anySatisfy(e -> {
      assertThat(list(map(e).get("ports"))).extracting(p -> map(p).get("port")).containsOnly(53);
      assertThat(at(list(map(e).get("to")).get(0), "namespaceSelector", "matchLabels",
          "kubernetes.io/metadata.name")).isEqualTo("kube-system");
    });
  }

  // --- WarmPools ---

  @Test
  void defaultWarmPoolsMatchTheOriginalWorker() {
    Set<String> specFields = warmPoolSpecFields();
    Map<String, Integer> expectedReplicas = Map.of("python", 5, "nodejs", 2, "cpp", 2, "go", 2);
    List<Map<String, Object>> pools = ofKind(render("manifests/base"), "WarmPool");
    assertThat(pools).extracting(ManifestsTest::name).containsExactlyInAnyOrder(
        java.util.Arrays.stream(Runtime.values()).map(rt -> rt.wireName() + "-256").toArray(String[]::new));
    for (Map<String, Object> pool : pools) {
      Map<String, Object> spec = map(pool.get("spec"));
      String runtime = (String) spec.get("runtime");
      assertThat(name(pool)).isEqualTo(runtime + "-256");
      assertThat(spec).containsEntry("memoryMb", 256)
          .containsEntry("replicas", expectedReplicas.get(runtime))
          .containsEntry("image", "infra-worker/runtime-" + runtime + ":0.1.0");
      assertThat(specFields).as("fields of the WarmPool CRD").containsAll(spec.keySet());
      assertThat(at(pool, "metadata", "namespace")).isEqualTo(NAMESPACE);
    }
    // Pools are declared here, so the operator must not make its own as well.
    assertThat(map(one(render("manifests/base"), "ConfigMap", "infra-worker-config").get("data")))
        .containsEntry("CREATE_DEFAULT_POOLS", "false");
  }

  // --- Configuration ---

  @Test
  void configurationUsesOnlyKnownVariables() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf("<!-- config-table:start -->");
    int end = readme.indexOf("<!-- config-table:end -->");
    assertThat(start).as("config table markers in README.md").isNotNegative();
    assertThat(end).isGreaterThan(start);
    String block = readme.substring(start, end);
    Set<String> tableNames = names(Pattern.compile("(?m)^\\|\\s*`([A-Z][A-Z0-9_]*)`\\s*\\|"), block);
    assertThat(tableNames).contains("SQS_QUEUE_URL", "REDIS_HOST", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SQS",
        "AWS_ENDPOINT_URL_S3", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "REDIS_PASSWORD");

    for (String dir : List.of("manifests/base", "manifests/overlays/dev", "manifests/overlays/cluster-wide")) {
      List<Map<String, Object>> docs = render(dir);
      for (Map<String, Object> cm : ofKind(docs, "ConfigMap")) {
        if (!"infra-worker-config".equals(name(cm))) {
          continue;
        }
        assertThat(tableNames).as("%s: ConfigMap keys are rows of the README's configuration table", dir)
            .containsAll(map(cm.get("data")).keySet());
      }
      Map<String, Object> secret = one(docs, "Secret", "infra-worker-credentials");
      assertThat(tableNames).as("%s: Secret keys are rows of the README's configuration table", dir)
          .containsAll(map(secret.get("stringData")).keySet());
    }
  }

  // --- Dev overlay ---

  @Test
  void devOverlayRunsTheStandInsAndPointsTheOperatorAtThem() {
    List<Map<String, Object>> docs = render("manifests/overlays/dev");
    Map<String, String> images = ofKind(docs, "Deployment").stream().collect(Collectors.toMap(
        ManifestsTest::name,
        d -> (String) map(list(at(d, "spec", "template", "spec", "containers")).get(0)).get("image")));
    assertThat(images).containsEntry("elasticmq", "softwaremill/elasticmq-native")
        .containsEntry("redis", "redis:7")
        .containsEntry("minio", "minio/minio")
        .containsEntry("infra-worker-operator", "infra-worker/operator:0.1.0");
    Set<String> services = ofKind(docs, "Service").stream().map(ManifestsTest::name).collect(Collectors.toSet());
    assertThat(services).contains("elasticmq", "redis", "minio");
    // The operator has service-specific endpoints, so no proxy in front of the stand-ins.
    assertThat(images).doesNotContainKey("aws-endpoint");
    assertThat(images.values()).noneMatch(image -> image.startsWith("nginx"));
    assertThat(services).doesNotContain("aws-endpoint");

    Map<String, Object> config = map(one(docs, "ConfigMap", "infra-worker-config").get("data"));
    assertThat(services).contains(
        URI.create((String) config.get("SQS_QUEUE_URL")).getHost(),
        (String) config.get("REDIS_HOST"));
    // What the operator makes of it: SQS to ElasticMQ, S3 to MinIO, each on a port of its Service.
    Map<String, String> env = new java.util.HashMap<>();
    config.forEach((k, v) -> env.put(k, String.valueOf(v)));
    map(one(docs, "Secret", "infra-worker-credentials").get("stringData"))
        .forEach((k, v) -> env.put(k, String.valueOf(v)));
    OperatorConfig operator = OperatorConfig.fromMap(env);
    assertThat(operator.awsEndpointUrl()).as("AWS_ENDPOINT_URL (no CloudWatch stand-in)").isEmpty();
    assertThat(operator.awsAccessKeyId()).isPresent();
    assertThat(operator.awsSecretAccessKey()).isPresent();
    URI sqs = operator.awsEndpointUrlSqs().orElseGet(() -> {
      URI queueUrl = URI.create(operator.sqsQueueUrl());
      assertThat(queueUrl.getHost()).doesNotEndWith(".amazonaws.com");
      return URI.create(queueUrl.getScheme() + "://" + queueUrl.getAuthority());
    });
    URI s3 = operator.awsEndpointUrlS3().orElseThrow(() -> new AssertionError("AWS_ENDPOINT_URL_S3 is not set"));
    assertServes(docs, "elasticmq", "sqs", sqs);
    assertServes(docs, "minio", "s3", s3);
    assertServes(docs, "elasticmq", "sqs", URI.create(operator.sqsQueueUrl()));
    assertThat(operator.redisHost()).isEqualTo("redis");
    String queue = ((String) config.get("SQS_QUEUE_URL")).replaceAll(".*/", "");
    assertThat((String) at(one(docs, "ConfigMap", "elasticmq-config"), "data", "elasticmq.conf"))
        .contains(queue + " {");
    String bucketJob = String.valueOf(at(one(docs, "Job", "minio-buckets"), "spec", "template", "spec"));
    assertThat(bucketJob).contains("/" + config.get("S3_CODE_BUCKET"), "/" + config.get("S3_USER_DATA_BUCKET"));

    // Runnable as is: no placeholder left in the operator's configuration or credentials.
    Map<String, Object> secret = map(one(docs, "Secret", "infra-worker-credentials").get("stringData"));
    assertThat(List.of(config.values(), secret.values())).allSatisfy(values -> assertThat(values)
        .allSatisfy(v -> assertThat(String.valueOf(v)).doesNotContainIgnoringCase("replace-me")));

    assertThat(ofKind(docs, "WarmPool")).hasSize(Runtime.values().length)
        .allSatisfy(p -> assertThat(at(p, "spec", "replicas")).isEqualTo(1));
    for (Map<String, Object> doc : docs) {
      if (!List.of("Namespace", "ClusterRole", "ClusterRoleBinding").contains(doc.get("kind"))) {
        assertThat(at(doc, "metadata", "namespace")).as("%s/%s", doc.get("kind"), name(doc)).isEqualTo(NAMESPACE);
      }
    }
  }

  // --- helpers ---

  private static WarmPool pool() {
    WarmPool pool = new WarmPool();
    pool.getMetadata().setName("python-256");
    pool.getMetadata().setNamespace(NAMESPACE);
    pool.getMetadata().setUid("uid-python-256");
    WarmPoolSpec spec = new WarmPoolSpec();
    spec.setRuntime(Runtime.PYTHON);
    spec.setImage("infra-worker/runtime-python:0.1.0");
    spec.setReplicas(1);
    spec.setMemoryMb(256);
    spec.setCpu("500m");
    pool.setSpec(spec);
    return pool;
  }

  private static Set<String> warmPoolSpecFields() {
    try {
      String crd = Files.readString(ROOT.resolve("crds/warmpools.infraworker.io-v1.yml"), StandardCharsets.UTF_8);
      List<Map<String, Object>> docs = parse(crd);
      Object version = list(at(docs.get(0), "spec", "versions")).get(0);
      return map(at(version, "schema", "openAPIV3Schema", "properties", "spec", "properties")).keySet();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Set<String> names(Pattern pattern, String text) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** {@code uri} names the Service {@code service} and its port {@code portName} (80 when it names none). */
  private static void assertServes(List<Map<String, Object>> docs, String service, String portName, URI uri) {
    assertThat(uri.getHost()).as("host of %s", uri).isEqualTo(service);
    int port = uri.getPort() == -1 ? 80 : uri.getPort();
    Map<Object, Object> ports = list(at(one(docs, "Service", service), "spec", "ports")).stream()
        .map(ManifestsTest::map).collect(Collectors.toMap(p -> p.get("name"), p -> p.get("port")));
    assertThat(ports).as("ports of Service %s (for %s)", service, uri).containsEntry(portName, port);
  }

  private static Map<String, String> operatorPodLabels(List<Map<String, Object>> docs) {
    return stringMap(at(one(docs, "Deployment", "infra-worker-operator"), "spec", "template", "metadata", "labels"));
  }

  private static void assertBoundToOperator(List<Map<String, Object>> docs, String bindingKind, String roleKind,
      String roleName) {
    Map<String, Object> deployment = one(docs, "Deployment", "infra-worker-operator");
    String serviceAccount = (String) at(deployment, "spec", "template", "spec", "serviceAccountName");
    assertThat(ofKind(docs, bindingKind)).as("%s of %s %s", bindingKind, roleKind, roleName).anySatisfy(b -> {
      assertThat(at(b, "roleRef", "kind")).isEqualTo(roleKind);
      assertThat(at(b, "roleRef", "name")).isEqualTo(roleName);
      assertThat(list(b.get("subjects"))).anySatisfy(s -> assertThat(map(s))
          .containsEntry("kind", "ServiceAccount")
          .containsEntry("name", serviceAccount)
          .containsEntry("namespace", NAMESPACE));
    });
  }

  /** Whether one rule of the role grants all verbs of the need (rules may split verbs, never resources). */
  private static boolean grants(Map<String, Object> role, Need need) {
    Set<String> verbs = new LinkedHashSet<>();
    for (Object o : list(role.get("rules"))) {
      Map<String, Object> rule = map(o);
      if (list(rule.get("apiGroups")).contains(need.group()) && list(rule.get("resources")).contains(need.resource())) {
        list(rule.get("verbs")).forEach(v -> verbs.add((String) v));
      }
    }
    return verbs.containsAll(need.verbs());
  }

  /** {@code kubectl kustomize dir}, parsed; rendered once per directory. */
  private static List<Map<String, Object>> render(String dir) {
    Assumptions.assumeTrue(kubectl != null, "kubectl is not on PATH");
    return RENDERED.computeIfAbsent(dir, d -> {
      try {
        Path out = Files.createTempFile("kustomize", ".yaml");
        Path err = Files.createTempFile("kustomize", ".err");
        try {
          Process p = new ProcessBuilder(kubectl, "kustomize", ROOT.resolve(d).toString())
              .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
          if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kubectl kustomize " + d + " did not finish in 60 s");
          }
          if (p.exitValue() != 0) {
            throw new AssertionError("kubectl kustomize " + d + " failed: " + Files.readString(err));
          }
          return parse(Files.readString(out, StandardCharsets.UTF_8));
        } finally {
          Files.deleteIfExists(out);
          Files.deleteIfExists(err);
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });
  }

  private static List<Map<String, Object>> parse(String yaml) {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : new Yaml().loadAll(yaml)) {
      if (doc != null) {
        docs.add(map(doc));
      }
    }
    return docs;
  }

  private static String onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      File f = new File(dir, command);
      if (f.isFile() && f.canExecute()) {
        return f.getAbsolutePath();
      }
    }
    return null;
  }

  private static List<Map<String, Object>> ofKind(List<Map<String, Object>> docs, String kind) {
    return ofKinds(docs, kind);
  }

  private static List<Map<String, Object>> ofKinds(List<Map<String, Object>> docs, String... kinds) {
    Set<String> wanted = Set.of(kinds);
    return docs.stream().filter(d -> wanted.contains((String) d.get("kind"))).toList();
  }

  private static Map<String, Object> one(List<Map<String, Object>> docs, String kind, String name) {
    List<Map<String, Object>> found = ofKind(docs, kind).stream().filter(d -> name.equals(name(d))).toList();
    assertThat(found).as("%s %s", kind, name).hasSize(1);
    return found.get(0);
  }

  private static String name(Map<String, Object> doc) {
    return (String) at(doc, "metadata", "name");
  }

  /** The value at a path of map keys, or null when any step is missing. */
  private static Object at(Object node, String... path) {
    Object current = node;
    for (String key : path) {
      if (!(current instanceof Map<?, ?> m)) {
        return null;
      }
      current = m.get(key);
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    assertThat(o).isInstanceOf(Map.class);
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    assertThat(o).isInstanceOf(List.class);
    return (List<Object>) o;
  }

  private static Map<String, String> stringMap(Object o) {
    return map(o).entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
  }
}
