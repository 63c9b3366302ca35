package io.infraworker.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.infraworker.config.OutputUrlMode;
import io.infraworker.dev.DevCredentials;
import io.infraworker.dev.DevTools;
import io.infraworker.dev.LocalS3;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

class OutputUploaderTest {
  private static final String HOST = "127.0.0.1";
  private static final String REGION = "us-east-1";
  private static final String BUCKET = "user-data";

  @TempDir
  static Path stateDir;
  @TempDir
  Path spillDir;

  private static LocalS3 localS3;
  private static S3Client s3;
  private static S3Presigner presigner;

  @BeforeAll
  static void startS3() {
    localS3 = LocalS3.start(HOST, DevTools.freePort(HOST, 0), stateDir.resolve("s3"), DevCredentials.DEFAULT,
        REGION, List.of(BUCKET));
    s3 = localS3.client(DevCredentials.DEFAULT, REGION);
    presigner = S3Presigners.forClient(s3);
  }

  @AfterAll
  static void stopS3() {
    presigner.close();
    s3.close();
    localS3.close();
  }

  private OutputUploader uploader(OutputUrlMode mode) {
    return new OutputUploader(s3, presigner, BUCKET, mode, Duration.ofMinutes(10), 1024 * 1024, spillDir);
  }

  /** A zip written the way Go's archive/zip streams it: deflated, sizes only after the data. */
  static InputStream zip(Map<String, String> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, String> e : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(e.getKey()));
        out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
      out.setComment("{\"skipped\":[],\"truncated\":false}");
    }
    return new ByteArrayInputStream(bytes.toByteArray());
  }

  private static Map<String, String> entries(String... nameThenContent) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < nameThenContent.length; i += 2) {
      map.put(nameThenContent[i], nameThenContent[i + 1]);
    }
    return map;
  }

  private static String object(String key) {
    return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String();
  }

  @Test
  void uploadsEachFileAndPresignedUrlsWorkWithoutCredentials() throws Exception {
    List<String> urls = uploader(OutputUrlMode.PRESIGNED)
        .upload("req-1", zip(entries("result.txt", "hello", "sub/", "", "sub/data.csv", "a,b\n1,2\n")));

    assertThat(object("outputs/req-1/result.txt")).isEqualTo("hello");
    assertThat(object("outputs/req-1/sub/data.csv")).isEqualTo("a,b\n1,2\n");
    assertThat(urls).hasSize(2);
    assertThat(urls.get(0)).contains("/user-data/outputs/req-1/result.txt?").contains("X-Amz-Signature=");
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(urls.get(0))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).isEqualTo("hello");
    HttpResponse<String> second = http.send(HttpRequest.newBuilder(URI.create(urls.get(1))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(second.body()).isEqualTo("a,b\n1,2\n");
    assertThat(spillDir).isEmptyDirectory();
  }

  @Test
  void plainModeGivesPathStyleObjectUrlsEncodedPerSegment() throws Exception {
    List<String> urls = uploader(OutputUrlMode.PLAIN)
        .upload("req-2", zip(entries("out/a b.txt", "x", "résumé.txt", "y")));

    String endpoint = localS3.endpoint().toString();
    assertThat(urls).containsExactly(
        endpoint + "/user-data/outputs/req-2/out/a%20b.txt",
        endpoint + "/user-data/outputs/req-2/r%C3%A9sum%C3%A9.txt");
    assertThat(object("outputs/req-2/out/a b.txt")).isEqualTo("x");
  }

  @Test
  void unsafeNamesAreSkipped() throws Exception {
    List<String> urls = uploader(OutputUrlMode.PLAIN).upload("req-3",
        zip(entries("../evil", "no", "/etc/passwd", "no", "a\\b", "no", "ok/../../x", "no", "good.txt", "yes")));

    assertThat(urls).hasSize(1).allMatch(u -> u.endsWith("/outputs/req-3/good.txt"));
    assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("outputs/req-3/")).contents())
        .extracting(o -> o.key()).containsExactly("outputs/req-3/good.txt");
    assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("outputs/evil")).contents()).isEmpty();
  }

  @Test
  void anEmptyArchiveGivesNoUrls() throws Exception {
    assertThat(uploader(OutputUrlMode.PRESIGNED).upload("req-4", zip(Map.of()))).isEmpty();
  }

  @Test
  void stopsAtTheByteCap() throws Exception {
    OutputUploader small = new OutputUploader(s3, presigner, BUCKET, OutputUrlMode.PLAIN, Duration.ofMinutes(1),
        10, spillDir);

    List<String> urls = small.upload("req-5", zip(entries("a.txt", "123456", "b.txt", "123456", "c.txt", "1")));

    assertThat(urls).hasSize(1).allMatch(u -> u.endsWith("/a.txt"));
    assertThat(spillDir).isEmptyDirectory();
  }

  @Test
  void stopsAtTheFileCap() throws Exception {
    OutputUploader two = new OutputUploader(s3, presigner, BUCKET, OutputUrlMode.PLAIN, Duration.ofMinutes(1),
        1024, 2, spillDir);

    assertThat(two.upload("req-6", zip(entries("a", "1", "b", "2", "c", "3")))).hasSize(2);
  }

  @Test
  void aTruncatedArchiveFailsAndLeavesNoSpillFiles() throws IOException {
    // The agent connection dropping mid-download: the stream ends inside an entry's data.
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      big.append(i).append(',');
    }
    byte[] whole = zip(entries("big.csv", big.toString())).readAllBytes();
    byte[] truncated = Arrays.copyOf(whole, whole.length / 2);

    assertThatThrownBy(() -> uploader(OutputUrlMode.PLAIN).upload("req-7", new ByteArrayInputStream(truncated)))
        .isInstanceOf(IOException.class);
    assertThat(spillDir).isEmptyDirectory();
    assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("outputs/req-7/")).contents()).isEmpty();
  }

  @Test
  void refusesARequestIdThatWouldLeaveItsFolder() {
    assertThatThrownBy(() -> uploader(OutputUrlMode.PLAIN).upload("../x", zip(Map.of())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keysAreEncodedPerSegmentWithUnreservedCharactersKept() {
    assertThat(ObjectUrls.encodeKey("outputs/r-1/a+b c~d_e.f/%.txt")).isEqualTo("outputs/r-1/a%2Bb%20c~d_e.f/%25.txt");
  }

  @Test
  void plainUrlsOnAwsAreVirtualHosted() {
    ObjectUrls aws = new ObjectUrls(Optional.empty(), Region.of("ap-northeast-2"));
    assertThat(aws.plain("my-bucket", "outputs/job-1/result.png"))
        .isEqualTo("https://my-bucket.s3.ap-northeast-2.amazonaws.com/outputs/job-1/result.png");
  }

  @Test
  void spillFilesDoNotOutliveAFailedUpload() throws Exception {
    S3Client broken = S3Client.builder()
        .endpointOverride(URI.create("http://" + HOST + ":" + DevTools.freePort(HOST, 0)))
        .forcePathStyle(true)
        .region(Region.of(REGION))
        .credentialsProvider(s3.serviceClientConfiguration().credentialsProvider())
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.doNotRetry()))
        .build();
    try (broken) {
      OutputUploader failing = new OutputUploader(broken, presigner, BUCKET, OutputUrlMode.PLAIN,
          Duration.ofMinutes(1), 1024, spillDir);
      assertThatThrownBy(() -> failing.upload("req-8", zip(entries("a.txt", "1"))))
          .isInstanceOf(SdkException.class);
    }
    assertThat(Files.list(spillDir)).isEmpty();
  }
}
