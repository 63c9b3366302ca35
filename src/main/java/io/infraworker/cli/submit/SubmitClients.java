package io.infraworker.cli.submit;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The S3, SQS, Redis and cluster clients of one {@link SubmitEnvironment}, and the Submitter over them. */
public final class SubmitClients implements AutoCloseable {
  private final S3Client s3;
  private final SqsClient sqs;
  private final JobPhaseSource phases;
  private final Submitter submitter;

  private SubmitClients(S3Client s3, SqsClient sqs, JobPhaseSource phases, Submitter submitter) {
    this.s3 = s3;
    this.sqs = sqs;
    this.phases = phases;
    this.submitter = submitter;
  }

  /** Builds the clients (nothing connects yet); with {@code phases} null the KUBECONFIG decides. */
  public static SubmitClients open(SubmitEnvironment env, JobPhaseSource phases) {
    AwsCredentialsProvider credentials = credentials(env);
    Region region = Region.of(env.region());
    S3Client s3 = s3Client(env.s3Endpoint(), region, credentials);
    SqsClient sqs = sqsClient(env.sqsEndpoint(), region, credentials);
    JobPhaseSource phaseSource = phases != null ? phases
        : env.kubeconfig().map(k -> KubeJobPhases.fromKubeconfig(k, env.namespace().orElse(null)))
            .orElse(JobPhaseSource.NONE);
    RedisResults results = new RedisResults(env.redisHost(), env.redisPort(), env.redisPassword());
    return new SubmitClients(s3, sqs, phaseSource,
        new Submitter(s3, sqs, results, phaseSource, env.codeBucket(), env.queueUrl()));
  }

  public Submitter submitter() {
    return submitter;
  }

  static AwsCredentialsProvider credentials(SubmitEnvironment env) {
    return env.credentials()
        .<AwsCredentialsProvider>map(c -> StaticCredentialsProvider.create(c.sessionToken() == null
            ? AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey())
            : AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
        .orElseGet(() -> DefaultCredentialsProvider.builder().build());
  }

  static S3Client s3Client(Optional<URI> endpoint, Region region, AwsCredentialsProvider credentials) {
    var builder = S3Client.builder()
        .region(region)
        .credentialsProvider(credentials)
        .httpClient(UrlConnectionHttpClient.create());
    endpoint.ifPresent(uri -> builder
        .endpointOverride(uri)
        // Local S3s (S3Proxy, MinIO) serve buckets as paths, not as host names.
        .forcePathStyle(true)
        // and not all of them verify the SDK's default trailing checksums.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED));
    return builder.build();
  }

  static SqsClient sqsClient(Optional<URI> endpoint, Region region, AwsCredentialsProvider credentials) {
    var builder = SqsClient.builder()
        .region(region)
        .credentialsProvider(credentials)
        .httpClient(UrlConnectionHttpClient.create());
    endpoint.ifPresent(builder::endpointOverride);
    return builder.build();
  }

  @Override
  public void close() {
    s3.close();
    sqs.close();
    if (phases instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception ignored) {
        // closing a cluster client that never connected has nothing to report
      }
    }
  }
}
