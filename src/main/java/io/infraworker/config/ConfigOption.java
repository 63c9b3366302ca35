package io.infraworker.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** One environment variable: its name, meaning, default, and how its text is checked and parsed. */
public final class ConfigOption<T> {
  private static final String MASK = "****";

  private final String name;
  private final ValueType<T> type;
  private final String description;
  private final String defaultValue;
  private final String derivedDefault;
  private final boolean required;
  private final boolean emptyMeansUnset;
  private final boolean secret;

  private ConfigOption(String name, ValueType<T> type, String description, String defaultValue,
      String derivedDefault, boolean required, boolean emptyMeansUnset, boolean secret) {
    this.name = Objects.requireNonNull(name);
    this.type = Objects.requireNonNull(type);
    this.description = Objects.requireNonNull(description);
    this.defaultValue = defaultValue;
    this.derivedDefault = derivedDefault;
    this.required = required;
    this.emptyMeansUnset = emptyMeansUnset;
    this.secret = secret;
  }

  /** An optional variable with no default; chain the {@code with…}/{@code as…} methods to refine it. */
  static <T> ConfigOption<T> of(String name, ValueType<T> type, String description) {
    return new ConfigOption<>(name, type, description, null, null, false, false, false);
  }

  /** The default is text, parsed like a user's value, so the README shows exactly what one would type. */
  ConfigOption<T> withDefault(String text) {
    return new ConfigOption<>(name, type, description, text, null, required, emptyMeansUnset, secret);
  }

  /** A default computed from other variables by {@link OperatorConfig}; {@code doc} tells the README how. */
  ConfigOption<T> withDerivedDefault(String doc) {
    return new ConfigOption<>(name, type, description, null, doc, required, emptyMeansUnset, secret);
  }

  ConfigOption<T> asRequired() {
    return new ConfigOption<>(name, type, description, defaultValue, derivedDefault, true, emptyMeansUnset, secret);
  }

  // For variables whose manifests commonly carry "FOO=" to switch a feature off.
  ConfigOption<T> withEmptyMeaningUnset() {
    return new ConfigOption<>(name, type, description, defaultValue, derivedDefault, required, true, secret);
  }

  ConfigOption<T> asSecret() {
    return new ConfigOption<>(name, type, description, defaultValue, derivedDefault, required, emptyMeansUnset, true);
  }

  /** The environment variable's name, e.g. {@code MAX_IN_FLIGHT}. */
  public String name() {
    return name;
  }

  /** What the variable controls, lower-case and without a final period (it ends error messages). */
  public String description() {
    return description;
  }

  /** What values are accepted, e.g. {@code an integer from 1 to 100000}. */
  public String accepted() {
    return type.accepted();
  }

  /** The default as the text a user would write; empty for required, unset-by-default and derived options. */
  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** How a default computed from other variables is described, if this option has one. */
  public Optional<String> derivedDefault() {
    return Optional.ofNullable(derivedDefault);
  }

  /** Whether start-up fails when the variable is missing. */
  public boolean required() {
    return required;
  }

  /** Whether an empty value counts as unset (for required options an empty value is always missing). */
  public boolean emptyMeansUnset() {
    return emptyMeansUnset;
  }

  /** Whether the value must never be printed. */
  public boolean secret() {
    return secret;
  }

  /**
   * The parsed value from {@code env}, else the parsed default, else empty (also for derived defaults).
   *
   * @throws ConfigException when the variable is required and missing, or its value is rejected
   */
  Optional<T> read(Map<String, String> env) {
    String raw = env.get(name);
    boolean unset = raw == null || (raw.isEmpty() && (emptyMeansUnset || required));
    if (!unset) {
      return Optional.of(parse(raw));
    }
    if (required) {
      throw new ConfigException(name, name + " is required: " + description);
    }
    return defaultValue().map(this::parse);
  }

  /** The value as shown in logs: secrets masked. */
  String display(Object value) {
    if (value == null) {
      return "<unset>";
    }
    return secret ? MASK : String.valueOf(value);
  }

  private T parse(String raw) {
    try {
      return Objects.requireNonNull(type.parser().apply(raw));
    } catch (IllegalArgumentException e) {
      String shown = secret ? MASK : quote(raw);
      throw new ConfigException(name, name + "=" + shown + ": expected " + type.accepted());
    }
  }

  // Escapes quotes, backslashes and control characters so a pasted newline cannot split the message.
  static String quote(String raw) {
    StringBuilder out = new StringBuilder(raw.length() + 2).append('"');
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  @Override
  public String toString() {
    return name;
  }
}
