package io.infraworker.config;

import static io.infraworker.config.ConfigOptions.*;

import io.infraworker.api.Runtime;
import java.net.URI;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/** The operator's configuration, parsed and checked once from environment variables; immutable. */
public final class OperatorConfig {
  private static final String HOSTNAME = "HOSTNAME";
  private static final String FALLBACK_WORKER_ID = "infra-worker";
  private static final String ALL_NAMESPACES = "*";

  // Effective values (defaults and derived defaults applied); null only for unset optional options.
  private final Map<ConfigOption<?>, Object> values;
  private final Set<String> obsoleteVariablesSet;

  private OperatorConfig(Map<ConfigOption<?>, Object> values, Set<String> obsoleteVariablesSet) {
    this.values = Collections.unmodifiableMap(values);
    this.obsoleteVariablesSet = Collections.unmodifiableSet(obsoleteVariablesSet);
  }

  /** The configuration from this process's environment. */
  public static OperatorConfig fromEnv() {
    return fromMap(System.getenv());
  }

  /**
   * The configuration from {@code env}; variables it does not know are ignored.
   *
   * @throws ConfigException on the first missing or bad variable, in {@link ConfigOptions#all()} order
   */
  public static OperatorConfig fromMap(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    Map<ConfigOption<?>, Object> values = new LinkedHashMap<>();
    for (ConfigOption<?> option : ConfigOptions.all()) {
      values.put(option, option.read(env).orElse(null));
    }
    // putIfAbsent also replaces a null, i.e. an option that was not set.
    values.putIfAbsent(ALLOWED_CODE_BUCKETS, Set.of((String) values.get(S3_CODE_BUCKET)));
    values.putIfAbsent(WATCH_NAMESPACES, Set.of((String) values.get(OPERATOR_NAMESPACE)));
    values.putIfAbsent(WORKER_ID, workerIdFromHostname(env.get(HOSTNAME)));

    Set<String> obsolete = new LinkedHashSet<>();
    for (String name : ConfigOptions.obsoleteVariables().keySet()) {
      if (env.containsKey(name)) {
        obsolete.add(name);
      }
    }
    return new OperatorConfig(values, obsolete);
  }

  // HOSTNAME is the pod name in Kubernetes, which makes results traceable to the operator replica.
  private static String workerIdFromHostname(String hostname) {
    return hostname == null || hostname.isBlank() ? FALLBACK_WORKER_ID : hostname.strip();
  }

  public String awsRegion() {
    return get(AWS_REGION);
  }

  public Optional<URI> awsEndpointUrl() {
    return Optional.ofNullable(get(AWS_ENDPOINT_URL));
  }

  public Optional<URI> awsEndpointUrlSqs() {
    return Optional.ofNullable(get(AWS_ENDPOINT_URL_SQS));
  }

  public Optional<URI> awsEndpointUrlS3() {
    return Optional.ofNullable(get(AWS_ENDPOINT_URL_S3));
  }

  public Optional<String> awsAccessKeyId() {
    return Optional.ofNullable(get(AWS_ACCESS_KEY_ID));
  }

  public Optional<String> awsSecretAccessKey() {
    return Optional.ofNullable(get(AWS_SECRET_ACCESS_KEY));
  }

  public String sqsQueueUrl() {
    return get(SQS_QUEUE_URL);
  }

  public String redisHost() {
    return get(REDIS_HOST);
  }

  public int redisPort() {
    return get(REDIS_PORT);
  }

  public Optional<String> redisPassword() {
    return Optional.ofNullable(get(REDIS_PASSWORD));
  }

  public String s3CodeBucket() {
    return get(S3_CODE_BUCKET);
  }

  public String s3UserDataBucket() {
    return get(S3_USER_DATA_BUCKET);
  }

  /** Buckets a task may take its code from, in the order given. */
  public Set<String> allowedCodeBuckets() {
    return get(ALLOWED_CODE_BUCKETS);
  }

  public long maxOutputSize() {
    return get(MAX_OUTPUT_SIZE);
  }

  public int warmPoolSize(Runtime runtime) {
    return get(ConfigOptions.warmPoolSize(runtime));
  }

  public int warmPoolMemoryMb() {
    return get(WARM_POOL_MEMORY_MB);
  }

  /** A Kubernetes CPU quantity such as {@code 500m}, ready for {@code new Quantity(...)}. */
  public String warmPoolCpu() {
    return get(WARM_POOL_CPU);
  }

  public boolean createDefaultPools() {
    return get(CREATE_DEFAULT_POOLS);
  }

  public String runtimeImage(Runtime runtime) {
    return get(ConfigOptions.runtimeImage(runtime));
  }

  public String agentImage() {
    return get(AGENT_IMAGE);
  }

  public Optional<URI> aiEndpoint() {
    return Optional.ofNullable(get(AI_ENDPOINT));
  }

  public String operatorNamespace() {
    return get(OPERATOR_NAMESPACE);
  }

  /** The namespaces to watch; empty when {@link #watchesAllNamespaces()} (check that first). */
  public Set<String> watchNamespaces() {
    return watchesAllNamespaces() ? Set.of() : get(WATCH_NAMESPACES);
  }

  public boolean watchesAllNamespaces() {
    return get(WATCH_NAMESPACES).contains(ALL_NAMESPACES);
  }

  public int maxInFlight() {
    return get(MAX_IN_FLIGHT);
  }

  public int sqsPollers() {
    return get(SQS_POLLERS);
  }

  public int sqsVisibilityTimeoutSeconds() {
    return get(SQS_VISIBILITY_TIMEOUT_SECONDS);
  }

  public long jobTtlSecondsAfterFinished() {
    return get(JOB_TTL_SECONDS_AFTER_FINISHED);
  }

  public long resultTtlSeconds() {
    return get(RESULT_TTL_SECONDS);
  }

  public int deadlineGraceSeconds() {
    return get(DEADLINE_GRACE_SECONDS);
  }

  public long coldStartAfterMs() {
    return get(COLD_START_AFTER_MS);
  }

  public int maxAttempts() {
    return get(MAX_ATTEMPTS);
  }

  public OutputUrlMode outputUrlMode() {
    return get(OUTPUT_URL_MODE);
  }

  public long presignExpirySeconds() {
    return get(PRESIGN_EXPIRY_SECONDS);
  }

  public long codeCacheMaxBytes() {
    return get(CODE_CACHE_MAX_BYTES);
  }

  public long codeCacheTtlSeconds() {
    return get(CODE_CACHE_TTL_SECONDS);
  }

  public boolean leaderElectionEnabled() {
    return get(LEADER_ELECTION_ENABLED);
  }

  public String leaderElectionLeaseName() {
    return get(LEADER_ELECTION_LEASE_NAME);
  }

  /** The metrics port; 0 means any free port. */
  public int metricsPort() {
    return get(METRICS_PORT);
  }

  /** The health port; 0 means any free port. */
  public int healthPort() {
    return get(HEALTH_PORT);
  }

  public int reconcileThreads() {
    return get(RECONCILE_THREADS);
  }

  public String workerId() {
    return get(WORKER_ID);
  }

  public boolean cloudWatchEnabled() {
    return get(CLOUDWATCH_ENABLED);
  }

  public String cloudWatchNamespace() {
    return get(CLOUDWATCH_NAMESPACE);
  }

  /** Names of obsolete variables present in the environment, so start-up can warn that they are ignored. */
  public Set<String> obsoleteVariablesSet() {
    return obsoleteVariablesSet;
  }

  /** The value of any option, e.g. for generic tooling; typed getters are the usual way in. */
  @SuppressWarnings("unchecked")
  public <T> T get(ConfigOption<T> option) {
    if (!values.containsKey(option)) {
      throw new IllegalArgumentException(option.name() + " is not one of ConfigOptions.all()");
    }
    return (T) values.get(option);
  }

  /** Every effective value on one line, {@code REDIS_PASSWORD} masked, for the start-up log. */
  @Override
  public String toString() {
    StringJoiner out = new StringJoiner(", ", "OperatorConfig{", "}");
    values.forEach((option, value) -> out.add(option.name() + "=" + option.display(displayable(value))));
    return out.toString();
  }

  private static Object displayable(Object value) {
    return value instanceof Collection<?> items ? String.join(",", items.stream().map(String::valueOf).toList()) : value;
  }
}
