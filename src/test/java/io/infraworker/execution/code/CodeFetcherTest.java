package io.infraworker.execution.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.infraworker.dev.DevCredentials;
import io.infraworker.dev.DevTools;
import io.infraworker.dev.LocalS3;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** CodeFetcher and CodeSource against S3Proxy: the real S3 protocol, signatures and error codes. */
class CodeFetcherTest {
  private static final String REGION = "us-east-1";
  private static final String BUCKET = "code";
  private static final DevCredentials CREDS = DevCredentials.DEFAULT;

  @TempDir
  static Path dataDir;
  private static LocalS3 s3;
  private static S3Client client;

  @BeforeAll
  static void startS3() {
    s3 = LocalS3.start("127.0.0.1", DevTools.freePort("127.0.0.1", 0), dataDir.resolve("s3"), CREDS, REGION,
        List.of(BUCKET));
    client = s3.client(CREDS, REGION);
  }

  @AfterAll
  static void stopS3() {
    client.close();
    s3.close();
  }

  private static void put(String key, byte[] bytes) {
    client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
  }

  @Test
  void fetchesAnObjectWithItsEtag() {
    byte[] zip = Zips.zipOf("main.py", "print('hi')");
    put("fn/found.zip", zip);

    FetchedZip fetched = new CodeFetcher(client).get(BUCKET, "fn/found.zip");

    assertThat(fetched.bytes()).isEqualTo(zip);
    assertThat(fetched.etag()).isNotBlank();
    assertThat(new CodeFetcher(client).etag(BUCKET, "fn/found.zip")).contains(fetched.etag());
    assertThat(new CodeFetcher(client).fetch(BUCKET, "fn/found.zip")).isEqualTo(zip);
  }

  @Test
  void missingKeyOrBucketIsCodeNotFound() {
    CodeFetcher fetcher = new CodeFetcher(client);

    assertThatThrownBy(() -> fetcher.fetch(BUCKET, "fn/nope.zip")).isInstanceOf(CodeNotFoundException.class)
        .hasMessageContaining("s3://code/fn/nope.zip")
        .extracting(e -> ((CodeException) e).reason()).isEqualTo("CodeNotFound");
    assertThatThrownBy(() -> fetcher.fetch("no-such-bucket", "fn/x.zip")).isInstanceOf(CodeNotFoundException.class)
        .hasMessageContaining("s3://no-such-bucket/fn/x.zip");
    assertThatThrownBy(() -> fetcher.etag(BUCKET, "fn/nope.zip")).isInstanceOf(CodeNotFoundException.class);
  }

  @Test
  void objectOverTheCapIsInvalidCode() {
    byte[] big = new byte[51 * 1024 * 1024];
    new Random(7).nextBytes(big);
    put("fn/big.zip", big);

    assertThatThrownBy(() -> new CodeFetcher(client).fetch(BUCKET, "fn/big.zip"))
        .isInstanceOf(InvalidCodeException.class)
        .hasMessage("code zip is 53477376 bytes, over the 50 MiB limit")
        .extracting(e -> ((CodeException) e).reason()).isEqualTo("InvalidCode");
  }

  @Test
  void s3DownIsCodeFetchFailedAndRetryable() {
    URI closed = URI.create("http://127.0.0.1:" + DevTools.freePort("127.0.0.1", 0));
    try (S3Client down = S3Client.builder().endpointOverride(closed).forcePathStyle(true).region(Region.of(REGION))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(CREDS.accessKeyId(), CREDS.secretAccessKey())))
        .httpClient(UrlConnectionHttpClient.create())
        .build()) {
      assertThatThrownBy(() -> new CodeFetcher(down).fetch(BUCKET, "fn/x.zip"))
          .isInstanceOf(CodeFetchFailedException.class)
          .hasMessageContaining("s3://code/fn/x.zip")
          .satisfies(e -> assertThat(((CodeException) e).retryable()).isTrue());
    }
  }

  @Test
  void codeSourceServesTheSecondGetFromTheCacheEvenWithS3Gone() {
    try (LocalS3 own = LocalS3.start("127.0.0.1", DevTools.freePort("127.0.0.1", 0), dataDir.resolve("own"), CREDS,
        REGION, List.of(BUCKET)); S3Client ownClient = own.client(CREDS, REGION)) {
      byte[] zip = Zips.zipOf("main.py", "print('cached')");
      ownClient.putObject(b -> b.bucket(BUCKET).key("fn/cached.zip"), RequestBody.fromBytes(zip));
      CodeFetcher fetcher = new CodeFetcher(ownClient);
      CodeCache cache = new CodeCache(1 << 20, Duration.ofMinutes(10), Duration.ofMinutes(1), fetcher, System::nanoTime);
      CodeSource source = new CodeSource(fetcher, new ZipInspector(), cache);

      CodeZip first = source.get(BUCKET, "fn/cached.zip");
      own.close();
      CodeZip second = source.get(BUCKET, "fn/cached.zip");

      assertThat(second).isSameAs(first);
      assertThat(second.bytes()).isEqualTo(zip);
      assertThat(cache.hits()).isEqualTo(1);
      assertThat(cache.misses()).isEqualTo(1);
      // Past the revalidation window with S3 gone, the error surfaces instead of possibly stale code.
      CodeCache strict = new CodeCache(1 << 20, Duration.ofMinutes(10), Duration.ZERO, fetcher, System::nanoTime);
      strict.put(BUCKET, "fn/cached.zip", first);
      assertThatThrownBy(() -> strict.get(BUCKET, "fn/cached.zip")).isInstanceOf(CodeFetchFailedException.class);
    }
  }
}
