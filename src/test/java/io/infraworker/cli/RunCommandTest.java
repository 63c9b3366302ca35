package io.infraworker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunCommandTest {
  @Test
  void runHelpListsTheOptions() {
    StringWriter out = new StringWriter();
    int code = Main.commandLine().setOut(new PrintWriter(out)).execute("run", "--help");
    assertThat(code).isZero();
    assertThat(out.toString()).contains("--env-file", "--watch-namespaces", "--operator-namespace",
        "--metrics-port", "--health-port", "--[no-]leader-election", "WATCH_NAMESPACES");
  }

  @Test
  void everySubcommandHasHelp() {
    CommandLine cli = Main.commandLine();
    for (String sub : cli.getSubcommands().keySet()) {
      StringWriter out = new StringWriter();
      int code = Main.commandLine().setOut(new PrintWriter(out)).execute(sub, "--help");
      assertThat(code).as(sub).isZero();
      assertThat(out.toString()).as(sub).contains("Usage:");
    }
  }

  @Test
  void aBadValueStopsStartUpWithOneLineNamingTheVariable() {
    String err = runExpectingConfigError(Map.of(
        "SQS_QUEUE_URL", "http://q", "S3_CODE_BUCKET", "code", "S3_USER_DATA_BUCKET", "data",
        "MAX_IN_FLIGHT", "lots"));
    assertThat(err.strip().lines()).hasSize(1);
    assertThat(err).contains("MAX_IN_FLIGHT", "\"lots\"", "expected");
  }

  @Test
  void aMissingRequiredVariableIsNamed() {
    String err = runExpectingConfigError(Map.of());
    assertThat(err.strip().lines()).hasSize(1);
    assertThat(err).contains("SQS_QUEUE_URL is required");
  }

  @Test
  void envFileValuesAreReadAndTheEnvironmentWins(@TempDir Path dir) throws Exception {
    Path file = dir.resolve(".env");
    Files.writeString(file, "# comment\nexport A=1\nB=\"two words\"\nC='x'\n\n");
    Map<String, String> merged = EnvSources.merge(EnvSources.readEnvFile(file), Map.of("A", "env"), Map.of("C", "flag"));
    assertThat(merged).containsEntry("A", "env").containsEntry("B", "two words").containsEntry("C", "flag");
  }

  private static String runExpectingConfigError(Map<String, String> env) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = new CommandLine(new RunCommand(env)).execute();
      assertThat(code).isEqualTo(2);
    } finally {
      System.setErr(saved);
    }
    return err.toString(StandardCharsets.UTF_8);
  }
}
