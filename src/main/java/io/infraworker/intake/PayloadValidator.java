package io.infraworker.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.infraworker.api.CodeRef;
import io.infraworker.api.ExecutionJobSpec;
import io.infraworker.api.Runtime;
import io.infraworker.config.OperatorConfig;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks an SQS message body against the original worker's payload contract and turns it into an
 * ExecutionJob spec. The body is read as a JSON tree, not bound to {@code TaskPayload}, so every
 * error can name the field, the value and what is allowed, and all errors are reported at once.
 */
public final class PayloadValidator {
  static final int MAX_REQUEST_ID = 128;
  static final int MAX_S3_KEY = 1024;
  static final int MAX_ID = 256;
  static final int MAX_ENV_VARS = 64;
  static final int MAX_INPUT_BYTES = 1024 * 1024;
  // Values are echoed in messages that end up in logs and Redis results: keep them short.
  static final int MAX_SHOWN = 60;
  // A body with thousands of bad env names must not produce a message of the same size.
  static final int MAX_ERRORS_SHOWN = 10;

  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_REQUEST_ID + "}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private static final String REQUEST_ID_ALLOWED =
      "a string of 1-" + MAX_REQUEST_ID + " characters from [A-Za-z0-9._:-]";

  private final Set<String> allowedBuckets;
  private final String defaultBucket;
  private final ObjectMapper mapper;

  /**
   * @param allowedBuckets buckets a payload may name in {@code s3Bucket}
   * @param defaultBucket the bucket of payloads without {@code s3Bucket}; always allowed, since the
   *     operator takes code from it anyway
   */
  public PayloadValidator(Set<String> allowedBuckets, String defaultBucket) {
    Objects.requireNonNull(defaultBucket, "defaultBucket");
    Set<String> allowed = new LinkedHashSet<>(Objects.requireNonNull(allowedBuckets, "allowedBuckets"));
    allowed.add(defaultBucket);
    this.allowedBuckets = Set.copyOf(allowed);
    this.defaultBucket = defaultBucket;
    this.mapper = JsonMapper.builder()
        // {"memoryMb":64,"memoryMb":10240} has no single meaning: refuse it rather than guess.
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
  }

  /** The validator for the configured code buckets. */
  public static PayloadValidator fromConfig(OperatorConfig config) {
    return new PayloadValidator(config.allowedCodeBuckets(), config.s3CodeBucket());
  }

  /** Checks one message body; never throws for any input. */
  public PayloadCheck validate(String body) {
    JsonNode root;
    try {
      root = body == null ? null : mapper.readTree(body);
    } catch (JsonProcessingException e) {
      return invalid(null, null, List.of("body: expected a JSON object, got invalid JSON ("
          + shorten(e.getOriginalMessage(), 2 * MAX_SHOWN) + locationOf(e) + ")"));
    }
    if (root == null || root.isMissingNode()) {
      return invalid(null, null, List.of("body: expected a JSON object, got an empty body"));
    }
    if (!root.isObject()) {
      return invalid(null, null, List.of("body: expected a JSON object, got " + describe(root)));
    }
    return validateObject(root);
  }

  private PayloadCheck validateObject(JsonNode root) {
    List<String> errors = new ArrayList<>();
    String requestId = requestId(root.get("requestId"), errors);
    String functionId = optionalString(root.get("functionId"), "functionId", MAX_ID, errors);
    Runtime runtime = runtime(root.get("runtime"), errors);
    String s3Key = s3Key(root.get("s3Key"), errors);
    String bucket = bucket(root.get("s3Bucket"), errors);
    Long memoryMb = integer(root.get("memoryMb"), "memoryMb",
        ExecutionJobSpec.MIN_MEMORY_MB, ExecutionJobSpec.MAX_MEMORY_MB, ExecutionJobSpec.DEFAULT_MEMORY_MB, errors);
    Long timeoutMs = integer(root.get("timeoutMs"), "timeoutMs",
        ExecutionJobSpec.MIN_TIMEOUT_MS, ExecutionJobSpec.MAX_TIMEOUT_MS, ExecutionJobSpec.DEFAULT_TIMEOUT_MS, errors);
    JsonNode input = input(root.get("input"), errors);
    String modelId = optionalString(root.get("modelId"), "modelId", MAX_ID, errors);
    Map<String, String> env = envVars(root.get("envVars"), errors);

    if (!errors.isEmpty()) {
      return invalid(requestId, functionId, errors);
    }
    ExecutionJobSpec spec = new ExecutionJobSpec();
    spec.setRequestId(requestId);
    spec.setFunctionId(functionId);
    spec.setRuntime(runtime);
    spec.setCode(new CodeRef(bucket, s3Key));
    spec.setMemoryMb(Math.toIntExact(memoryMb));
    spec.setTimeoutMs(timeoutMs);
    spec.setInput(input);
    spec.setModelId(modelId);
    spec.setEnv(env);
    return new PayloadCheck.Valid(requestId, spec);
  }

  private static String requestId(JsonNode node, List<String> errors) {
    if (node != null && node.isTextual() && REQUEST_ID.matcher(node.textValue()).matches()) {
      return node.textValue();
    }
    errors.add(expected("requestId", REQUEST_ID_ALLOWED, node));
    return null;
  }

  private static Runtime runtime(JsonNode node, List<String> errors) {
    Optional<Runtime> runtime = node != null && node.isTextual() ? Runtime.fromWireName(node.textValue()) : Optional.empty();
    if (runtime.isEmpty()) {
      errors.add(expected("runtime", "one of " + Runtime.allowedNames(), node));
    }
    return runtime.orElse(null);
  }

  private static String s3Key(JsonNode node, List<String> errors) {
    if (node != null && node.isTextual() && !node.textValue().isEmpty() && node.textValue().length() <= MAX_S3_KEY) {
      return node.textValue();
    }
    errors.add(expected("s3Key", "a non-empty string of at most " + MAX_S3_KEY + " characters", node));
    return null;
  }

  private String bucket(JsonNode node, List<String> errors) {
    if (isAbsent(node)) {
      return defaultBucket;
    }
    if (node.isTextual() && allowedBuckets.contains(node.textValue())) {
      return node.textValue();
    }
    errors.add(expected("s3Bucket", "one of the allowed code buckets " + String.join(", ", allowedBuckets)
        + " (or no s3Bucket for " + defaultBucket + ")", node));
    return null;
  }

  private static Long integer(JsonNode node, String field, long min, long max, long defaultValue,
      List<String> errors) {
    if (isAbsent(node)) {
      return defaultValue;
    }
    // Only JSON integers: 128.5, "128" and true are refused rather than coerced, as a typo there
    // would otherwise silently change the limits the function runs with.
    if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= min && node.longValue() <= max) {
      return node.longValue();
    }
    errors.add(expected(field, "an integer from " + min + " to " + max + " (default " + defaultValue + ")", node));
    return null;
  }

  private JsonNode input(JsonNode node, List<String> errors) {
    if (isAbsent(node)) {
      return null;
    }
    int size;
    try {
      size = mapper.writeValueAsBytes(node).length;
    } catch (JsonProcessingException e) {
      // A tree that was just parsed can always be written back.
      throw new IllegalStateException(e);
    }
    if (size > MAX_INPUT_BYTES) {
      errors.add("input: expected any JSON of at most " + MAX_INPUT_BYTES + " bytes, got " + size + " bytes");
      return null;
    }
    return node;
  }

  private static String optionalString(JsonNode node, String field, int maxLength, List<String> errors) {
    if (isAbsent(node)) {
      return null;
    }
    if (node.isTextual() && node.textValue().length() <= maxLength) {
      return node.textValue();
    }
    errors.add(expected(field, "a string of at most " + maxLength + " characters", node));
    return null;
  }

  private static Map<String, String> envVars(JsonNode node, List<String> errors) {
    Map<String, String> env = new LinkedHashMap<>();
    if (isAbsent(node)) {
      return env;
    }
    String allowed = "an object of at most " + MAX_ENV_VARS + " names matching " + ENV_NAME.pattern()
        + " with string values";
    if (!node.isObject()) {
      errors.add(expected("envVars", allowed, node));
      return env;
    }
    if (node.size() > MAX_ENV_VARS) {
      errors.add("envVars: expected " + allowed + ", got " + node.size() + " entries");
      return env;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String name = entry.getKey();
      String shownName = shorten(quote(name), MAX_SHOWN);
      if (!ENV_NAME.matcher(name).matches()) {
        errors.add("envVars: expected names matching " + ENV_NAME.pattern() + ", got " + shownName);
      } else if (!entry.getValue().isTextual()) {
        errors.add(expected("envVars." + name, "a string", entry.getValue()));
      } else {
        env.put(name, entry.getValue().textValue());
      }
    }
    return env;
  }

  // JSON null counts as absent for optional fields: senders that serialize unset fields as null
  // (common in Java and JS clients) mean "use the default".
  private static boolean isAbsent(JsonNode node) {
    return node == null || node.isNull();
  }

  private static PayloadCheck.Invalid invalid(String requestId, String functionId, List<String> errors) {
    String message = String.join("; ", errors.subList(0, Math.min(errors.size(), MAX_ERRORS_SHOWN)));
    if (errors.size() > MAX_ERRORS_SHOWN) {
      message += "; and " + (errors.size() - MAX_ERRORS_SHOWN) + " more";
    }
    return new PayloadCheck.Invalid(Optional.ofNullable(requestId), Optional.ofNullable(functionId), message);
  }

  private static String expected(String field, String allowed, JsonNode node) {
    return field + ": expected " + allowed + ", got " + (node == null ? "nothing (the field is missing)" : describe(node));
  }

  /** The value as JSON (so strings show quoted and escaped), shortened, with its type. */
  static String describe(JsonNode node) {
    String type = switch (node.getNodeType()) {
      case STRING -> node.textValue().length() > MAX_SHOWN ? "a string of " + node.textValue().length() + " characters" : "a string";
      case NUMBER -> node.isIntegralNumber() ? "an integer" : "a number with a fraction";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
    return node.isNull() ? "null" : shorten(node.toString(), MAX_SHOWN) + " (" + type + ")";
  }

  private static String quote(String s) {
    return TextNode.valueOf(s).toString();
  }

  private static String shorten(String s, int max) {
    if (s == null) {
      return "";
    }
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }

  private static String locationOf(JsonProcessingException e) {
    return e.getLocation() == null ? ""
        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }
}
