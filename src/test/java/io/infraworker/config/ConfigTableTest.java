package io.infraworker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigTableTest {

  @Test
  void readmeTableListsEveryVariable() throws IOException {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);

    assertThat(ConfigTable.currentTable(readme))
        .as("README.md must hold the generated configuration table between %s and %s;"
                + " regenerate it from the project directory with: %s",
            ConfigTable.START_MARKER, ConfigTable.END_MARKER, ConfigTable.REGENERATE_COMMAND)
        .contains(ConfigTable.markdown().strip());
  }

  @Test
  void tableHasOneRowPerOptionAndMarksRequiredOnes() {
    String table = ConfigTable.markdown();

    for (ConfigOption<?> option : ConfigOptions.all()) {
      assertThat(table).containsOnlyOnce("| `" + option.name() + "` |");
    }
    assertThat(table).contains("| `MAX_IN_FLIGHT` | Unfinished jobs at which SQS polling pauses (backpressure)."
        + " Accepts an integer from 1 to 100000. | `100` | No |");
    assertThat(table).contains("| `SQS_QUEUE_URL` | The URL of the SQS queue to read tasks from."
        + " Accepts an absolute http or https URL. | - | **Yes** |");
    assertThat(table).contains("| the value of `S3_CODE_BUCKET` |");
  }

  @Test
  void tableNotesTheObsoleteAndTheAwsSdkVariables() {
    assertThat(ConfigTable.markdown()).contains("`DOCKER_WORK_DIR_ROOT` is obsolete", "`AWS_ACCESS_KEY_ID`",
        "`AWS_SECRET_ACCESS_KEY`", "`AWS_SESSION_TOKEN`", "`AWS_PROFILE`");
  }

  @Test
  void regeneratingReplacesOnlyTheTextBetweenTheMarkers() {
    String readme = "# Title\n\n" + ConfigTable.START_MARKER + "\nold table\n" + ConfigTable.END_MARKER
        + "\n\n## Next\n";

    String updated = ConfigTable.withCurrentTable(readme);

    assertThat(updated).startsWith("# Title\n\n" + ConfigTable.START_MARKER + "\n| Variable |")
        .endsWith(ConfigTable.END_MARKER + "\n\n## Next\n")
        .doesNotContain("old table");
    assertThat(ConfigTable.currentTable(updated)).contains(ConfigTable.markdown().strip());
    assertThat(ConfigTable.withCurrentTable(updated)).isEqualTo(updated);
  }

  @Test
  void tableCellsNeverContainARawPipe() {
    for (String row : ConfigTable.markdown().split("\n")) {
      if (row.startsWith("| `")) {
        assertThat(row.replace("\\|", "").chars().filter(c -> c == '|').count()).as(row).isEqualTo(5);
      }
    }
  }
}
