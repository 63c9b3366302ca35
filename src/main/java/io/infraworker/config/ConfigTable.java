package io.infraworker.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Renders the README's configuration table from {@link ConfigOptions#all()}; {@link #main} rewrites it.
 *
 * <p>Regenerate after changing an option: {@code mvn -q -o compile && java -cp target/classes
 * io.infraworker.config.ConfigTable README.md}
 */
public final class ConfigTable {
  public static final String START_MARKER = "<!-- config-table:start -->";
  public static final String END_MARKER = "<!-- config-table:end -->";
  public static final String REGENERATE_COMMAND =
      "mvn -q -o compile && java -cp target/classes io.infraworker.config.ConfigTable README.md";

  private ConfigTable() {}

  /** The Markdown table of every option followed by notes on variables that are not in it. */
  public static String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("| Variable | Meaning | Default | Required |\n");
    out.append("| :--- | :--- | :--- | :---: |\n");
    for (ConfigOption<?> option : ConfigOptions.all()) {
      out.append("| `").append(option.name()).append("` | ")
          .append(cell(meaning(option))).append(" | ")
          .append(cell(defaultText(option))).append(" | ")
          .append(option.required() ? "**Yes**" : "No").append(" |\n");
    }
    out.append('\n');
    out.append("A bad value stops start-up with one line naming the variable, the value and what is accepted."
        + " Variables not listed here are ignored.\n");
    for (Map.Entry<String, String> obsolete : ConfigOptions.obsoleteVariables().entrySet()) {
      out.append('\n').append("`").append(obsolete.getKey()).append("` is obsolete (")
          .append(obsolete.getValue()).append("): it is accepted, ignored, and logged as a warning.\n");
    }
    out.append('\n').append("Without `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`, credentials come from the AWS"
        + " SDK's default chain (`AWS_SESSION_TOKEN`, `AWS_PROFILE`, IRSA, instance profiles).\n");
    return out.toString();
  }

  /** The table now between the markers of {@code readme}, stripped, or empty when a marker is missing. */
  public static Optional<String> currentTable(String readme) {
    int start = readme.indexOf(START_MARKER);
    int end = readme.indexOf(END_MARKER);
    if (start < 0 || end < start) {
      return Optional.empty();
    }
    return Optional.of(readme.substring(start + START_MARKER.length(), end).strip());
  }

  /** {@code readme} with the text between the markers replaced by {@link #markdown()}. */
  public static String withCurrentTable(String readme) {
    int start = readme.indexOf(START_MARKER);
    int end = readme.indexOf(END_MARKER);
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("README lacks " + START_MARKER + " … " + END_MARKER);
    }
    return readme.substring(0, start + START_MARKER.length()) + "\n" + markdown() + readme.substring(end);
  }

  /** Rewrites the table in the README given as the first argument (default {@code README.md}). */
  public static void main(String[] args) throws IOException {
    Path readme = Path.of(args.length > 0 ? args[0] : "README.md");
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    Files.writeString(readme, withCurrentTable(text), StandardCharsets.UTF_8);
    System.out.println("Updated the configuration table in " + readme);
  }

  private static String meaning(ConfigOption<?> option) {
    String meaning = capitalize(option.description()) + ". Accepts " + option.accepted() + ".";
    return option.emptyMeansUnset() && !option.required() ? meaning + " Empty means unset." : meaning;
  }

  private static String defaultText(ConfigOption<?> option) {
    if (option.defaultValue().isPresent()) {
      return "`" + option.defaultValue().get() + "`";
    }
    return option.derivedDefault().orElse(option.required() ? "-" : "unset");
  }

  // Pipes would end the cell early; descriptions like "python|nodejs" must stay in one cell.
  private static String cell(String text) {
    return text.replace("|", "\\|");
  }

  private static String capitalize(String text) {
    return text.isEmpty() ? text : text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
  }
}
