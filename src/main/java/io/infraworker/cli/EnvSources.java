package io.infraworker.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Merges configuration sources: an optional .env file, then the process environment, then flags. */
final class EnvSources {
  private EnvSources() {}

  /**
   * Reads a .env file of {@code NAME=value} lines (blank lines and {@code #} comments skipped,
   * optional {@code export } prefix and surrounding quotes removed), as the original worker's
   * python-dotenv did.
   */
  static Map<String, String> readEnvFile(Path file) throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).strip();
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new IOException(file + ":" + (i + 1) + ": expected NAME=value, got '" + line + "'");
      }
      String value = line.substring(eq + 1).strip();
      if (value.length() >= 2
          && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      }
      values.put(line.substring(0, eq).strip(), value);
    }
    return values;
  }

  /** File values first, the environment over them (as dotenv does), flags over both. */
  static Map<String, String> merge(Map<String, String> file, Map<String, String> env, Map<String, String> flags) {
    Map<String, String> merged = new LinkedHashMap<>(file);
    merged.putAll(env);
    merged.putAll(flags);
    return merged;
  }
}
