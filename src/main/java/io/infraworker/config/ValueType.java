package io.infraworker.config;

import java.util.function.Function;

/**
 * How a variable's text becomes a value, and the words telling the user what it accepts.
 *
 * @param accepted completes "expected …" in error messages, e.g. {@code an integer from 1 to 10}
 * @param parser returns the value, or throws {@link IllegalArgumentException} to reject the text
 */
record ValueType<T>(String accepted, Function<String, T> parser) {}
