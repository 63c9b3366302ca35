package io.infraworker.config;

import java.math.BigDecimal;
import java.net.URI;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The kinds of value the variables take; each rejects bad text with an IllegalArgumentException. */
final class ValueTypes {
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final String BUCKET_RULES =
      "3 to 63 characters: lower-case letters, digits, dots and hyphens, starting and ending with"
          + " a letter or digit";
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final String DNS_LABEL_RULES =
      "at most 63 characters: lower-case letters, digits and hyphens, starting and ending with a"
          + " letter or digit";
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern CPU = Pattern.compile("[0-9]+(\\.[0-9]+)?m?");
  private static final Pattern NO_WHITESPACE = Pattern.compile("\\S+");
  private static final String ALL_NAMESPACES = "*";

  private ValueTypes() {}

  static ValueType<Integer> intRange(int min, int max) {
    return new ValueType<>(integerRange(min, max), raw -> (int) parseInRange(raw, min, max));
  }

  static ValueType<Long> longRange(long min, long max) {
    return new ValueType<>(integerRange(min, max), raw -> parseInRange(raw, min, max));
  }

  // Ports are ints like the rest but 0 has a meaning worth stating where the error is shown.
  static ValueType<Integer> listenPort() {
    return new ValueType<>(
        "an integer from 0 to 65535 (0 picks a free port)", raw -> (int) parseInRange(raw, 0, 65535));
  }

  // Only the two words: "yes", "1" or "on" are more likely typos for another variable than intent.
  static ValueType<Boolean> bool() {
    return new ValueType<>("true or false", raw -> {
      if (raw.equalsIgnoreCase("true")) {
        return true;
      }
      if (raw.equalsIgnoreCase("false")) {
        return false;
      }
      throw new IllegalArgumentException();
    });
  }

  static <E extends Enum<E>> ValueType<E> oneOf(Class<E> type) {
    E[] constants = type.getEnumConstants();
    String names = Arrays.stream(constants).map(ValueTypes::wireName).collect(Collectors.joining(", "));
    return new ValueType<>("one of " + names, raw -> Arrays.stream(constants)
        .filter(c -> wireName(c).equalsIgnoreCase(raw))
        .findFirst()
        .orElseThrow(IllegalArgumentException::new));
  }

  static ValueType<URI> httpUrl() {
    return new ValueType<>("an absolute http or https URL, e.g. http://localhost:9324", ValueTypes::parseHttpUrl);
  }

  // SQS_QUEUE_URL is handed to the SDK as text, so keep the user's spelling.
  static ValueType<String> httpUrlText() {
    return new ValueType<>("an absolute http or https URL", raw -> {
      parseHttpUrl(raw);
      return raw;
    });
  }

  static ValueType<String> awsRegion() {
    return matching(Pattern.compile("[a-z0-9-]+"),
        "an AWS region name of lower-case letters, digits and hyphens, e.g. ap-northeast-2");
  }

  static ValueType<String> bucketName() {
    return matching(BUCKET, "an S3 bucket name (" + BUCKET_RULES + ")");
  }

  static ValueType<Set<String>> bucketNames() {
    return new ValueType<>("a comma-separated list of S3 bucket names (each " + BUCKET_RULES + ")",
        raw -> commaList(raw, BUCKET));
  }

  static ValueType<String> dnsLabel() {
    return matching(DNS_LABEL, "a DNS-1123 label (" + DNS_LABEL_RULES + ")");
  }

  /** {@code *} stays as the one-element set {@code [*]}; OperatorConfig turns it into "all namespaces". */
  static ValueType<Set<String>> namespaces() {
    return new ValueType<>(
        "* or a comma-separated list of DNS-1123 labels (each " + DNS_LABEL_RULES + ")",
        raw -> raw.equals(ALL_NAMESPACES) ? Set.of(ALL_NAMESPACES) : commaList(raw, DNS_LABEL));
  }

  static ValueType<String> dnsSubdomain() {
    return new ValueType<>(
        "a DNS-1123 subdomain (at most 253 characters: dot-separated lower-case letters, digits and"
            + " hyphens, each part starting and ending with a letter or digit)",
        raw -> {
          if (raw.length() > 253 || !DNS_SUBDOMAIN.matcher(raw).matches()) {
            throw new IllegalArgumentException();
          }
          return raw;
        });
  }

  static ValueType<String> cpuQuantity() {
    return new ValueType<>("a Kubernetes CPU quantity greater than 0, e.g. 500m or 0.5 or 2", raw -> {
      if (!CPU.matcher(raw).matches()) {
        throw new IllegalArgumentException();
      }
      String number = raw.endsWith("m") ? raw.substring(0, raw.length() - 1) : raw;
      if (new BigDecimal(number).signum() <= 0) {
        throw new IllegalArgumentException();
      }
      return raw;
    });
  }

  static ValueType<String> token(String what) {
    return matching(NO_WHITESPACE, "a non-empty " + what + " without whitespace");
  }

  // AWS's own rules for CloudWatch namespaces; "AWS/" is reserved for AWS services.
  static ValueType<String> cloudWatchNamespace() {
    Pattern allowed = Pattern.compile("[0-9A-Za-z._/#: -]{1,255}");
    return new ValueType<>(
        "a CloudWatch namespace (1 to 255 characters: letters, digits, spaces and . - _ / # :,"
            + " not starting with AWS/)",
        raw -> {
          if (!allowed.matcher(raw).matches() || raw.startsWith("AWS/")) {
            throw new IllegalArgumentException();
          }
          return raw;
        });
  }

  static ValueType<String> anyText() {
    return new ValueType<>("any text", raw -> raw);
  }

  private static ValueType<String> matching(Pattern pattern, String accepted) {
    return new ValueType<>(accepted, raw -> {
      if (!pattern.matcher(raw).matches()) {
        throw new IllegalArgumentException();
      }
      return raw;
    });
  }

  private static String integerRange(long min, long max) {
    return "an integer from " + min + " to " + max;
  }

  private static long parseInRange(String raw, long min, long max) {
    long value = Long.parseLong(raw);
    if (value < min || value > max) {
      throw new IllegalArgumentException();
    }
    return value;
  }

  private static URI parseHttpUrl(String raw) {
    URI uri = URI.create(raw);
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    // Authority rather than host: java.net.URI leaves the host null for names with underscores.
    if (!(scheme.equals("http") || scheme.equals("https"))
        || uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()) {
      throw new IllegalArgumentException();
    }
    return uri;
  }

  // Spaces around commas are forgiven (they are easy to type in YAML); empty items are not.
  private static Set<String> commaList(String raw, Pattern item) {
    Set<String> items = new LinkedHashSet<>();
    for (String part : raw.split(",", -1)) {
      String name = part.strip();
      if (!item.matcher(name).matches()) {
        throw new IllegalArgumentException();
      }
      items.add(name);
    }
    return Collections.unmodifiableSet(items);
  }

  private static String wireName(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }
}
