package io.infraworker.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExampleTest {
  @Test
  void theProjectsExamplesParseAndEachHasItsFolderAndAKnownRuntime() throws Exception {
    Path dir = Path.of("examples");
    List<Example> examples = Example.read(dir.resolve("examples.json"));
    assertThat(examples).extracting(Example::name).contains("hello-python", "big-output", "memory-hog");
    for (Example example : examples) {
      assertThat(dir.resolve(example.name())).as(example.name()).isDirectory();
      assertThat(io.infraworker.api.Runtime.fromWireName(example.runtime())).as(example.name()).isPresent();
    }
    Example go = examples.stream().filter(e -> e.name().equals("hello-go")).findFirst().orElseThrow();
    assertThat(go.memoryMb()).isEqualTo(512);
    assertThat(go.timeoutMs()).isEqualTo(120_000L);
    Example big = examples.stream().filter(e -> e.name().equals("big-output")).findFirst().orElseThrow();
    assertThat(big.expect().truncated()).isTrue();
  }

  @Test
  void aFileWithoutExamplesIsRefused(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("examples.json"), "{\"examples\": []}");
    assertThatThrownBy(() -> Example.read(file)).isInstanceOf(IOException.class).hasMessageContaining("no examples");
  }
}
