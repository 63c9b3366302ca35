package io.infraworker.dev;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The dummy AWS credentials of the dev stack; its SQS and S3 check signatures against them, so
 * clients sign requests exactly as they would for AWS.
 */
public record DevCredentials(String accessKeyId, String secretAccessKey) {
  public static final DevCredentials DEFAULT = new DevCredentials("infraworker", "infraworker-dev-secret");

  /** These credentials for an AWS SDK client. */
  public AwsCredentialsProvider provider() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
  }
}
