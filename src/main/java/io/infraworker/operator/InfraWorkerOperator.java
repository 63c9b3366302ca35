package io.infraworker.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.infraworker.api.Runtime;
import io.infraworker.api.ExecutionJobSpec;
import io.infraworker.api.WarmPool;
import io.infraworker.execution.ExecutionJobReconciler;
import io.infraworker.execution.ExecutionSettings;
import io.infraworker.execution.agent.HttpAgentClient;
import io.infraworker.execution.code.CodeCache;
import io.infraworker.execution.code.CodeFetcher;
import io.infraworker.execution.code.CodeSource;
import io.infraworker.execution.code.ZipInspector;
import io.infraworker.intake.IntakeSettings;
import io.infraworker.intake.JobCreator;
import io.infraworker.intake.PayloadValidator;
import io.infraworker.intake.SqsIntake;
import io.infraworker.metrics.WorkerMetrics;
import io.infraworker.pool.PodClaimer;
import io.infraworker.results.OutputUploader;
import io.infraworker.results.ResultPublisher;
import io.infraworker.results.S3Presigners;
import io.infraworker.tuning.AutoTuner;
import java.util.ArrayDeque;
import java.util.Deque;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;
import io.infraworker.config.OperatorConfig;
import io.infraworker.metrics.EventRecorder;
import io.infraworker.pool.DefaultPools;
import io.infraworker.pool.PodNames;
import io.infraworker.pool.SandboxPodFactory;
import io.infraworker.pool.SandboxSettings;
import io.infraworker.pool.WarmPoolReconciler;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator, wired by hand: controllers, health and metrics servers. {@code infra-worker run}
 * and the dev stack both start exactly this.
 */
public final class InfraWorkerOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InfraWorkerOperator.class);

  private final OperatorConfig config;
  private final KubernetesClient client;
  private final Clock clock;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final AtomicBoolean leader = new AtomicBoolean();
  private final Instant startedAt;
  private Runnable onLeadershipLost = () -> { };
  private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
  private S3Client s3;
  private SqsClient sqs;
  private ResultPublisher publisher;
  private WorkerMetrics metrics;
  private ExecutionJobReconciler jobs;
  private SqsIntake intake;
  private volatile boolean closing;
  private Operator operator;
  private HealthServer healthServer;
  private HTTPServer metricsServer;

  public InfraWorkerOperator(OperatorConfig config, KubernetesClient client, Clock clock) {
    this.config = config;
    this.client = client;
    this.clock = clock;
    this.startedAt = clock.instant();
  }

  /** What to do when the lease is lost while running; {@code infra-worker run} exits the process. */
  public InfraWorkerOperator onLeadershipLost(Runnable action) {
    this.onLeadershipLost = action;
    return this;
  }

  /** Starts the servers, creates the default pools and starts the controllers. */
  public synchronized InfraWorkerOperator start() throws IOException {
    config.obsoleteVariablesSet().forEach(name ->
        LOG.warn("{} is set but no longer used: sandbox pods use emptyDir volumes", name));
    LOG.info("starting infra-worker operator: {}", config);

    JvmMetrics.builder().register(registry);
    metricsServer = HTTPServer.builder().port(config.metricsPort()).registry(registry).buildAndStart();
    healthServer = new HealthServer(config.healthPort(), this::healthReport, this::isReady);

    if (config.createDefaultPools()) {
      createDefaultPools();
    }

    operator = new Operator(this::configure);
    EventRecorder events = new EventRecorder(client, clock);
    SandboxSettings sandbox = SandboxSettings.of(
        config.agentImage(), config.aiEndpoint().map(URI::toString));
    SandboxPodFactory podFactory = new SandboxPodFactory(sandbox, new PodNames(new SecureRandom()));
    registerWarmPools(podFactory, events);
    registerExecutionJobs(podFactory, events);
    operator.start();
    if (!config.leaderElectionEnabled()) {
      startIntake();
    }
    LOG.info("operator started; metrics on :{}, health on :{}", metricsServer.getPort(), healthServer.port());
    return this;
  }

  private void registerWarmPools(SandboxPodFactory podFactory, EventRecorder events) {
    operator.register(new WarmPoolReconciler(client, podFactory, events, clock), this::watchNamespaces);
  }

  private void registerExecutionJobs(SandboxPodFactory podFactory, EventRecorder events) {
    s3 = remember(AwsClients.s3(config));
    sqs = remember(AwsClients.sqs(config));
    S3Presigner presigner = remember(S3Presigners.forClient(s3));
    CodeFetcher fetcher = new CodeFetcher(s3);
    CodeSource code = new CodeSource(fetcher, new ZipInspector(), new CodeCache(config.codeCacheMaxBytes(),
        Duration.ofSeconds(config.codeCacheTtlSeconds()), fetcher));
    HttpAgentClient agent = remember(new HttpAgentClient(8, HttpAgentClient.DEFAULT_CONNECT_TIMEOUT,
        HttpAgentClient.DEFAULT_REQUEST_TIMEOUT, Duration.ofSeconds(config.deadlineGraceSeconds())));
    publisher = remember(new ResultPublisher(config.redisHost(), config.redisPort(),
        config.redisPassword().orElse(null), config.resultTtlSeconds()));
    OutputUploader uploader = new OutputUploader(s3, presigner, config.s3UserDataBucket(), config.outputUrlMode(),
        Duration.ofSeconds(config.presignExpirySeconds()));
    metrics = new WorkerMetrics(registry, ExecutionJobSpec.MAX_TIMEOUT_MS / 1000.0);
    ExecutionSettings settings = new ExecutionSettings(config.workerId(), config.maxAttempts(),
        Duration.ofMillis(config.coldStartAfterMs()), Duration.ofSeconds(config.deadlineGraceSeconds()),
        config.maxOutputSize(), Duration.ofSeconds(config.jobTtlSecondsAfterFinished()), config::runtimeImage,
        config.warmPoolCpu());
    jobs = new ExecutionJobReconciler(client, settings, podFactory, new PodClaimer(client), code, agent, publisher,
        uploader, new AutoTuner(), metrics, events, clock);
    operator.register(jobs, this::watchNamespaces);
  }

  /** Starts reading the queue: with leader election only on the leader, so one replica creates jobs. */
  private synchronized void startIntake() {
    if (intake != null || closing) {
      return;
    }
    intake = new SqsIntake(sqs, IntakeSettings.fromConfig(config), PayloadValidator.fromConfig(config),
        new JobCreator(client, config.operatorNamespace(), clock), publisher::publish, jobs::unfinishedJobs,
        metrics).start();
    LOG.info("reading tasks from {}", config.sqsQueueUrl());
  }

  private <T extends AutoCloseable> T remember(T resource) {
    closeables.push(resource);
    return resource;
  }

  private void configure(io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider o) {
    // Server-side apply is off: the primaries' status is patched with JSON merge patches and the
    // pods are created and updated with plain requests. Claims need an optimistic lock on the pod's
    // resourceVersion, which an apply does not give; and the same code must run against the mock
    // API server of tests and the dev stack, which answers apply patches with 415.
    o.withKubernetesClient(client)
        .withUseSSAToPatchPrimaryResource(false)
        .withSSABasedCreateUpdateMatchForDependentResources(false)
        .withCloseClientOnStop(false)
        .withConcurrentReconciliationThreads(config.reconcileThreads())
        .withReconciliationTerminationTimeout(Duration.ofSeconds(10));
    if (config.leaderElectionEnabled()) {
      LeaderCallbacks callbacks = new LeaderCallbacks(
          () -> {
            leader.set(true);
            LOG.info("became leader ({})", config.workerId());
            startIntake();
          },
          () -> {
            leader.set(false);
            stopIntake();
            if (!closing) {
              LOG.error("lost leadership ({}); another replica takes over", config.workerId());
              onLeadershipLost.run();
            }
          },
          newLeader -> LOG.info("leader is {}", newLeader));
      o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(
          config.leaderElectionLeaseName(),
          config.operatorNamespace(),
          LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
          LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
          LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
          config.workerId(),
          callbacks,
          // JOSDK would exit the JVM on losing the lease, also on a normal stop and inside tests;
          // the owner of this operator decides instead (infra-worker run exits, see RunCommand).
          false));
    }
  }

  private <P extends io.fabric8.kubernetes.api.model.HasMetadata> void watchNamespaces(
      ControllerConfigurationOverrider<P> o) {
    if (config.watchesAllNamespaces()) {
      o.watchingAllNamespaces();
    } else {
      o.settingNamespaces(config.watchNamespaces());
    }
  }

  private void createDefaultPools() {
    Map<Runtime, Integer> sizes = new LinkedHashMap<>();
    Arrays.stream(Runtime.values()).forEach(rt -> sizes.put(rt, config.warmPoolSize(rt)));
    new DefaultPools(client).ensure(config.operatorNamespace(), new DefaultPools.Settings(
        sizes, config::runtimeImage, config.warmPoolMemoryMb(), config.warmPoolCpu()));
  }

  private synchronized void stopIntake() {
    if (intake != null) {
      intake.close();
      intake = null;
    }
  }

  /** Ready once the controllers run with synced informers and, under leader election, while leading. */
  public boolean isReady() {
    Operator op = operator;
    if (op == null || !op.getRuntimeInfo().isStarted() || !op.getRuntimeInfo().allEventSourcesAreHealthy()) {
      return false;
    }
    return !config.leaderElectionEnabled() || leader.get();
  }

  Map<String, Object> healthReport() {
    Map<String, Object> report = new LinkedHashMap<>();
    boolean started = operator != null && operator.getRuntimeInfo().isStarted();
    report.put("status", started ? "healthy" : "starting");
    report.put("workerId", config.workerId());
    report.put("uptime", Duration.between(startedAt, clock.instant()).toSeconds());
    report.put("leader", !config.leaderElectionEnabled() || leader.get());
    report.put("pools", poolReport());
    report.put("activeJobs", jobs == null ? 0 : jobs.activeJobs());
    return report;
  }

  private Map<String, Object> poolReport() {
    Map<String, Object> pools = new LinkedHashMap<>();
    try {
      var list = config.watchesAllNamespaces()
          ? client.resources(WarmPool.class).inAnyNamespace().list().getItems()
          : config.watchNamespaces().stream()
              .flatMap(ns -> client.resources(WarmPool.class).inNamespace(ns).list().getItems().stream())
              .toList();
      for (WarmPool pool : list) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("runtime", pool.getSpec().getRuntime().wireName());
        entry.put("memoryMb", pool.getSpec().getMemoryMb());
        entry.put("desired", pool.getSpec().getReplicas());
        entry.put("ready", pool.getStatus() == null ? 0 : pool.getStatus().getReadyReplicas());
        entry.put("claimed", pool.getStatus() == null ? 0 : pool.getStatus().getClaimed());
        pools.put(pool.getMetadata().getNamespace() + "/" + pool.getMetadata().getName(), entry);
      }
    } catch (RuntimeException e) {
      pools.put("error", e.getMessage());
    }
    return pools;
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  public int healthPort() {
    return healthServer.port();
  }

  public int metricsPort() {
    return metricsServer.getPort();
  }

  /** Stops the controllers, then the servers; safe to call twice. */
  @Override
  public synchronized void close() {
    closing = true;
    stopIntake();
    if (operator != null) {
      operator.stop();
      operator = null;
    }
    while (!closeables.isEmpty()) {
      AutoCloseable resource = closeables.pop();
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
      }
    }
    if (healthServer != null) {
      healthServer.close();
      healthServer = null;
    }
    if (metricsServer != null) {
      metricsServer.close();
      metricsServer = null;
    }
    LOG.info("operator stopped");
  }

}
