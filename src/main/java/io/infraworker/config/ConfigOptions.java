package io.infraworker.config;

import static io.infraworker.config.ValueTypes.anyText;
import static io.infraworker.config.ValueTypes.awsRegion;
import static io.infraworker.config.ValueTypes.bool;
import static io.infraworker.config.ValueTypes.bucketName;
import static io.infraworker.config.ValueTypes.bucketNames;
import static io.infraworker.config.ValueTypes.cloudWatchNamespace;
import static io.infraworker.config.ValueTypes.cpuQuantity;
import static io.infraworker.config.ValueTypes.dnsLabel;
import static io.infraworker.config.ValueTypes.dnsSubdomain;
import static io.infraworker.config.ValueTypes.httpUrl;
import static io.infraworker.config.ValueTypes.httpUrlText;
import static io.infraworker.config.ValueTypes.intRange;
import static io.infraworker.config.ValueTypes.listenPort;
import static io.infraworker.config.ValueTypes.longRange;
import static io.infraworker.config.ValueTypes.namespaces;
import static io.infraworker.config.ValueTypes.oneOf;
import static io.infraworker.config.ValueTypes.token;

import io.infraworker.api.Runtime;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every environment variable the operator reads, in the order they are checked; the README table is
 * generated from {@link #all()}.
 */
public final class ConfigOptions {
  private ConfigOptions() {}

  // --- The original worker's variables, same names and defaults ---

  public static final ConfigOption<String> AWS_REGION = ConfigOption.of("AWS_REGION", awsRegion(),
      "AWS region of the SQS queue, the S3 buckets and CloudWatch")
      .withDefault("ap-northeast-2");

  public static final ConfigOption<URI> AWS_ENDPOINT_URL = ConfigOption.of("AWS_ENDPOINT_URL", httpUrl(),
      "endpoint for S3, SQS and CloudWatch instead of AWS's own (the dev stack's local services)")
      .withEmptyMeaningUnset();

  public static final ConfigOption<URI> AWS_ENDPOINT_URL_SQS = ConfigOption.of("AWS_ENDPOINT_URL_SQS", httpUrl(),
      "endpoint for SQS only, over AWS_ENDPOINT_URL (the AWS SDKs' service-specific variable); when unset and"
          + " SQS_QUEUE_URL is not on amazonaws.com, the queue URL's scheme, host and port")
      .withEmptyMeaningUnset();

  public static final ConfigOption<URI> AWS_ENDPOINT_URL_S3 = ConfigOption.of("AWS_ENDPOINT_URL_S3", httpUrl(),
      "endpoint for S3 only, over AWS_ENDPOINT_URL; an endpoint override makes S3 requests path-style")
      .withEmptyMeaningUnset();

  public static final ConfigOption<String> AWS_ACCESS_KEY_ID = ConfigOption.of("AWS_ACCESS_KEY_ID", anyText(),
      "AWS access key; with AWS_SECRET_ACCESS_KEY it replaces the SDK's default credential chain"
          + " (instance roles, profiles, web identity)")
      .withEmptyMeaningUnset();

  // Never shown: error messages and toString() print **** instead.
  public static final ConfigOption<String> AWS_SECRET_ACCESS_KEY = ConfigOption.of("AWS_SECRET_ACCESS_KEY",
      anyText(), "AWS secret key, read with AWS_ACCESS_KEY_ID")
      .withEmptyMeaningUnset()
      .asSecret();

  public static final ConfigOption<String> SQS_QUEUE_URL = ConfigOption.of("SQS_QUEUE_URL", httpUrlText(),
      "the URL of the SQS queue to read tasks from")
      .asRequired();

  public static final ConfigOption<String> REDIS_HOST = ConfigOption.of("REDIS_HOST", token("host name"),
      "Redis host that receives results (result:{requestId}, job:{requestId}) and tuning history")
      .withDefault("localhost");

  public static final ConfigOption<Integer> REDIS_PORT = ConfigOption.of("REDIS_PORT", intRange(1, 65535),
      "Redis port")
      .withDefault("6379");

  // Never shown: error messages and toString() print **** instead.
  public static final ConfigOption<String> REDIS_PASSWORD = ConfigOption.of("REDIS_PASSWORD", anyText(),
      "Redis password (AUTH); unset means no authentication")
      .withEmptyMeaningUnset()
      .asSecret();

  public static final ConfigOption<String> S3_CODE_BUCKET = ConfigOption.of("S3_CODE_BUCKET", bucketName(),
      "S3 bucket holding the functions' code zips")
      .asRequired();

  public static final ConfigOption<String> S3_USER_DATA_BUCKET = ConfigOption.of("S3_USER_DATA_BUCKET",
      bucketName(), "S3 bucket that receives output files under outputs/{requestId}/")
      .asRequired();

  public static final ConfigOption<Set<String>> ALLOWED_CODE_BUCKETS = ConfigOption.of("ALLOWED_CODE_BUCKETS",
      bucketNames(), "buckets a task's s3Bucket may name; a task naming another bucket fails")
      .withDerivedDefault("the value of `S3_CODE_BUCKET`");

  public static final ConfigOption<Long> MAX_OUTPUT_SIZE = ConfigOption.of("MAX_OUTPUT_SIZE",
      longRange(1024, 64L * 1024 * 1024), "bytes of stdout and of stderr kept per job; the rest is cut off")
      .withDefault("1048576");

  public static final ConfigOption<Integer> WARM_POOL_PYTHON_SIZE = newWarmPoolSize(Runtime.PYTHON, 5);
  public static final ConfigOption<Integer> WARM_POOL_NODEJS_SIZE = newWarmPoolSize(Runtime.NODEJS, 2);
  public static final ConfigOption<Integer> WARM_POOL_CPP_SIZE = newWarmPoolSize(Runtime.CPP, 2);
  public static final ConfigOption<Integer> WARM_POOL_GO_SIZE = newWarmPoolSize(Runtime.GO, 2);

  public static final ConfigOption<Integer> WARM_POOL_MEMORY_MB = ConfigOption.of("WARM_POOL_MEMORY_MB",
      intRange(64, 10240), "memory limit in MiB of the default warm pools' pods")
      .withDefault("256");

  public static final ConfigOption<String> WARM_POOL_CPU = ConfigOption.of("WARM_POOL_CPU", cpuQuantity(),
      "CPU limit of the default warm pools' pods")
      .withDefault("500m");

  public static final ConfigOption<Boolean> CREATE_DEFAULT_POOLS = ConfigOption.of("CREATE_DEFAULT_POOLS",
      bool(), "create one WarmPool per runtime at start when it does not exist (existing pools are left alone)")
      .withDefault("true");

  public static final ConfigOption<String> RUNTIME_IMAGE_PYTHON = newRuntimeImage(Runtime.PYTHON);
  public static final ConfigOption<String> RUNTIME_IMAGE_NODEJS = newRuntimeImage(Runtime.NODEJS);
  public static final ConfigOption<String> RUNTIME_IMAGE_CPP = newRuntimeImage(Runtime.CPP);
  public static final ConfigOption<String> RUNTIME_IMAGE_GO = newRuntimeImage(Runtime.GO);

  public static final ConfigOption<String> AGENT_IMAGE = ConfigOption.of("AGENT_IMAGE",
      token("container image reference"),
      "image whose init container copies the agent binary into every pool pod")
      .withDefault("infra-worker/agent:0.1.0");

  public static final ConfigOption<URI> AI_ENDPOINT = ConfigOption.of("AI_ENDPOINT", httpUrl(),
      "Ollama-compatible AI endpoint passed to user code as AI_ENDPOINT; unset means none")
      .withEmptyMeaningUnset();

  // --- This operator's own ---

  public static final ConfigOption<String> OPERATOR_NAMESPACE = ConfigOption.of("OPERATOR_NAMESPACE",
      dnsLabel(), "namespace the operator runs in; ExecutionJobs and default pools are created here")
      .withDefault("default");

  public static final ConfigOption<Set<String>> WATCH_NAMESPACES = ConfigOption.of("WATCH_NAMESPACES",
      namespaces(), "namespaces whose ExecutionJobs, WarmPools and pods are reconciled; * means all")
      .withDerivedDefault("the value of `OPERATOR_NAMESPACE`");

  public static final ConfigOption<Integer> MAX_IN_FLIGHT = ConfigOption.of("MAX_IN_FLIGHT",
      intRange(1, 100_000), "unfinished jobs at which SQS polling pauses (backpressure)")
      .withDefault("100");

  public static final ConfigOption<Integer> SQS_POLLERS = ConfigOption.of("SQS_POLLERS", intRange(1, 64),
      "concurrent SQS long-poll loops")
      .withDefault("2");

  public static final ConfigOption<Integer> SQS_VISIBILITY_TIMEOUT_SECONDS = ConfigOption.of(
      "SQS_VISIBILITY_TIMEOUT_SECONDS", intRange(0, 43_200),
      "visibility timeout asked for on receive: how long a message stays hidden before redelivery")
      .withDefault("60");

  public static final ConfigOption<Long> JOB_TTL_SECONDS_AFTER_FINISHED = ConfigOption.of(
      "JOB_TTL_SECONDS_AFTER_FINISHED", longRange(0, 31_536_000),
      "seconds a finished ExecutionJob is kept before it is deleted")
      .withDefault("3600");

  public static final ConfigOption<Long> RESULT_TTL_SECONDS = ConfigOption.of("RESULT_TTL_SECONDS",
      longRange(1, 31_536_000), "TTL in seconds of the Redis key job:{requestId} holding the result")
      .withDefault("3600");

  public static final ConfigOption<Integer> DEADLINE_GRACE_SECONDS = ConfigOption.of("DEADLINE_GRACE_SECONDS",
      intRange(0, 3600), "seconds added to a job's timeout for the operator's call and the pod's deadline")
      .withDefault("30");

  public static final ConfigOption<Long> COLD_START_AFTER_MS = ConfigOption.of("COLD_START_AFTER_MS",
      longRange(0, 3_600_000), "milliseconds a job waits for a standby pod before a dedicated pod is created")
      .withDefault("10000");

  public static final ConfigOption<Integer> MAX_ATTEMPTS = ConfigOption.of("MAX_ATTEMPTS", intRange(1, 10),
      "runs of a job on a fresh pod when its pod is lost, before it fails")
      .withDefault("3");

  public static final ConfigOption<OutputUrlMode> OUTPUT_URL_MODE = ConfigOption.of("OUTPUT_URL_MODE",
      oneOf(OutputUrlMode.class), "URLs of output files in results: presigned GET URLs or plain object URLs")
      .withDefault("presigned");

  public static final ConfigOption<Long> PRESIGN_EXPIRY_SECONDS = ConfigOption.of("PRESIGN_EXPIRY_SECONDS",
      longRange(1, 604_800), "seconds a presigned output URL stays valid")
      .withDefault("3600");

  public static final ConfigOption<Long> CODE_CACHE_MAX_BYTES = ConfigOption.of("CODE_CACHE_MAX_BYTES",
      longRange(0, 16L * 1024 * 1024 * 1024), "bytes of code zips cached in memory; 0 turns the cache off")
      .withDefault("268435456");

  public static final ConfigOption<Long> CODE_CACHE_TTL_SECONDS = ConfigOption.of("CODE_CACHE_TTL_SECONDS",
      longRange(0, 86_400), "seconds a cached code zip is reused before it is fetched again")
      .withDefault("600");

  public static final ConfigOption<Boolean> LEADER_ELECTION_ENABLED = ConfigOption.of("LEADER_ELECTION_ENABLED",
      bool(), "elect a leader through a Lease so that only one replica reconciles and polls")
      .withDefault("true");

  public static final ConfigOption<String> LEADER_ELECTION_LEASE_NAME = ConfigOption.of(
      "LEADER_ELECTION_LEASE_NAME", dnsSubdomain(), "name of the leader-election Lease in the operator namespace")
      .withDefault("infra-worker-leader");

  public static final ConfigOption<Integer> METRICS_PORT = ConfigOption.of("METRICS_PORT", listenPort(),
      "port of the Prometheus /metrics endpoint")
      .withDefault("8000");

  public static final ConfigOption<Integer> HEALTH_PORT = ConfigOption.of("HEALTH_PORT", listenPort(),
      "port of /health, /healthz and /readyz")
      .withDefault("8001");

  public static final ConfigOption<Integer> RECONCILE_THREADS = ConfigOption.of("RECONCILE_THREADS",
      intRange(1, 1000), "threads that run reconciles")
      .withDefault("20");

  public static final ConfigOption<String> WORKER_ID = ConfigOption.of("WORKER_ID", token("identifier"),
      "the workerId field of every result")
      .withDerivedDefault("the value of `HOSTNAME` (the pod name), else `infra-worker`");

  public static final ConfigOption<Boolean> CLOUDWATCH_ENABLED = ConfigOption.of("CLOUDWATCH_ENABLED", bool(),
      "send each job's PeakMemoryBytes to CloudWatch")
      .withDefault("false");

  public static final ConfigOption<String> CLOUDWATCH_NAMESPACE = ConfigOption.of("CLOUDWATCH_NAMESPACE",
      cloudWatchNamespace(), "CloudWatch namespace of the PeakMemoryBytes metric")
      .withDefault("FaaS/FunctionRunner");

  // The table, the checks and toString() all follow this order; new options must be added here too
  // (a test compares it with the constants above).
  private static final List<ConfigOption<?>> ALL = List.of(
      AWS_REGION, AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL_S3,
      AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, SQS_QUEUE_URL,
      REDIS_HOST, REDIS_PORT, REDIS_PASSWORD,
      S3_CODE_BUCKET, S3_USER_DATA_BUCKET, ALLOWED_CODE_BUCKETS,
      MAX_OUTPUT_SIZE,
      WARM_POOL_PYTHON_SIZE, WARM_POOL_NODEJS_SIZE, WARM_POOL_CPP_SIZE, WARM_POOL_GO_SIZE,
      WARM_POOL_MEMORY_MB, WARM_POOL_CPU, CREATE_DEFAULT_POOLS,
      RUNTIME_IMAGE_PYTHON, RUNTIME_IMAGE_NODEJS, RUNTIME_IMAGE_CPP, RUNTIME_IMAGE_GO, AGENT_IMAGE,
      AI_ENDPOINT,
      OPERATOR_NAMESPACE, WATCH_NAMESPACES,
      MAX_IN_FLIGHT, SQS_POLLERS, SQS_VISIBILITY_TIMEOUT_SECONDS,
      JOB_TTL_SECONDS_AFTER_FINISHED, RESULT_TTL_SECONDS,
      DEADLINE_GRACE_SECONDS, COLD_START_AFTER_MS, MAX_ATTEMPTS,
      OUTPUT_URL_MODE, PRESIGN_EXPIRY_SECONDS,
      CODE_CACHE_MAX_BYTES, CODE_CACHE_TTL_SECONDS,
      LEADER_ELECTION_ENABLED, LEADER_ELECTION_LEASE_NAME,
      METRICS_PORT, HEALTH_PORT, RECONCILE_THREADS,
      WORKER_ID, CLOUDWATCH_ENABLED, CLOUDWATCH_NAMESPACE);

  private static final Map<String, String> OBSOLETE = obsolete();

  /** Every option in declaration order, which is also the order they are checked in. */
  public static List<ConfigOption<?>> all() {
    return ALL;
  }

  /** Variables of the original worker that are accepted and ignored, each with the reason. */
  public static Map<String, String> obsoleteVariables() {
    return OBSOLETE;
  }

  /** The {@code WARM_POOL_<RUNTIME>_SIZE} option of a runtime. */
  public static ConfigOption<Integer> warmPoolSize(Runtime runtime) {
    return switch (runtime) {
      case PYTHON -> WARM_POOL_PYTHON_SIZE;
      case NODEJS -> WARM_POOL_NODEJS_SIZE;
      case CPP -> WARM_POOL_CPP_SIZE;
      case GO -> WARM_POOL_GO_SIZE;
    };
  }

  /** The {@code RUNTIME_IMAGE_<RUNTIME>} option of a runtime. */
  public static ConfigOption<String> runtimeImage(Runtime runtime) {
    return switch (runtime) {
      case PYTHON -> RUNTIME_IMAGE_PYTHON;
      case NODEJS -> RUNTIME_IMAGE_NODEJS;
      case CPP -> RUNTIME_IMAGE_CPP;
      case GO -> RUNTIME_IMAGE_GO;
    };
  }

  private static ConfigOption<Integer> newWarmPoolSize(Runtime runtime, int defaultSize) {
    return ConfigOption.of("WARM_POOL_" + runtime.envName() + "_SIZE", intRange(0, 1000),
        "standby pods of the default " + runtime.wireName() + " pool")
        .withDefault(Integer.toString(defaultSize));
  }

  private static ConfigOption<String> newRuntimeImage(Runtime runtime) {
    return ConfigOption.of("RUNTIME_IMAGE_" + runtime.envName(), token("container image reference"),
        "image of the default " + runtime.wireName() + " pool's pods")
        .withDefault("infra-worker/runtime-" + runtime.wireName() + ":0.1.0");
  }

  private static Map<String, String> obsolete() {
    Map<String, String> obsolete = new LinkedHashMap<>();
    obsolete.put("DOCKER_WORK_DIR_ROOT",
        "the original worker's Docker work directory; pods use emptyDir volumes instead");
    return Collections.unmodifiableMap(obsolete);
  }
}
