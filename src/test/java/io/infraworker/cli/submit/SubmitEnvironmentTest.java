package io.infraworker.cli.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SubmitEnvironmentTest {
  private static Map<String, String> minimal() {
    Map<String, String> env = new HashMap<>();
    env.put("SQS_QUEUE_URL", "https://sqs.ap-northeast-2.amazonaws.com/1/tasks");
    env.put("S3_CODE_BUCKET", "code");
    return env;
  }

  @Test
  void realAwsNeedsOnlyTheQueueAndTheBucketAndUsesTheOriginalDefaults() throws Exception {
    SubmitEnvironment env = SubmitEnvironment.from(minimal());
    assertThat(env.region()).isEqualTo("ap-northeast-2");
    assertThat(env.sqsEndpoint()).isEmpty();
    assertThat(env.s3Endpoint()).isEmpty();
    assertThat(env.credentials()).isEmpty();
    assertThat(env.redisHost()).isEqualTo("localhost");
    assertThat(env.redisPort()).isEqualTo(6379);
    assertThat(env.kubeconfig()).isEmpty();
  }

  @Test
  void serviceEndpointsFallBackToTheCommonOne() throws Exception {
    Map<String, String> values = minimal();
    values.put("AWS_ENDPOINT_URL", "http://127.0.0.1:9000");
    values.put("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9324");
    SubmitEnvironment env = SubmitEnvironment.from(values);
    assertThat(env.sqsEndpoint()).contains(URI.create("http://127.0.0.1:9324"));
    assertThat(env.s3Endpoint()).contains(URI.create("http://127.0.0.1:9000"));
  }

  @Test
  void credentialsComeFromTheValuesWhenBothAreThere() throws Exception {
    Map<String, String> values = minimal();
    values.put("AWS_ACCESS_KEY_ID", "id");
    values.put("AWS_SECRET_ACCESS_KEY", "secret");
    SubmitEnvironment env = SubmitEnvironment.from(values);
    assertThat(env.credentials()).contains(new SubmitEnvironment.Credentials("id", "secret", null));
    assertThat(env.toString()).doesNotContain("secret");
    values.remove("AWS_SECRET_ACCESS_KEY");
    assertThatThrownBy(() -> SubmitEnvironment.from(values)).hasMessageStartingWith("AWS_SECRET_ACCESS_KEY is required");
  }

  @Test
  void eachMissingOrBadValueIsNamed() {
    Map<String, String> noQueue = minimal();
    noQueue.remove("SQS_QUEUE_URL");
    assertThatThrownBy(() -> SubmitEnvironment.from(noQueue)).hasMessageStartingWith("SQS_QUEUE_URL is required");
    Map<String, String> blankBucket = minimal();
    blankBucket.put("S3_CODE_BUCKET", " ");
    assertThatThrownBy(() -> SubmitEnvironment.from(blankBucket)).hasMessageStartingWith("S3_CODE_BUCKET is required");
    Map<String, String> badPort = minimal();
    badPort.put("REDIS_PORT", "redis");
    assertThatThrownBy(() -> SubmitEnvironment.from(badPort)).hasMessageContaining("REDIS_PORT");
    Map<String, String> badEndpoint = minimal();
    badEndpoint.put("AWS_ENDPOINT_URL_S3", "localhost:9000");
    assertThatThrownBy(() -> SubmitEnvironment.from(badEndpoint))
        .isInstanceOf(SubmitException.class).hasMessageContaining("AWS_ENDPOINT_URL_S3");
  }

  @Test
  void aKubeconfigThatDoesNotExistIsIgnored() throws Exception {
    Map<String, String> values = minimal();
    values.put("KUBECONFIG", "/nonexistent/kubeconfig");
    assertThat(SubmitEnvironment.from(values).kubeconfig()).isEqualTo(Optional.empty());
  }
}
