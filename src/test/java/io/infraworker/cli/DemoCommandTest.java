package io.infraworker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What demo checks before it starts a stack; the full run is `make demo`. */
class DemoCommandTest {
  @Test
  void demoHelpWorks() {
    StringWriter out = new StringWriter();
    int code = Main.commandLine().setOut(new PrintWriter(out)).execute("demo", "--help");
    assertThat(code).isZero();
    assertThat(out.toString()).contains("Usage:", "--examples", "--state-dir", "--concurrency", "--wait-timeout");
  }

  @Test
  void aFolderWithoutExamplesJsonIsAUsageError(@TempDir Path dir) {
    StringWriter err = new StringWriter();
    int code = new CommandLine(new DemoCommand(Map.of())).setErr(new PrintWriter(err))
        .execute("--examples", dir.toString(), "--state-dir", dir.resolve("state").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("examples.json");
  }

  @Test
  void aMissingAgentIsAUsageErrorNamingTheBuild(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("examples.json"),
        "{\"examples\":[{\"name\":\"x\",\"runtime\":\"python\",\"expect\":{\"status\":\"SUCCESS\"}}]}");
    StringWriter err = new StringWriter();
    int code = new CommandLine(new DemoCommand(Map.of())).setErr(new PrintWriter(err))
        .execute("--examples", dir.toString(), "--agent", dir.resolve("no-agent").toString(),
            "--state-dir", dir.resolve("state").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("agent", "make build");
  }

  @Test
  void aBadMaxOutputSizeIsAUsageError(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("examples.json"),
        "{\"examples\":[{\"name\":\"x\",\"runtime\":\"python\"}]}");
    Path agent = Files.writeString(dir.resolve("agent"), "#!/bin/sh\n");
    agent.toFile().setExecutable(true);
    StringWriter err = new StringWriter();
    int code = new CommandLine(new DemoCommand(Map.of("MAX_OUTPUT_SIZE", "big"))).setErr(new PrintWriter(err))
        .execute("--examples", dir.toString(), "--agent", agent.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("MAX_OUTPUT_SIZE");
  }
}
