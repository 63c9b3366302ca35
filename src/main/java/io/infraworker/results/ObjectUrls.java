package io.infraworker.results;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;

/** Plain (unsigned) object URLs: path-style on a custom endpoint, virtual-hosted on AWS. */
final class ObjectUrls {
  private final Optional<URI> endpoint;
  private final Region region;

  ObjectUrls(Optional<URI> endpoint, Region region) {
    this.endpoint = endpoint;
    this.region = region;
  }

  String plain(String bucket, String key) {
    String encodedKey = encodeKey(key);
    return endpoint
        .map(e -> stripTrailingSlash(e.toString()) + "/" + bucket + "/" + encodedKey)
        .orElseGet(() -> "https://" + bucket + ".s3." + region.id() + ".amazonaws.com/" + encodedKey);
  }

  /** Percent-encodes each segment of the key (RFC 3986 unreserved characters stay), keeping the slashes. */
  static String encodeKey(String key) {
    StringBuilder out = new StringBuilder(key.length() + 16);
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c == '/' || unreserved(c)) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private static boolean unreserved(int c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }

  private static String stripTrailingSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
