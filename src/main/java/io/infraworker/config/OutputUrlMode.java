package io.infraworker.config;

import java.util.Locale;

/** How result JSON points at uploaded output files. */
public enum OutputUrlMode {
  /** A presigned GET URL, usable without AWS credentials until it expires. */
  PRESIGNED,
  /** The plain object URL, for buckets that are public or read with credentials. */
  PLAIN;

  /** The value written in {@code OUTPUT_URL_MODE}, e.g. {@code presigned}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
