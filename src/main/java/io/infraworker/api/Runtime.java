package io.infraworker.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The language runtimes a function can be written in; the wire names are the original worker's. */
public enum Runtime {
  @JsonProperty("python")
  PYTHON("python"),
  @JsonProperty("nodejs")
  NODEJS("nodejs"),
  @JsonProperty("cpp")
  CPP("cpp"),
  @JsonProperty("go")
  GO("go");

  private final String wireName;

  Runtime(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** The runtime with this wire name, if any (exact, lower-case match as the payload requires). */
  public static Optional<Runtime> fromWireName(String name) {
    return Arrays.stream(values()).filter(r -> r.wireName.equals(name)).findFirst();
  }

  @JsonCreator
  static Runtime fromJson(String name) {
    return fromWireName(name)
        .orElseThrow(() -> new IllegalArgumentException(
            "unknown runtime '" + name + "', expected one of " + allowedNames()));
  }

  /** The wire names joined for error messages, e.g. {@code python, nodejs, cpp, go}. */
  public static String allowedNames() {
    return Arrays.stream(values()).map(Runtime::wireName).collect(Collectors.joining(", "));
  }

  /** The upper-case name used in environment variables, e.g. {@code WARM_POOL_PYTHON_SIZE}. */
  public String envName() {
    return name().toUpperCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return wireName;
  }
}
