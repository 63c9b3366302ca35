package io.infraworker.dev;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.infraworker.api.Runtime;
import io.infraworker.config.OperatorConfig;
import io.infraworker.dev.kubectl.KubectlFacade;
import io.infraworker.dev.kubectl.Kubeconfig;
import io.infraworker.dev.node.LocalNode;
import io.infraworker.dev.node.LocalNodeSettings;
import io.infraworker.operator.InfraWorkerOperator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system on one machine: SQS (ElasticMQ), S3 (S3Proxy), Redis, the Kubernetes API (the
 * mock server, the one stand-in), LocalNode as the kubelet, and the operator exactly as
 * {@code infra-worker run} starts it.
 */
public final class DevStack implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DevStack.class);

  private final DevStackSettings settings;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final Map<String, String> endpoints = new LinkedHashMap<>();
  private LocalSqs sqs;
  private LocalS3 s3;
  private LocalRedis redis;
  private MockKubernetesApi kubeApi;
  private KubectlFacade facade;
  private KubernetesClient client;
  private LocalNode node;
  private InfraWorkerOperator operator;
  private Map<String, String> operatorEnv;

  private DevStack(DevStackSettings settings) {
    this.settings = settings;
  }

  /** Starts every part in order; if one fails, stops those already started and rethrows. */
  public static DevStack start(DevStackSettings settings) {
    DevStack stack = new DevStack(settings);
    try {
      stack.startAll();
      return stack;
    } catch (RuntimeException | Error e) {
      stack.close();
      throw e;
    }
  }

  private void startAll() {
    Path state = settings.stateDir().toAbsolutePath();
    createDirectories(state);
    String host = settings.host();
    DevCredentials credentials = DevCredentials.DEFAULT;

    redis = remember(LocalRedis.start(host, DevTools.freePort(host, settings.redisPort()), state.resolve("redis")));
    sqs = remember(LocalSqs.start(host, DevTools.freePort(host, settings.sqsPort()), DevStackSettings.REGION,
        credentials));
    s3 = remember(LocalS3.start(host, DevTools.freePort(host, settings.s3Port()), state.resolve("s3"),
        credentials, DevStackSettings.REGION,
        List.of(DevStackSettings.CODE_BUCKET, DevStackSettings.USER_DATA_BUCKET)));

    kubeApi = remember(MockKubernetesApi.start(InetAddress.getLoopbackAddress(), 0));
    kubeApi.installPackagedCrds();
    client = remember(kubeApi.createClient());
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata()
        .withName(DevStackSettings.NAMESPACE).endMetadata().build()).create();
    facade = remember(KubectlFacade.start(kubeApi.url(), InetAddress.getLoopbackAddress(),
        DevTools.freePort(host, settings.kubePort())));
    Path kubeconfig = state.resolve("kubeconfig");
    Kubeconfig.write(kubeconfig, facade.url(), DevStackSettings.NAMESPACE);

    node = remember(startNode(state));

    operatorEnv = operatorEnvironment(credentials);
    operator = startOperator();

    endpoints.putAll(serviceEnvironment(credentials));
    endpoints.put("SQS_DLQ_URL", sqs.deadLetterQueueUrl());
    endpoints.put("KUBECONFIG", kubeconfig.toString());
    endpoints.put("METRICS_URL", "http://" + host + ":" + operator.metricsPort() + "/metrics");
    endpoints.put("HEALTH_URL", "http://" + host + ":" + operator.healthPort() + "/health");
    writeEnvFile(state.resolve("dev.env"));
    LOG.info("dev stack started in {}", state);
  }

  private InfraWorkerOperator startOperator() {
    InfraWorkerOperator started = new InfraWorkerOperator(OperatorConfig.fromMap(operatorEnv), client, Clock.systemUTC());
    remember(started);
    try {
      return started.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the operator and starts a new one against the same stack, as a pod restart would. */
  public synchronized void restartOperator() {
    started.remove(operator);
    operator.close();
    operator = startOperator();
  }

  /** Stops Redis (for tests of what happens while it is down); {@link #startRedis} brings it back. */
  public synchronized void stopRedis() {
    started.remove(redis);
    redis.close();
  }

  /** Starts Redis again on the port it had. */
  public synchronized void startRedis() {
    redis = LocalRedis.start(redis.host(), redis.port(), settings.stateDir().toAbsolutePath().resolve("redis"));
    started.addLast(redis);
  }

  private LocalNode startNode(Path state) {
    LocalNodeSettings nodeSettings = LocalNodeSettings.defaults(state, settings.agentBinary())
        .withAddressBlock(settings.addressBlock())
        .withSdkDir(settings.sdkDir())
        .withNamespaces(java.util.Set.of(DevStackSettings.NAMESPACE));
    LocalNode localNode = new LocalNode(client, nodeSettings);
    localNode.start();
    return localNode;
  }

  /** Where the stack's services are, under the variable names both the operator and clients read. */
  private Map<String, String> serviceEnvironment(DevCredentials credentials) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SQS_QUEUE_URL", sqs.queueUrl());
    env.put("AWS_ENDPOINT_URL", s3.endpoint().toString());
    env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
    env.put("AWS_ENDPOINT_URL_SQS", sqs.endpoint().toString());
    env.put("AWS_REGION", DevStackSettings.REGION);
    env.put("AWS_ACCESS_KEY_ID", credentials.accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey());
    env.put("S3_CODE_BUCKET", DevStackSettings.CODE_BUCKET);
    env.put("S3_USER_DATA_BUCKET", DevStackSettings.USER_DATA_BUCKET);
    env.put("REDIS_HOST", redis.host());
    env.put("REDIS_PORT", String.valueOf(redis.port()));
    return env;
  }

  private Map<String, String> operatorEnvironment(DevCredentials credentials) {
    Map<String, String> env = serviceEnvironment(credentials);
    env.put("OPERATOR_NAMESPACE", DevStackSettings.NAMESPACE);
    env.put("WATCH_NAMESPACES", DevStackSettings.NAMESPACE);
    env.put("METRICS_PORT", String.valueOf(DevTools.freePort(settings.host(), settings.metricsPort())));
    env.put("HEALTH_PORT", String.valueOf(DevTools.freePort(settings.host(), settings.healthPort())));
    env.put("WORKER_ID", "dev-" + ProcessHandle.current().pid());
    for (Runtime runtime : Runtime.values()) {
      env.put("WARM_POOL_" + runtime.envName() + "_SIZE", String.valueOf(DevStackSettings.DEFAULT_POOL_SIZE));
    }
    env.putAll(settings.environment());
    return env;
  }

  private void writeEnvFile(Path file) {
    StringBuilder text = new StringBuilder("# Written by infra-worker dev; source it to talk to the dev stack.\n");
    endpoints.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The banner printed at start: every endpoint and how to use them. */
  public String banner() {
    StringBuilder text = new StringBuilder();
    text.append("infra-worker dev stack is running (Ctrl-C stops everything)\n\n");
    endpoints.forEach((k, v) -> {
      if (!k.startsWith("AWS_SECRET")) {
        text.append(String.format("  %-22s %s%n", k, v));
      }
    });
    if (redis.port() != settings.redisPort() && settings.redisPort() != 0) {
      text.append(String.format("%n  note: port %d was in use, Redis listens on %d%n", settings.redisPort(),
          redis.port()));
    }
    text.append(String.format("  %-22s %s%n", "redis-server", redis.source()));
    Path state = settings.stateDir().toAbsolutePath();
    text.append("\n  source ").append(state.resolve("dev.env")).append('\n');
    text.append("  kubectl --kubeconfig ").append(state.resolve("kubeconfig")).append(" get ej,wp,pods\n");
    return text.toString();
  }

  public Map<String, String> endpoints() {
    return Map.copyOf(endpoints);
  }

  public KubernetesClient client() {
    return client;
  }

  public LocalNode node() {
    return node;
  }

  public InfraWorkerOperator operator() {
    return operator;
  }

  public LocalRedis redis() {
    return redis;
  }

  public LocalS3 s3() {
    return s3;
  }

  public LocalSqs sqs() {
    return sqs;
  }

  private <T extends AutoCloseable> T remember(T part) {
    started.push(part);
    return part;
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the parts in reverse order; every part is stopped even when another fails to. */
  @Override
  public synchronized void close() {
    while (!started.isEmpty()) {
      AutoCloseable part = started.pop();
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed: {}", part.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
