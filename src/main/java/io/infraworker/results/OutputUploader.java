package io.infraworker.results;

import io.infraworker.config.OutputUrlMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.GetObjectPresignRequest;

/**
 * Uploads the files of an agent's outputs archive to {@code outputs/{requestId}/{path}} in the user-data
 * bucket and returns their URLs, presigned or plain.
 */
public class OutputUploader {
  private static final Logger LOG = LoggerFactory.getLogger(OutputUploader.class);

  public static final int MAX_FILES = 1000;
  public static final long DEFAULT_MAX_TOTAL_BYTES = 256L * 1024 * 1024;
  static final String KEY_PREFIX = "outputs/";
  private static final int COPY_BUFFER = 64 * 1024;

  private final S3Client s3;
  private final S3Presigner presigner;
  private final String bucket;
  private final OutputUrlMode urlMode;
  private final Duration presignExpiry;
  private final long maxTotalBytes;
  private final int maxFiles;
  private final Path spillDir;
  private final ObjectUrls plainUrls;

  /** An uploader with the default total-size cap, spilling entries to the JVM's temp directory. */
  public OutputUploader(S3Client s3, S3Presigner presigner, String bucket, OutputUrlMode urlMode,
      Duration presignExpiry) {
    this(s3, presigner, bucket, urlMode, presignExpiry, DEFAULT_MAX_TOTAL_BYTES,
        Path.of(System.getProperty("java.io.tmpdir")));
  }

  /**
   * @param maxTotalBytes the most bytes one archive may upload; entries past it are dropped
   * @param spillDir where entries wait while their size is found out
   */
  public OutputUploader(S3Client s3, S3Presigner presigner, String bucket, OutputUrlMode urlMode,
      Duration presignExpiry, long maxTotalBytes, Path spillDir) {
    this(s3, presigner, bucket, urlMode, presignExpiry, maxTotalBytes, MAX_FILES, spillDir);
  }

  OutputUploader(S3Client s3, S3Presigner presigner, String bucket, OutputUrlMode urlMode,
      Duration presignExpiry, long maxTotalBytes, int maxFiles, Path spillDir) {
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("the user-data bucket is required for outputs");
    }
    if (presignExpiry.isNegative() || presignExpiry.isZero()) {
      throw new IllegalArgumentException("presign expiry must be positive, got " + presignExpiry);
    }
    if (maxTotalBytes <= 0) {
      throw new IllegalArgumentException("maxTotalBytes must be > 0, got " + maxTotalBytes);
    }
    this.s3 = s3;
    this.presigner = presigner;
    this.bucket = bucket;
    this.urlMode = urlMode;
    this.presignExpiry = presignExpiry;
    this.maxTotalBytes = maxTotalBytes;
    this.maxFiles = maxFiles;
    this.spillDir = spillDir;
    var config = s3.serviceClientConfiguration();
    this.plainUrls = new ObjectUrls(config.endpointOverride(), config.region());
  }

  /**
   * Uploads each regular file of the zip read from {@code zip} (the caller closes it) and returns their
   * URLs in archive order. Unsafe names are skipped; past {@value #MAX_FILES} files or the byte cap the
   * rest is dropped, both with a warning. Re-running it for the same request overwrites the same keys.
   *
   * @throws IOException when the archive cannot be read or a spill file cannot be written
   * @throws software.amazon.awssdk.core.exception.SdkException when S3 refuses or cannot be reached
   */
  public List<String> upload(String requestId, InputStream zip) throws IOException {
    String prefix = KEY_PREFIX + checkedRequestId(requestId) + "/";
    List<String> urls = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    long total = 0;
    // The archive comment (skipped files, truncation) sits at the end, which a stream never reaches;
    // the agent's run result reports the same facts.
    ZipInputStream entries = new ZipInputStream(zip);
    for (ZipEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
      if (entry.isDirectory()) {
        continue;
      }
      String name = entry.getName();
      Optional<String> problem = OutputEntryNames.problem(name);
      if (problem.isPresent()) {
        LOG.warn("request {}: skipping output entry '{}': {}", requestId, name, problem.get());
        continue;
      }
      if (!seen.add(name)) {
        LOG.warn("request {}: skipping duplicate output entry '{}'", requestId, name);
        continue;
      }
      if (urls.size() >= maxFiles) {
        LOG.warn("request {}: more than {} output files; the rest are not uploaded", requestId, maxFiles);
        break;
      }
      Path spill = Files.createTempFile(spillDir, "infraworker-output-", ".part");
      try {
        long size = copyAtMost(entries, spill, maxTotalBytes - total);
        if (size < 0) {
          LOG.warn("request {}: outputs exceed {} bytes at '{}'; it and the rest are not uploaded",
              requestId, maxTotalBytes, name);
          break;
        }
        total += size;
        String key = prefix + name;
        s3.putObject(PutObjectRequest.builder()
            .bucket(bucket)
            .key(key)
            .contentLength(size)
            .contentType(contentType(name))
            .build(), RequestBody.fromFile(spill));
        urls.add(url(key));
      } finally {
        Files.deleteIfExists(spill);
      }
    }
    return urls;
  }

  /** Copies the current entry into {@code target}; -1 when it holds more than {@code limit} bytes. */
  private static long copyAtMost(InputStream in, Path target, long limit) throws IOException {
    byte[] buffer = new byte[COPY_BUFFER];
    long copied = 0;
    try (OutputStream out = Files.newOutputStream(target)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        copied += n;
        if (copied > limit) {
          return -1;
        }
        out.write(buffer, 0, n);
      }
    }
    return copied;
  }

  private String url(String key) {
    if (urlMode == OutputUrlMode.PLAIN) {
      return plainUrls.plain(bucket, key);
    }
    return presigner.presignGetObject(GetObjectPresignRequest.builder()
            .signatureDuration(presignExpiry)
            .getObjectRequest(get -> get.bucket(bucket).key(key))
            .build())
        .url().toString();
  }

  private static String contentType(String name) {
    String guessed = URLConnection.getFileNameMap().getContentTypeFor(name);
    return guessed != null ? guessed : "application/octet-stream";
  }

  private static String checkedRequestId(String requestId) {
    // Intake already restricts requestIds; this keeps a bad one from escaping outputs/{id}/ anyway.
    if (requestId == null || requestId.isBlank() || requestId.contains("/") || requestId.contains("\\")
        || requestId.equals(".") || requestId.equals("..")) {
      throw new IllegalArgumentException("requestId '" + requestId + "' cannot name an output folder");
    }
    return requestId;
  }
}
