package io.infraworker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.infraworker.api.Runtime;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class OperatorConfigTest {
  private static final Map<String, String> REQUIRED = Map.of(
      "SQS_QUEUE_URL", "http://localhost:9324/000000000000/tasks",
      "S3_CODE_BUCKET", "code-bucket",
      "S3_USER_DATA_BUCKET", "user-data");

  private static OperatorConfig with(String... keyValues) {
    Map<String, String> env = new HashMap<>(REQUIRED);
    for (int i = 0; i < keyValues.length; i += 2) {
      env.put(keyValues[i], keyValues[i + 1]);
    }
    return OperatorConfig.fromMap(env);
  }

  @Test
  void everyVariableHasItsDocumentedDefault() {
    OperatorConfig config = OperatorConfig.fromMap(REQUIRED);

    assertThat(config.awsRegion()).isEqualTo("ap-northeast-2");
    assertThat(config.awsEndpointUrl()).isEmpty();
    assertThat(config.sqsQueueUrl()).isEqualTo("http://localhost:9324/000000000000/tasks");
    assertThat(config.redisHost()).isEqualTo("localhost");
    assertThat(config.redisPort()).isEqualTo(6379);
    assertThat(config.redisPassword()).isEmpty();
    assertThat(config.s3CodeBucket()).isEqualTo("code-bucket");
    assertThat(config.s3UserDataBucket()).isEqualTo("user-data");
    assertThat(config.allowedCodeBuckets()).containsExactly("code-bucket");
    assertThat(config.maxOutputSize()).isEqualTo(1_048_576L);
    assertThat(config.warmPoolSize(Runtime.PYTHON)).isEqualTo(5);
    assertThat(config.warmPoolSize(Runtime.NODEJS)).isEqualTo(2);
    assertThat(config.warmPoolSize(Runtime.CPP)).isEqualTo(2);
    assertThat(config.warmPoolSize(Runtime.GO)).isEqualTo(2);
    assertThat(config.warmPoolMemoryMb()).isEqualTo(256);
    assertThat(config.warmPoolCpu()).isEqualTo("500m");
    assertThat(config.createDefaultPools()).isTrue();
    for (Runtime runtime : Runtime.values()) {
      assertThat(config.runtimeImage(runtime))
          .isEqualTo("infra-worker/runtime-" + runtime.wireName() + ":0.1.0");
    }
    assertThat(config.agentImage()).isEqualTo("infra-worker/agent:0.1.0");
    assertThat(config.aiEndpoint()).isEmpty();
    assertThat(config.operatorNamespace()).isEqualTo("default");
    assertThat(config.watchNamespaces()).containsExactly("default");
    assertThat(config.watchesAllNamespaces()).isFalse();
    assertThat(config.maxInFlight()).isEqualTo(100);
    assertThat(config.sqsPollers()).isEqualTo(2);
    assertThat(config.sqsVisibilityTimeoutSeconds()).isEqualTo(60);
    assertThat(config.jobTtlSecondsAfterFinished()).isEqualTo(3600L);
    assertThat(config.resultTtlSeconds()).isEqualTo(3600L);
    assertThat(config.deadlineGraceSeconds()).isEqualTo(30);
    assertThat(config.coldStartAfterMs()).isEqualTo(10_000L);
    assertThat(config.maxAttempts()).isEqualTo(3);
    assertThat(config.outputUrlMode()).isEqualTo(OutputUrlMode.PRESIGNED);
    assertThat(config.presignExpirySeconds()).isEqualTo(3600L);
    assertThat(config.codeCacheMaxBytes()).isEqualTo(268_435_456L);
    assertThat(config.codeCacheTtlSeconds()).isEqualTo(600L);
    assertThat(config.leaderElectionEnabled()).isTrue();
    assertThat(config.leaderElectionLeaseName()).isEqualTo("infra-worker-leader");
    assertThat(config.metricsPort()).isEqualTo(8000);
    assertThat(config.healthPort()).isEqualTo(8001);
    assertThat(config.reconcileThreads()).isEqualTo(20);
    assertThat(config.workerId()).isEqualTo("infra-worker");
    assertThat(config.cloudWatchEnabled()).isFalse();
    assertThat(config.cloudWatchNamespace()).isEqualTo("FaaS/FunctionRunner");
    assertThat(config.obsoleteVariablesSet()).isEmpty();
  }

  @Test
  void everyValueIsReadFromItsVariable() {
    OperatorConfig config = with(
        "AWS_REGION", "us-east-1",
        "AWS_ENDPOINT_URL", "http://127.0.0.1:4566",
        "REDIS_HOST", "redis.infra",
        "REDIS_PORT", "6380",
        "REDIS_PASSWORD", "s3cret",
        "ALLOWED_CODE_BUCKETS", "code-bucket, other.bucket",
        "MAX_OUTPUT_SIZE", "2048",
        "WARM_POOL_GO_SIZE", "0",
        "WARM_POOL_MEMORY_MB", "512",
        "WARM_POOL_CPU", "1.5",
        "CREATE_DEFAULT_POOLS", "FALSE",
        "RUNTIME_IMAGE_CPP", "gcc:14",
        "AGENT_IMAGE", "ghcr.io/x/agent@sha256:abc",
        "AI_ENDPOINT", "http://ollama:11434",
        "OPERATOR_NAMESPACE", "infra",
        "WATCH_NAMESPACES", "team-a,team-b",
        "MAX_IN_FLIGHT", "7",
        "OUTPUT_URL_MODE", "plain",
        "LEADER_ELECTION_ENABLED", "False",
        "METRICS_PORT", "0",
        "HEALTH_PORT", "0",
        "WORKER_ID", "worker-1",
        "CLOUDWATCH_ENABLED", "true");

    assertThat(config.awsRegion()).isEqualTo("us-east-1");
    assertThat(config.awsEndpointUrl()).contains(URI.create("http://127.0.0.1:4566"));
    assertThat(config.redisHost()).isEqualTo("redis.infra");
    assertThat(config.redisPort()).isEqualTo(6380);
    assertThat(config.redisPassword()).contains("s3cret");
    assertThat(config.allowedCodeBuckets()).containsExactly("code-bucket", "other.bucket");
    assertThat(config.maxOutputSize()).isEqualTo(2048L);
    assertThat(config.warmPoolSize(Runtime.GO)).isZero();
    assertThat(config.warmPoolMemoryMb()).isEqualTo(512);
    assertThat(config.warmPoolCpu()).isEqualTo("1.5");
    assertThat(config.createDefaultPools()).isFalse();
    assertThat(config.runtimeImage(Runtime.CPP)).isEqualTo("gcc:14");
    assertThat(config.agentImage()).isEqualTo("ghcr.io/x/agent@sha256:abc");
    assertThat(config.aiEndpoint()).contains(URI.create("http://ollama:11434"));
    assertThat(config.operatorNamespace()).isEqualTo("infra");
    assertThat(config.watchNamespaces()).containsExactly("team-a", "team-b");
    assertThat(config.maxInFlight()).isEqualTo(7);
    assertThat(config.outputUrlMode()).isEqualTo(OutputUrlMode.PLAIN);
    assertThat(config.leaderElectionEnabled()).isFalse();
    assertThat(config.metricsPort()).isZero();
    assertThat(config.healthPort()).isZero();
    assertThat(config.workerId()).isEqualTo("worker-1");
    assertThat(config.cloudWatchEnabled()).isTrue();
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        bad("non-integer", "MAX_IN_FLIGHT", "abc", "an integer from 1 to 100000"),
        bad("decimal", "REDIS_PORT", "6379.0", "an integer from 1 to 65535"),
        bad("below range", "MAX_IN_FLIGHT", "0", "an integer from 1 to 100000"),
        bad("above range", "MAX_IN_FLIGHT", "100001", "an integer from 1 to 100000"),
        bad("above long range", "CODE_CACHE_MAX_BYTES", "17179869185", "an integer from 0 to 17179869184"),
        bad("below byte range", "MAX_OUTPUT_SIZE", "1023", "an integer from 1024 to 67108864"),
        bad("overflowing integer", "SQS_POLLERS", "99999999999999999999", "an integer from 1 to 64"),
        bad("empty integer", "MAX_ATTEMPTS", "", "an integer from 1 to 10"),
        bad("negative port", "HEALTH_PORT", "-1", "an integer from 0 to 65535 (0 picks a free port)"),
        bad("bad enum", "OUTPUT_URL_MODE", "x", "one of presigned, plain"),
        bad("bad boolean", "CREATE_DEFAULT_POOLS", "yes", "true or false"),
        bad("numeric boolean", "LEADER_ELECTION_ENABLED", "1", "true or false"),
        bad("URL without scheme", "AWS_ENDPOINT_URL", "localhost:4566",
            "an absolute http or https URL, e.g. http://localhost:9324"),
        bad("URL with other scheme", "AI_ENDPOINT", "ftp://models.local",
            "an absolute http or https URL, e.g. http://localhost:9324"),
        bad("relative URL", "SQS_QUEUE_URL", "/000000000000/tasks", "an absolute http or https URL"),
        bad("unparsable URL", "SQS_QUEUE_URL", "http://bad host/q", "an absolute http or https URL"),
        bad("upper-case bucket", "S3_CODE_BUCKET", "Code-Bucket", ConfigOptions.S3_CODE_BUCKET.accepted()),
        bad("short bucket", "S3_USER_DATA_BUCKET", "ab", ConfigOptions.S3_USER_DATA_BUCKET.accepted()),
        bad("bucket ending in a hyphen", "S3_CODE_BUCKET", "code-", ConfigOptions.S3_CODE_BUCKET.accepted()),
        bad("bad bucket in list", "ALLOWED_CODE_BUCKETS", "code-bucket,Bad_Bucket",
            ConfigOptions.ALLOWED_CODE_BUCKETS.accepted()),
        bad("empty bucket in list", "ALLOWED_CODE_BUCKETS", "code-bucket,,other",
            ConfigOptions.ALLOWED_CODE_BUCKETS.accepted()),
        bad("bad namespace", "OPERATOR_NAMESPACE", "Infra_NS", ConfigOptions.OPERATOR_NAMESPACE.accepted()),
        bad("too long namespace", "OPERATOR_NAMESPACE", "a".repeat(64), ConfigOptions.OPERATOR_NAMESPACE.accepted()),
        bad("star among namespaces", "WATCH_NAMESPACES", "*,team-a", ConfigOptions.WATCH_NAMESPACES.accepted()),
        bad("bad lease name", "LEADER_ELECTION_LEASE_NAME", "-leader",
            ConfigOptions.LEADER_ELECTION_LEASE_NAME.accepted()),
        bad("bad CPU quantity", "WARM_POOL_CPU", "half", "a Kubernetes CPU quantity greater than 0, e.g. 500m or 0.5 or 2"),
        bad("zero CPU", "WARM_POOL_CPU", "0m", "a Kubernetes CPU quantity greater than 0, e.g. 500m or 0.5 or 2"),
        bad("bad region", "AWS_REGION", "AP-NORTHEAST-2", ConfigOptions.AWS_REGION.accepted()),
        bad("image with whitespace", "RUNTIME_IMAGE_GO", "golang :1.23",
            "a non-empty container image reference without whitespace"),
        bad("empty image", "AGENT_IMAGE", "", "a non-empty container image reference without whitespace"),
        bad("reserved CloudWatch namespace", "CLOUDWATCH_NAMESPACE", "AWS/Lambda",
            ConfigOptions.CLOUDWATCH_NAMESPACE.accepted()),
        Arguments.of("missing required", "SQS_QUEUE_URL", null,
            "SQS_QUEUE_URL is required: the URL of the SQS queue to read tasks from"),
        Arguments.of("empty required", "S3_CODE_BUCKET", "",
            "S3_CODE_BUCKET is required: " + ConfigOptions.S3_CODE_BUCKET.description()));
  }

  private static Arguments bad(String kind, String variable, String value, String accepted) {
    return Arguments.of(kind, variable, value, variable + "=\"" + value + "\": expected " + accepted);
  }

  @ParameterizedTest(name = "{0}: {1}={2}")
  @MethodSource("badValues")
  void badValueStopsStartUpWithOneLineNamingVariableValueAndWhatIsAccepted(
      String kind, String variable, String value, String expectedMessage) {
    Map<String, String> env = new HashMap<>(REQUIRED);
    if (value == null) {
      env.remove(variable);
    } else {
      env.put(variable, value);
    }

    ConfigException error = catchThrowableOfType(ConfigException.class, () -> OperatorConfig.fromMap(env));

    assertThat(error).as(kind).isNotNull();
    assertThat(error.getMessage()).isEqualTo(expectedMessage).doesNotContain("\n", "\r").contains(variable);
    if (value != null && !value.isEmpty()) {
      assertThat(error.getMessage()).contains("\"" + value + "\"");
    }
    assertThat(error.variable()).isEqualTo(variable);
  }

  @Test
  void controlCharactersInABadValueAreEscapedSoTheMessageStaysOneLine() {
    assertThatThrownBy(() -> with("MAX_IN_FLIGHT", "10\n20\t\"x\""))
        .hasMessage("MAX_IN_FLIGHT=\"10\\n20\\t\\\"x\\\"\": expected an integer from 1 to 100000");
  }

  @Test
  void theFirstBadVariableInDeclarationOrderIsReported() {
    Map<String, String> env = new HashMap<>(REQUIRED);
    env.put("CLOUDWATCH_NAMESPACE", "AWS/x");
    env.put("MAX_IN_FLIGHT", "abc");
    env.put("REDIS_PORT", "0");

    assertThatThrownBy(() -> OperatorConfig.fromMap(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("REDIS_PORT=\"0\"");
  }

  @Test
  void aMissingRequiredVariableIsReportedBeforeLaterBadValues() {
    assertThatThrownBy(() -> OperatorConfig.fromMap(Map.of("MAX_IN_FLIGHT", "abc")))
        .hasMessage("SQS_QUEUE_URL is required: the URL of the SQS queue to read tasks from");
  }

  @Test
  void secretValuesAreNeverPrinted() {
    OperatorConfig config = with("REDIS_PASSWORD", "hunter2");

    assertThat(config.toString()).contains("REDIS_PASSWORD=****").doesNotContain("hunter2");
    assertThat(config.redisPassword()).contains("hunter2");
  }

  @Test
  void toStringListsEveryEffectiveValueOnOneLine() {
    String text = with("WATCH_NAMESPACES", "a,b").toString();

    assertThat(text).doesNotContain("\n");
    for (ConfigOption<?> option : ConfigOptions.all()) {
      assertThat(text).contains(option.name() + "=");
    }
    assertThat(text).contains("WATCH_NAMESPACES=a,b", "ALLOWED_CODE_BUCKETS=code-bucket",
        "AI_ENDPOINT=<unset>", "REDIS_PASSWORD=<unset>", "MAX_IN_FLIGHT=100");
  }

  @Test
  void emptyMeansUnsetOnlyWhereDeclared() {
    OperatorConfig config = with("AI_ENDPOINT", "", "AWS_ENDPOINT_URL", "", "REDIS_PASSWORD", "");

    assertThat(config.aiEndpoint()).isEmpty();
    assertThat(config.awsEndpointUrl()).isEmpty();
    assertThat(config.redisPassword()).isEmpty();
    assertThatThrownBy(() -> with("MAX_IN_FLIGHT", "")).isInstanceOf(ConfigException.class);
  }

  @Test
  void unknownVariablesAreIgnored() {
    OperatorConfig config = with("PATH", "/usr/bin", "MAX_IN_FLIGHTS", "abc", "JAVA_HOME", "");

    assertThat(config.maxInFlight()).isEqualTo(100);
  }

  @Test
  void watchNamespacesDefaultsToTheOperatorNamespace() {
    OperatorConfig config = with("OPERATOR_NAMESPACE", "infra");

    assertThat(config.watchNamespaces()).containsExactly("infra");
    assertThat(config.watchesAllNamespaces()).isFalse();
  }

  @Test
  void watchNamespacesStarMeansAllNamespaces() {
    OperatorConfig config = with("WATCH_NAMESPACES", "*");

    assertThat(config.watchesAllNamespaces()).isTrue();
    assertThat(config.watchNamespaces()).isEmpty();
  }

  @Test
  void watchNamespacesListKeepsItsOrderAndForgivesSpaces() {
    assertThat(with("WATCH_NAMESPACES", "b, a ,c").watchNamespaces()).containsExactly("b", "a", "c");
  }

  @Test
  void allowedCodeBucketsDefaultsToOnlyTheCodeBucket() {
    assertThat(with().allowedCodeBuckets()).containsExactly("code-bucket");
    assertThat(with("S3_CODE_BUCKET", "mine.code").allowedCodeBuckets()).containsExactly("mine.code");
  }

  @Test
  void allowedCodeBucketsDoesNotAddTheCodeBucketWhenSetExplicitly() {
    assertThat(with("ALLOWED_CODE_BUCKETS", "a-bucket").allowedCodeBuckets()).containsExactly("a-bucket");
  }

  @Test
  void workerIdComesFromHostname() {
    assertThat(with("HOSTNAME", "infra-worker-7d9f-abcde").workerId()).isEqualTo("infra-worker-7d9f-abcde");
    assertThat(with("HOSTNAME", "").workerId()).isEqualTo("infra-worker");
    assertThat(with().workerId()).isEqualTo("infra-worker");
    assertThat(with("HOSTNAME", "pod-1", "WORKER_ID", "explicit").workerId()).isEqualTo("explicit");
  }

  @Test
  void obsoleteVariablesAreAcceptedAndReported() {
    OperatorConfig config = with("DOCKER_WORK_DIR_ROOT", "/tmp/tasks");

    assertThat(config.obsoleteVariablesSet()).containsExactly("DOCKER_WORK_DIR_ROOT");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "0.5", "2.25", "500m", "1m", "0.1"})
  void cpuQuantitiesAboveZeroAreAccepted(String cpu) {
    assertThat(with("WARM_POOL_CPU", cpu).warmPoolCpu()).isEqualTo(cpu);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "0.0", "0m", "-1", "1.", ".5", "1Gi", "500 m", "1e3"})
  void cpuQuantitiesThatAreNotPositiveNumbersAreRejected(String cpu) {
    assertThatThrownBy(() -> with("WARM_POOL_CPU", cpu)).isInstanceOf(ConfigException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"true", "TRUE", "True", "false", "FALSE"})
  void booleansIgnoreCase(String value) {
    assertThat(with("CLOUDWATCH_ENABLED", value).cloudWatchEnabled()).isEqualTo(Boolean.parseBoolean(value));
  }

  @Test
  void allListsEveryDeclaredOptionOnceWithUniqueNames() throws IllegalAccessException {
    var declared = new java.util.ArrayList<ConfigOption<?>>();
    for (Field field : ConfigOptions.class.getDeclaredFields()) {
      if (Modifier.isPublic(field.getModifiers()) && field.getType() == ConfigOption.class) {
        declared.add((ConfigOption<?>) field.get(null));
        assertThat(((ConfigOption<?>) field.get(null)).name()).isEqualTo(field.getName());
      }
    }

    assertThat(ConfigOptions.all()).containsExactlyInAnyOrderElementsOf(declared);
    assertThat(ConfigOptions.all().stream().map(ConfigOption::name)).doesNotHaveDuplicates();
  }

  @Test
  void everyOptionIsDocumentedAndItsDefaultIsValid() {
    OperatorConfig defaults = OperatorConfig.fromMap(REQUIRED); // parses every default text
    for (ConfigOption<?> option : ConfigOptions.all()) {
      assertThat(option.description()).as(option.name()).isNotBlank().doesNotEndWith(".");
      assertThat(option.accepted()).as(option.name()).isNotBlank();
      assertThat(option.required() && option.defaultValue().isPresent()).as(option.name()).isFalse();
      if (option.defaultValue().isPresent() || option.derivedDefault().isPresent()) {
        assertThat((Object) defaults.get(option)).as(option.name()).isNotNull();
      }
    }
  }

  @Test
  void perRuntimeOptionsCoverEveryRuntime() {
    assertThat(Arrays.stream(Runtime.values()).map(r -> ConfigOptions.warmPoolSize(r).name()))
        .containsExactly("WARM_POOL_PYTHON_SIZE", "WARM_POOL_NODEJS_SIZE", "WARM_POOL_CPP_SIZE",
            "WARM_POOL_GO_SIZE");
    assertThat(Arrays.stream(Runtime.values()).map(r -> ConfigOptions.runtimeImage(r).name()))
        .containsExactly("RUNTIME_IMAGE_PYTHON", "RUNTIME_IMAGE_NODEJS", "RUNTIME_IMAGE_CPP", "RUNTIME_IMAGE_GO");
  }
}
