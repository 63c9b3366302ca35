package io.infraworker.dev;

/**
 * The dummy AWS credentials of the dev stack; its SQS and S3 check signatures against them, so
 * clients sign requests exactly as they would for AWS.
 */
public record DevCredentials(String accessKeyId, String secretAccessKey) {
  public static final DevCredentials DEFAULT = new DevCredentials("infraworker", "infraworker-dev-secret");
}
