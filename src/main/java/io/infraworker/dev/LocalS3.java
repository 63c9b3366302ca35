package io.infraworker.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The dev stack's S3: S3Proxy, embedded, on a directory of the state dir, path-style, checking
 * AWS signatures (so presigned URLs are verified as AWS would).
 */
public final class LocalS3 implements AutoCloseable {
  private final S3Proxy proxy;
  private final URI endpoint;

  private LocalS3(S3Proxy proxy, URI endpoint) {
    this.proxy = proxy;
    this.endpoint = endpoint;
  }

  /** Starts S3Proxy on host:port storing objects under {@code dataDir} and creates the buckets. */
  public static LocalS3 start(String host, int port, Path dataDir, DevCredentials credentials, String region,
      List<String> buckets) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", dataDir.toAbsolutePath().toString());
    BlobStore store = BlobStores.create("filesystem", properties);
    URI endpoint = URI.create("http://" + host + ":" + port);
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(store)
        .endpoint(endpoint)
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, credentials.accessKeyId(), credentials.secretAccessKey())
        .jettyMaxThreads(32)
        .build();
    try {
      proxy.start();
      long deadline = System.nanoTime() + 15_000_000_000L;
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("S3Proxy did not start on " + endpoint + ": " + proxy.getState());
        }
        Thread.sleep(20);
      }
      LocalS3 s3 = new LocalS3(proxy, endpoint);
      try (S3Client client = s3.client(credentials, region)) {
        for (String bucket : buckets) {
          if (client.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
            client.createBucket(b -> b.bucket(bucket));
          }
        }
      }
      return s3;
    } catch (Exception e) {
      try {
        proxy.stop();
      } catch (Exception ignored) {
        // the start failure is what matters
      }
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("S3Proxy failed to start on " + endpoint, e);
    }
  }

  /** A path-style S3 client of this server. */
  public S3Client client(DevCredentials credentials, String region) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .region(Region.of(region))
        .credentialsProvider(credentials.provider())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  public URI endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("S3Proxy did not stop", e);
    }
  }
}
