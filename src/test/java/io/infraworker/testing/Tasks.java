package io.infraworker.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infraworker.api.JobResult;
import io.infraworker.dev.DevCredentials;
import io.infraworker.dev.DevStack;
import io.infraworker.dev.LocalSqs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import redis.clients.jedis.Jedis;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Submits tasks to a dev stack the way the platform does (S3 zip, SQS payload) and reads results from Redis. */
public final class Tasks implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> env;
  private final S3Client s3;
  private final SqsClient sqs;

  public Tasks(DevStack stack) {
    this.env = stack.endpoints();
    this.s3 = stack.s3().client(DevCredentials.DEFAULT, env.get("AWS_REGION"));
    this.sqs = sqsClient(env);
  }

  private static SqsClient sqsClient(Map<String, String> env) {
    return LocalSqs.client(URI.create(env.get("AWS_ENDPOINT_URL_SQS")), env.get("AWS_REGION"), DevCredentials.DEFAULT);
  }

  public static String newRequestId(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A zip of the given files (name → content). */
  public static byte[] zip(Map<String, String> files) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (var e : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * A zip whose {@code executables} carry the Unix exec bit (through the JDK's zip file system, as
   * ZipOutputStream cannot write permissions), so a shipped binary runs without a build.
   */
  public static byte[] zipWithExecutables(Map<String, byte[]> files, java.util.Set<String> executables) {
    try {
      Path dir = Files.createTempDirectory("zip");
      Path file = dir.resolve("code.zip");
      try (java.nio.file.FileSystem zipfs = java.nio.file.FileSystems.newFileSystem(file,
          Map.of("create", "true", "enablePosixFileAttributes", "true"))) {
        for (var e : files.entrySet()) {
          Path entry = zipfs.getPath(e.getKey());
          Files.write(entry, e.getValue());
          Files.setPosixFilePermissions(entry, java.nio.file.attribute.PosixFilePermissions.fromString(
              executables.contains(e.getKey()) ? "rwxr-xr-x" : "rw-r--r--"));
        }
      }
      byte[] bytes = Files.readAllBytes(file);
      Files.delete(file);
      Files.delete(dir);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A zip of a folder under examples/. */
  public static byte[] example(String name) {
    Path dir = Path.of("examples", name);
    try (Stream<Path> files = Files.walk(dir)) {
      Map<String, String> contents = new java.util.TreeMap<>();
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        contents.put(dir.relativize(f).toString(), Files.readString(f));
      }
      return zip(contents);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Uploads the code and returns its key in the code bucket. */
  public String upload(String requestId, byte[] zip) {
    String key = "functions/" + requestId + ".zip";
    s3.putObject(b -> b.bucket(env.get("S3_CODE_BUCKET")).key(key), RequestBody.fromBytes(zip));
    return key;
  }

  /** The original payload for a task whose code is at the key. */
  public static ObjectNode payload(String requestId, String runtime, String s3Key) {
    ObjectNode p = JSON.createObjectNode();
    p.put("requestId", requestId);
    p.put("functionId", "fn-" + runtime);
    p.put("runtime", runtime);
    p.put("s3Key", s3Key);
    return p;
  }

  public void send(String body) {
    sqs.sendMessage(b -> b.queueUrl(env.get("SQS_QUEUE_URL")).messageBody(body));
  }

  /** Uploads, sends, and returns the request id. */
  public String submit(String runtime, byte[] zip, Map<String, Object> extra) {
    String id = newRequestId(runtime);
    ObjectNode payload = payload(id, runtime, upload(id, zip));
    extra.forEach((k, v) -> payload.set(k, JSON.valueToTree(v)));
    send(payload.toString());
    return id;
  }

  /** The stored result of a request, as published to job:{requestId}. */
  public Optional<JobResult> stored(String requestId) {
    try (Jedis jedis = new Jedis(env.get("REDIS_HOST"), Integer.parseInt(env.get("REDIS_PORT")))) {
      String json = jedis.get("job:" + requestId);
      return json == null ? Optional.empty() : Optional.of(JSON.readValue(json, JobResult.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the result of a request. */
  public JobResult await(String requestId, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<JobResult> result = stored(requestId);
      if (result.isPresent()) {
        return result.get();
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("no result for " + requestId + " within " + timeout);
  }

  public S3Client s3() {
    return s3;
  }

  public SqsClient sqs() {
    return sqs;
  }

  public Map<String, String> env() {
    return env;
  }

  @Override
  public void close() {
    s3.close();
    sqs.close();
  }
}
