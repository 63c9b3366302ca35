package io.infraworker.cli.demo;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One entry of {@code examples/examples.json}: a folder of that name, how to run it, what it must end as.
 *
 * @param name the example's folder under the examples directory
 * @param runtime python, nodejs, cpp or go
 * @param input the task's input, or null
 * @param memoryMb memory limit, or null for the default
 * @param timeoutMs time limit, or null for the default
 * @param expect what the result must show
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Example(String name, String runtime, JsonNode input, Integer memoryMb, Long timeoutMs,
    Expectation expect) {

  public Example {
    Objects.requireNonNull(name, "an example needs a name");
    Objects.requireNonNull(runtime, "example " + name + " needs a runtime");
    expect = expect == null ? new Expectation(null, null, null, null, null) : expect;
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  private record File(List<Example> examples) {}

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .build();

  /** The examples of an examples.json, in file order. */
  public static List<Example> read(Path examplesJson) throws IOException {
    File file = MAPPER.readValue(examplesJson.toFile(), File.class);
    if (file == null || file.examples() == null || file.examples().isEmpty()) {
      throw new IOException(examplesJson + " lists no examples");
    }
    return List.copyOf(file.examples());
  }
}
