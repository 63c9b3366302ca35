package io.infraworker.operator;

import io.infraworker.config.OperatorConfig;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Builds the AWS SDK clients from the configuration: region, endpoint overrides and credentials. */
public final class AwsClients {
  private AwsClients() {}

  public static SqsClient sqs(OperatorConfig config) {
    var builder = SqsClient.builder()
        .region(Region.of(config.awsRegion()))
        .credentialsProvider(credentials(config))
        .httpClient(UrlConnectionHttpClient.create());
    sqsEndpoint(config).ifPresent(builder::endpointOverride);
    return builder.build();
  }

  public static S3Client s3(OperatorConfig config) {
    var builder = S3Client.builder()
        .region(Region.of(config.awsRegion()))
        .credentialsProvider(credentials(config))
        .httpClient(UrlConnectionHttpClient.create());
    Optional<URI> endpoint = config.awsEndpointUrlS3().or(config::awsEndpointUrl);
    endpoint.ifPresent(uri -> builder.endpointOverride(uri).forcePathStyle(true));
    return builder.build();
  }

  /**
   * SQS's endpoint: its own variable, else the queue URL's origin when the queue is not on AWS (a
   * local ElasticMQ names its endpoint in the queue URL), else the general override.
   */
  static Optional<URI> sqsEndpoint(OperatorConfig config) {
    if (config.awsEndpointUrlSqs().isPresent()) {
      return config.awsEndpointUrlSqs();
    }
    URI queue = URI.create(config.sqsQueueUrl());
    if (queue.getHost() != null && !queue.getHost().endsWith(".amazonaws.com")) {
      return Optional.of(URI.create(queue.getScheme() + "://" + queue.getAuthority()));
    }
    return config.awsEndpointUrl();
  }

  static AwsCredentialsProvider credentials(OperatorConfig config) {
    if (config.awsAccessKeyId().isPresent() && config.awsSecretAccessKey().isPresent()) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(config.awsAccessKeyId().get(), config.awsSecretAccessKey().get()));
    }
    return DefaultCredentialsProvider.builder().build();
  }
}
