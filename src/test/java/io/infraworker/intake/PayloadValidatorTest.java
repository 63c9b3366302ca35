package io.infraworker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infraworker.api.ExecutionJobSpec;
import io.infraworker.api.Runtime;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PayloadValidatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Marks a field to remove from the base payload. */
  private static final String MISSING = "<missing>";

  private final PayloadValidator validator = new PayloadValidator(Set.of("code", "other-code"), "code");

  private static ObjectNode base() {
    ObjectNode node = JSON.createObjectNode();
    node.put("requestId", "job-1");
    node.put("runtime", "python");
    node.put("s3Key", "users/u1/code.zip");
    return node;
  }

  /** The base payload with {@code field} set to the raw JSON {@code value} (or removed). */
  private static String with(String field, String value) {
    ObjectNode node = base();
    if (MISSING.equals(value)) {
      node.remove(field);
    } else {
      try {
        node.set(field, JSON.readTree(value));
      } catch (Exception e) {
        throw new IllegalArgumentException(value, e);
      }
    }
    return node.toString();
  }

  private static String quoted(String s) {
    return "\"" + s + "\"";
  }

  private static String envObject(int entries) {
    return IntStream.range(0, entries).mapToObj(i -> "\"V" + i + "\":\"x\"")
        .collect(Collectors.joining(",", "{", "}"));
  }

  private ExecutionJobSpec valid(String body) {
    PayloadCheck check = validator.validate(body);
    assertThat(check).as(body.length() > 300 ? body.substring(0, 300) : body).isInstanceOf(PayloadCheck.Valid.class);
    return ((PayloadCheck.Valid) check).spec();
  }

  private PayloadCheck.Invalid invalid(String body) {
    PayloadCheck check = validator.validate(body);
    assertThat(check).as(body != null && body.length() > 300 ? body.substring(0, 300) : String.valueOf(body)).isInstanceOf(PayloadCheck.Invalid.class);
    return (PayloadCheck.Invalid) check;
  }

  @Test
  void theReadmeExampleBecomesASpecWithEveryField() {
    String body = """
        {"requestId": "job-12345", "functionId": "func-abc", "runtime": "python",
         "s3Key": "users/user1/code.zip", "s3Bucket": "other-code", "memoryMb": 256, "timeoutMs": 10000,
         "input": {"key1": "value1"}, "modelId": "gpt-x", "envVars": {"GREETING": "hi"}, "unknownField": 1}
        """;
    PayloadCheck check = validator.validate(body);
    assertThat(check).isInstanceOf(PayloadCheck.Valid.class);
    PayloadCheck.Valid valid = (PayloadCheck.Valid) check;
    ExecutionJobSpec spec = valid.spec();
    assertThat(valid.requestId()).isEqualTo("job-12345");
    assertThat(spec.getRequestId()).isEqualTo("job-12345");
    assertThat(spec.getFunctionId()).isEqualTo("func-abc");
    assertThat(spec.getRuntime()).isEqualTo(Runtime.PYTHON);
    assertThat(spec.getCode().getBucket()).isEqualTo("other-code");
    assertThat(spec.getCode().getKey()).isEqualTo("users/user1/code.zip");
    assertThat(spec.getMemoryMb()).isEqualTo(256);
    assertThat(spec.getTimeoutMs()).isEqualTo(10000L);
    assertThat(spec.getInput()).isEqualTo(JSON.createObjectNode().put("key1", "value1"));
    assertThat(spec.getModelId()).isEqualTo("gpt-x");
    assertThat(spec.getEnv()).isEqualTo(Map.of("GREETING", "hi"));
  }

  @Test
  void absentOptionalFieldsGetTheDefaults() {
    ExecutionJobSpec spec = valid(base().toString());
    assertThat(spec.getCode().getBucket()).isEqualTo("code");
    assertThat(spec.getMemoryMb()).isEqualTo(ExecutionJobSpec.DEFAULT_MEMORY_MB);
    assertThat(spec.getTimeoutMs()).isEqualTo(ExecutionJobSpec.DEFAULT_TIMEOUT_MS);
    assertThat(spec.getInput()).isNull();
    assertThat(spec.getFunctionId()).isNull();
    assertThat(spec.getModelId()).isNull();
    assertThat(spec.getEnv()).isEmpty();
  }

  @Test
  void jsonNullInOptionalFieldsMeansTheDefault() {
    String body = """
        {"requestId":"r","runtime":"go","s3Key":"k","s3Bucket":null,"memoryMb":null,"timeoutMs":null,
         "input":null,"functionId":null,"modelId":null,"envVars":null}""";
    ExecutionJobSpec spec = valid(body);
    assertThat(spec.getCode().getBucket()).isEqualTo("code");
    assertThat(spec.getMemoryMb()).isEqualTo(128);
    assertThat(spec.getTimeoutMs()).isEqualTo(300_000L);
    assertThat(spec.getInput()).isNull();
    assertThat(spec.getEnv()).isEmpty();
  }

  static Stream<Arguments> validEdgeValues() {
    return Stream.of(
        arguments("requestId", quoted("a"), (Consumer<ExecutionJobSpec>) s -> assertThat(s.getRequestId()).isEqualTo("a")),
        arguments("requestId", quoted("x".repeat(128)), check(s -> assertThat(s.getRequestId()).hasSize(128))),
        arguments("requestId", quoted("A.b:C_d-9"), check(s -> assertThat(s.getRequestId()).isEqualTo("A.b:C_d-9"))),
        arguments("runtime", quoted("python"), check(s -> assertThat(s.getRuntime()).isEqualTo(Runtime.PYTHON))),
        arguments("runtime", quoted("nodejs"), check(s -> assertThat(s.getRuntime()).isEqualTo(Runtime.NODEJS))),
        arguments("runtime", quoted("cpp"), check(s -> assertThat(s.getRuntime()).isEqualTo(Runtime.CPP))),
        arguments("runtime", quoted("go"), check(s -> assertThat(s.getRuntime()).isEqualTo(Runtime.GO))),
        arguments("s3Key", quoted("k"), check(s -> assertThat(s.getCode().getKey()).isEqualTo("k"))),
        arguments("s3Key", quoted("k".repeat(1024)), check(s -> assertThat(s.getCode().getKey()).hasSize(1024))),
        arguments("s3Bucket", quoted("code"), check(s -> assertThat(s.getCode().getBucket()).isEqualTo("code"))),
        arguments("s3Bucket", quoted("other-code"), check(s -> assertThat(s.getCode().getBucket()).isEqualTo("other-code"))),
        arguments("memoryMb", "64", check(s -> assertThat(s.getMemoryMb()).isEqualTo(64))),
        arguments("memoryMb", "10240", check(s -> assertThat(s.getMemoryMb()).isEqualTo(10240))),
        arguments("timeoutMs", "100", check(s -> assertThat(s.getTimeoutMs()).isEqualTo(100L))),
        arguments("timeoutMs", "900000", check(s -> assertThat(s.getTimeoutMs()).isEqualTo(900_000L))),
        arguments("input", "[1,\"two\",{\"three\":3}]", check(s -> assertThat(s.getInput().isArray()).isTrue())),
        arguments("input", "\"text\"", check(s -> assertThat(s.getInput().textValue()).isEqualTo("text"))),
        arguments("input", "12.5", check(s -> assertThat(s.getInput().doubleValue()).isEqualTo(12.5))),
        arguments("input", "false", check(s -> assertThat(s.getInput().isBoolean()).isTrue())),
        // A string of 1 MiB - 2 chars serializes to exactly 1 MiB with its quotes.
        arguments("input", quoted("i".repeat(1024 * 1024 - 2)), check(s -> assertThat(s.getInput().textValue()).hasSize(1024 * 1024 - 2))),
        arguments("envVars", "{}", check(s -> assertThat(s.getEnv()).isEmpty())),
        arguments("envVars", "{\"_A1\":\"\",\"lower\":\"x=y\"}", check(s -> assertThat(s.getEnv()).containsEntry("_A1", "").containsEntry("lower", "x=y"))),
        arguments("envVars", envObject(64), check(s -> assertThat(s.getEnv()).hasSize(64))),
        arguments("functionId", quoted(""), check(s -> assertThat(s.getFunctionId()).isEmpty())),
        arguments("functionId", quoted("f".repeat(256)), check(s -> assertThat(s.getFunctionId()).hasSize(256))),
        arguments("modelId", quoted("m".repeat(256)), check(s -> assertThat(s.getModelId()).hasSize(256))));
  }

  private static Consumer<ExecutionJobSpec> check(Consumer<ExecutionJobSpec> check) {
    return check;
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("validEdgeValues")
  void acceptsEdgeValues(String field, String value, Consumer<ExecutionJobSpec> check) {
    check.accept(valid(with(field, value)));
  }

  static Stream<Arguments> invalidValues() {
    String requestIdRule = "requestId: expected a string of 1-128 characters from [A-Za-z0-9._:-], got ";
    String runtimeRule = "runtime: expected one of python, nodejs, cpp, go, got ";
    String s3KeyRule = "s3Key: expected a non-empty string of at most 1024 characters, got ";
    String bucketRule = "s3Bucket: expected one of the allowed code buckets ";
    String memoryRule = "memoryMb: expected an integer from 64 to 10240 (default 128), got ";
    String timeoutRule = "timeoutMs: expected an integer from 100 to 900000 (default 300000), got ";
    String envRule = "envVars: expected an object of at most 64 names matching [A-Za-z_][A-Za-z0-9_]* with string values, got ";
    return Stream.of(
        arguments("requestId", MISSING, requestIdRule + "nothing (the field is missing)"),
        arguments("requestId", "null", requestIdRule + "null"),
        arguments("requestId", quoted(""), requestIdRule + "\"\" (a string)"),
        arguments("requestId", "123", requestIdRule + "123 (an integer)"),
        arguments("requestId", quoted("job 1"), requestIdRule + "\"job 1\" (a string)"),
        arguments("requestId", quoted("job/1"), requestIdRule + "\"job/1\" (a string)"),
        arguments("requestId", quoted("line\\nbreak"), requestIdRule + "\"line\\nbreak\" (a string)"),
        arguments("requestId", quoted("x".repeat(129)), requestIdRule + "\"" + "x".repeat(56) + "... (a string of 129 characters)"),
        arguments("requestId", "[\"job-1\"]", requestIdRule + "[\"job-1\"] (an array)"),
        arguments("runtime", MISSING, runtimeRule + "nothing (the field is missing)"),
        arguments("runtime", quoted("Python"), runtimeRule + "\"Python\" (a string)"),
        arguments("runtime", quoted("java"), runtimeRule + "\"java\" (a string)"),
        arguments("runtime", quoted("python "), runtimeRule + "\"python \" (a string)"),
        arguments("runtime", "1", runtimeRule + "1 (an integer)"),
        arguments("runtime", "null", runtimeRule + "null"),
        arguments("s3Key", MISSING, s3KeyRule + "nothing (the field is missing)"),
        arguments("s3Key", quoted(""), s3KeyRule + "\"\" (a string)"),
        arguments("s3Key", quoted("k".repeat(1025)), s3KeyRule + "\"kkk"),
        arguments("s3Key", "5", s3KeyRule + "5 (an integer)"),
        arguments("s3Key", "null", s3KeyRule + "null"),
        arguments("s3Bucket", quoted("evil"), bucketRule),
        arguments("s3Bucket", quoted("evil"), "got \"evil\" (a string)"),
        arguments("s3Bucket", quoted(""), bucketRule),
        arguments("s3Bucket", "1", bucketRule),
        arguments("s3Bucket", "[\"code\"]", "got [\"code\"] (an array)"),
        arguments("memoryMb", "63", memoryRule + "63 (an integer)"),
        arguments("memoryMb", "10241", memoryRule + "10241 (an integer)"),
        arguments("memoryMb", "0", memoryRule + "0 (an integer)"),
        arguments("memoryMb", "-128", memoryRule + "-128 (an integer)"),
        arguments("memoryMb", "128.5", memoryRule + "128.5 (a number with a fraction)"),
        arguments("memoryMb", "128.0", memoryRule + "128.0 (a number with a fraction)"),
        arguments("memoryMb", quoted("128"), memoryRule + "\"128\" (a string)"),
        arguments("memoryMb", "true", memoryRule + "true (a boolean)"),
        arguments("memoryMb", "99999999999999999999999", memoryRule + "99999999999999999999999 (an integer)"),
        arguments("memoryMb", "{}", memoryRule + "{} (an object)"),
        arguments("timeoutMs", "99", timeoutRule + "99 (an integer)"),
        arguments("timeoutMs", "900001", timeoutRule + "900001 (an integer)"),
        arguments("timeoutMs", quoted("300000"), timeoutRule + "\"300000\" (a string)"),
        arguments("timeoutMs", "1000.5", timeoutRule + "1000.5 (a number with a fraction)"),
        arguments("timeoutMs", "false", timeoutRule + "false (a boolean)"),
        arguments("input", quoted("i".repeat(1024 * 1024 - 1)), "input: expected any JSON of at most 1048576 bytes, got 1048577 bytes"),
        arguments("envVars", "[]", envRule + "[] (an array)"),
        arguments("envVars", quoted("A=1"), envRule + "\"A=1\" (a string)"),
        arguments("envVars", envObject(65), envRule + "65 entries"),
        arguments("envVars", "{\"1A\":\"x\"}", "envVars: expected names matching [A-Za-z_][A-Za-z0-9_]*, got \"1A\""),
        arguments("envVars", "{\"A-B\":\"x\"}", "envVars: expected names matching [A-Za-z_][A-Za-z0-9_]*, got \"A-B\""),
        arguments("envVars", "{\"\":\"x\"}", "envVars: expected names matching [A-Za-z_][A-Za-z0-9_]*, got \"\""),
        arguments("envVars", "{\"A\":1}", "envVars.A: expected a string, got 1 (an integer)"),
        arguments("envVars", "{\"A\":null}", "envVars.A: expected a string, got null"),
        arguments("envVars", "{\"A\":{\"b\":1}}", "envVars.A: expected a string, got {\"b\":1} (an object)"),
        arguments("functionId", "1", "functionId: expected a string of at most 256 characters, got 1 (an integer)"),
        arguments("functionId", quoted("f".repeat(257)), "functionId: expected a string of at most 256 characters, got \"fff"),
        arguments("modelId", "{}", "modelId: expected a string of at most 256 characters, got {} (an object)"),
        arguments("modelId", quoted("m".repeat(257)), "(a string of 257 characters)"));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("invalidValues")
  void refusesInvalidValuesNamingFieldValueAndRule(String field, String value, String expectedMessage) {
    PayloadCheck.Invalid invalid = invalid(with(field, value));
    assertThat(invalid.message()).contains(expectedMessage).startsWith(field);
    // Echoed values are shortened: a 1 MiB field must not come back in the message.
    assertThat(invalid.message()).hasSizeLessThan(500);
  }

  @ParameterizedTest
  @ValueSource(strings = {"runtime", "s3Key", "s3Bucket", "memoryMb", "timeoutMs", "envVars", "functionId"})
  void aValidRequestIdIsKeptWhenAnotherFieldIsInvalid(String field) {
    PayloadCheck.Invalid invalid = invalid(with(field, "[]"));
    assertThat(invalid.requestId()).contains("job-1");
  }

  @Test
  void anInvalidRequestIdIsNotKept() {
    assertThat(invalid(with("requestId", quoted("job 1"))).requestId()).isEmpty();
    assertThat(invalid(with("requestId", "7")).requestId()).isEmpty();
  }

  @Test
  void theFunctionIdIsKeptWhenReadable() {
    ObjectNode node = base().put("functionId", "fn-1").put("runtime", "java");
    PayloadCheck.Invalid invalid = invalid(node.toString());
    assertThat(invalid.functionId()).contains("fn-1");
    assertThat(invalid(with("runtime", "1")).functionId()).isEmpty();
  }

  @Test
  void reportsEveryInvalidFieldAtOnce() {
    String body = "{\"requestId\":\"job-1\",\"runtime\":\"ruby\",\"memoryMb\":\"big\",\"timeoutMs\":1}";
    PayloadCheck.Invalid invalid = invalid(body);
    assertThat(invalid.message())
        .contains("runtime: expected", "s3Key: expected", "memoryMb: expected", "timeoutMs: expected")
        .doesNotContain("requestId");
  }

  @Test
  void capsTheNumberOfErrorsListed() {
    String env = IntStream.range(0, 30).mapToObj(i -> "\"" + i + "X\":\"v\"").collect(Collectors.joining(",", "{", "}"));
    PayloadCheck.Invalid invalid = invalid(with("envVars", env));
    assertThat(invalid.message()).endsWith("; and 20 more");
  }

  static Stream<Arguments> invalidBodies() {
    return Stream.of(
        arguments("", "body: expected a JSON object, got an empty body"),
        arguments("   ", "body: expected a JSON object, got an empty body"),
        arguments("null", "body: expected a JSON object, got null"),
        arguments("[]", "body: expected a JSON object, got [] (an array)"),
        arguments("\"job-1\"", "body: expected a JSON object, got \"job-1\" (a string)"),
        arguments("42", "body: expected a JSON object, got 42 (an integer)"),
        arguments("{", "body: expected a JSON object, got invalid JSON ("),
        arguments("not json", "body: expected a JSON object, got invalid JSON ("),
        arguments("{\"requestId\":\"a\"} {}", "body: expected a JSON object, got invalid JSON ("),
        arguments("{\"requestId\":\"a\",\"requestId\":\"b\"}", "Duplicate field 'requestId'"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("invalidBodies")
  void refusesBodiesThatAreNotAJsonObject(String body, String expectedMessage) {
    PayloadCheck.Invalid invalid = invalid(body);
    assertThat(invalid.message()).contains(expectedMessage);
    assertThat(invalid.requestId()).isEmpty();
  }

  @Test
  void aNullBodyIsRefusedNotThrown() {
    assertThat(invalid(null).message()).isEqualTo("body: expected a JSON object, got an empty body");
  }

  @Test
  void theDefaultBucketIsAllowedEvenWhenNotListed() {
    PayloadValidator strict = new PayloadValidator(Set.of("other"), "code");
    assertThat(strict.validate(with("s3Bucket", quoted("code")))).isInstanceOf(PayloadCheck.Valid.class);
    assertThat(strict.validate(with("s3Bucket", quoted("other")))).isInstanceOf(PayloadCheck.Valid.class);
    assertThat(strict.validate(base().toString())).isInstanceOf(PayloadCheck.Valid.class);
  }

  @Test
  void inputIsKeptAsSent() throws Exception {
    JsonNode input = JSON.readTree("{\"nested\":{\"list\":[1,2.5,\"x\",null,true]},\"n\":-7}");
    ObjectNode node = base();
    node.set("input", input);
    assertThat(valid(node.toString()).getInput()).isEqualTo(input);
  }
}
