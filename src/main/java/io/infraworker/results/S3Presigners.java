package io.infraworker.results;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Builds a presigner that signs URLs for the same endpoint, region and credentials as an S3 client. */
public final class S3Presigners {
  private S3Presigners() {}

  /**
   * A presigner matching {@code s3}; with an endpoint override (MinIO, S3Proxy, LocalStack) it signs
   * path-style URLs, since such servers rarely have a DNS name per bucket. The caller closes it.
   */
  public static S3Presigner forClient(S3Client s3) {
    var config = s3.serviceClientConfiguration();
    S3Presigner.Builder builder = S3Presigner.builder()
        .region(config.region())
        .credentialsProvider(config.credentialsProvider());
    config.endpointOverride().ifPresent(endpoint -> builder
        .endpointOverride(endpoint)
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()));
    return builder.build();
  }
}
