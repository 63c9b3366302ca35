package io.infraworker.execution.code;

import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads code zips from S3 into memory, never more than the size cap: the object's Content-Length is
 * checked first and the bytes are counted too, since the length may be absent or wrong.
 */
public final class CodeFetcher implements CodeStore {
  public static final long DEFAULT_MAX_ZIP_BYTES = 50L * 1024 * 1024;
  private static final int READ_CHUNK = 64 * 1024;

  private final S3Client s3;
  private final long maxZipBytes;

  public CodeFetcher(S3Client s3) {
    this(s3, DEFAULT_MAX_ZIP_BYTES);
  }

  public CodeFetcher(S3Client s3, long maxZipBytes) {
    if (maxZipBytes <= 0 || maxZipBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxZipBytes must be between 1 and 2 GiB, got " + maxZipBytes);
    }
    this.s3 = s3;
    this.maxZipBytes = maxZipBytes;
  }

  /** The zip's bytes; see {@link #get} for the exceptions. */
  public byte[] fetch(String bucket, String key) {
    return get(bucket, key).bytes();
  }

  @Override
  public FetchedZip get(String bucket, String key) {
    // One GetObject, no HeadObject first: its response carries the length and ETag before the body is read.
    try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
      Long length = in.response().contentLength();
      if (length != null && length > maxZipBytes) {
        in.abort();
        throw new InvalidCodeException("code zip is " + length + " bytes, over the " + limit() + " limit");
      }
      byte[] bytes = readCapped(in, length);
      return new FetchedZip(bytes, in.response().eTag());
    } catch (SdkException e) {
      throw translate(e, bucket, key);
    } catch (IOException e) {
      throw new CodeFetchFailedException("reading " + uri(bucket, key) + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<String> etag(String bucket, String key) {
    try {
      HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
      return Optional.ofNullable(head.eTag());
    } catch (SdkException e) {
      throw translate(e, bucket, key);
    }
  }

  private byte[] readCapped(ResponseInputStream<GetObjectResponse> in, Long length) throws IOException {
    byte[] buf = new byte[(int) (length == null ? Math.min(READ_CHUNK, maxZipBytes) : Math.max(1, length))];
    int count = 0;
    while (true) {
      if (count == buf.length) {
        // Full: probe one byte before growing, so an exact Content-Length never doubles the buffer.
        int probe = in.read();
        if (probe < 0) {
          break;
        }
        if (count >= maxZipBytes) {
          in.abort();
          throw new InvalidCodeException("code zip is more than " + maxZipBytes + " bytes, over the " + limit()
              + " limit");
        }
        buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, maxZipBytes));
        buf[count++] = (byte) probe;
        continue;
      }
      int n = in.read(buf, count, buf.length - count);
      if (n < 0) {
        break;
      }
      count += n;
    }
    return count == buf.length ? buf : Arrays.copyOf(buf, count);
  }

  private static CodeException translate(SdkException e, String bucket, String key) {
    if (e instanceof NoSuchKeyException || e instanceof NoSuchBucketException
        || (e instanceof S3Exception s3e && s3e.statusCode() == 404)) {
      return new CodeNotFoundException("code zip " + uri(bucket, key) + " not found: " + firstLine(e), e);
    }
    return new CodeFetchFailedException("fetching code zip " + uri(bucket, key) + " failed: " + firstLine(e), e);
  }

  private String limit() {
    long mib = 1024 * 1024;
    return maxZipBytes % mib == 0 ? (maxZipBytes / mib) + " MiB" : maxZipBytes + " byte";
  }

  private static String uri(String bucket, String key) {
    return "s3://" + bucket + "/" + key;
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
