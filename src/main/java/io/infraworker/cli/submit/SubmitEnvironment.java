package io.infraworker.cli.submit;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a submission goes: queue, code bucket, Redis and (optionally) the cluster, read from the
 * variables of a dev.env file or of the process environment, with the operator's names and defaults.
 *
 * @param queueUrl SQS_QUEUE_URL
 * @param codeBucket S3_CODE_BUCKET
 * @param region AWS_REGION (default ap-northeast-2, as the original worker)
 * @param sqsEndpoint AWS_ENDPOINT_URL_SQS, else AWS_ENDPOINT_URL; empty means AWS itself
 * @param s3Endpoint AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL; empty means AWS itself
 * @param credentials AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; empty means the SDK's default chain
 * @param redisHost REDIS_HOST (default localhost)
 * @param redisPort REDIS_PORT (default 6379)
 * @param redisPassword REDIS_PASSWORD, or null
 * @param kubeconfig KUBECONFIG (first existing file), for the running state; empty means none
 * @param namespace OPERATOR_NAMESPACE, where the operator creates ExecutionJobs; empty means the kubeconfig's
 */
public record SubmitEnvironment(
    String queueUrl,
    String codeBucket,
    String region,
    Optional<URI> sqsEndpoint,
    Optional<URI> s3Endpoint,
    Optional<Credentials> credentials,
    String redisHost,
    int redisPort,
    String redisPassword,
    Optional<Path> kubeconfig,
    Optional<String> namespace) {

  public static final String DEFAULT_REGION = "ap-northeast-2";

  /**
   * Static AWS credentials.
   *
   * @param sessionToken AWS_SESSION_TOKEN, or null
   */
  public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
    @Override
    public String toString() {
      return "Credentials[" + accessKeyId + ", ****]";
    }
  }

  /** Reads and checks the variables; the first problem is reported naming its variable. */
  public static SubmitEnvironment from(Map<String, String> env) throws SubmitException {
    String queueUrl = required(env, "SQS_QUEUE_URL", "the URL of the SQS queue the operator reads");
    httpUrl("SQS_QUEUE_URL", queueUrl);
    String codeBucket = required(env, "S3_CODE_BUCKET", "the S3 bucket that receives code zips");
    Optional<URI> commonUrl = endpoint(env, "AWS_ENDPOINT_URL");
    Optional<URI> sqs = endpoint(env, "AWS_ENDPOINT_URL_SQS").or(() -> commonUrl);
    Optional<URI> s3 = endpoint(env, "AWS_ENDPOINT_URL_S3").or(() -> commonUrl);

    Optional<Credentials> credentials = Optional.empty();
    Optional<String> keyId = value(env, "AWS_ACCESS_KEY_ID");
    Optional<String> secret = value(env, "AWS_SECRET_ACCESS_KEY");
    if (keyId.isPresent() != secret.isPresent()) {
      throw SubmitException.usage((keyId.isPresent() ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID")
          + " is required when " + (keyId.isPresent() ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY") + " is set");
    }
    if (keyId.isPresent()) {
      credentials = Optional.of(new Credentials(keyId.get(), secret.get(),
          value(env, "AWS_SESSION_TOKEN").orElse(null)));
    }

    String portText = value(env, "REDIS_PORT").orElse("6379");
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw SubmitException.usage("REDIS_PORT must be a port number (1-65535), got \"" + portText + "\"");
    }
    Optional<Path> kubeconfig = value(env, "KUBECONFIG").flatMap(SubmitEnvironment::firstExisting);
    return new SubmitEnvironment(queueUrl, codeBucket,
        value(env, "AWS_REGION").or(() -> value(env, "AWS_DEFAULT_REGION")).orElse(DEFAULT_REGION),
        sqs, s3, credentials, value(env, "REDIS_HOST").orElse("localhost"), port,
        value(env, "REDIS_PASSWORD").orElse(null), kubeconfig, value(env, "OPERATOR_NAMESPACE"));
  }

  private static String required(Map<String, String> env, String name, String what) throws SubmitException {
    return value(env, name).orElseThrow(() -> SubmitException.usage(name + " is required (" + what
        + "); set it, name a file with --env-file, or start the dev stack with `infra-worker dev`"));
  }

  private static Optional<URI> endpoint(Map<String, String> env, String name) throws SubmitException {
    Optional<String> text = value(env, name);
    return text.isEmpty() ? Optional.empty() : Optional.of(httpUrl(name, text.get()));
  }

  private static URI httpUrl(String name, String text) throws SubmitException {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below, in the same words as a wrong scheme
    }
    throw SubmitException.usage(name + " must be an http(s) URL, got \"" + text + "\"");
  }

  // An empty value means unset, as a .env line "NAME=" usually intends.
  private static Optional<String> value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
  }

  // KUBECONFIG may list several files, as kubectl allows; the first existing one names the cluster.
  private static Optional<Path> firstExisting(String list) {
    for (String part : list.split(java.io.File.pathSeparator)) {
      if (!part.isBlank() && Files.isRegularFile(Path.of(part))) {
        return Optional.of(Path.of(part));
      }
    }
    return Optional.empty();
  }
}
