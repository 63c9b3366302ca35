package io.infraworker.cli.demo;

import static io.infraworker.cli.demo.ExpectationTest.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.infraworker.api.JobResult;
import io.infraworker.api.ResultStatus;
import io.infraworker.cli.submit.SubmitOutcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoReportTest {
  private static final long MAX = 1024 * 1024;

  @Test
  void theTableHasARowPerExampleAndMismatchesALinePerExample() {
    Example ok = new Example("hello-python", "python", null, null, null,
        new Expectation("SUCCESS", "Hello", null, null, null));
    Example oom = new Example("memory-hog", "python", null, 128, null,
        new Expectation("FAILED", null, "OOMKilled", null, null));
    Example lost = new Example("timeout", "python", null, null, 2000L, new Expectation("TIMEOUT", null, null, null, null));
    Example broken = new Example("broken", "go", null, null, null, null);
    DemoReport report = new DemoReport(List.of(
        new ExampleOutcome(ok, outcome(result(ResultStatus.SUCCESS, "Hello\n", null, 0)), null),
        new ExampleOutcome(oom, outcome(result(ResultStatus.SUCCESS, "", null, 0)), null),
        new ExampleOutcome(lost, new SubmitOutcome("r", "k", null, null, Duration.ofSeconds(122)), null),
        new ExampleOutcome(broken, null, "refusing to zip symlink x")), MAX);
    List<String> lines = report.table().lines().toList();
    assertThat(lines).hasSize(5);
    assertThat(lines.get(0)).startsWith("example").contains("runtime", "status", "exit", "duration", "peak memory", "tip");
    assertThat(lines.get(1)).contains("hello-python", "python", "SUCCESS", "0", "42 ms", "15.0 MiB", "Tip: ok");
    assertThat(lines.get(3)).contains("timeout", "NO RESULT");
    assertThat(lines.get(4)).contains("broken", "ERROR");
    assertThat(report.mismatchLines()).containsExactly(
        "memory-hog: status SUCCESS, expected FAILED; reason null, expected OOMKilled",
        "timeout: no result within 122 s",
        "broken: not submitted: refusing to zip symlink x");
    assertThat(report.allAsExpected()).isFalse();
  }

  @Test
  void everyExampleAsExpectedPasses() {
    Example ok = new Example("hello-python", "python", null, null, null,
        new Expectation("SUCCESS", "Hello", null, null, null));
    DemoReport report = new DemoReport(List.of(
        new ExampleOutcome(ok, outcome(result(ResultStatus.SUCCESS, "Hello\n", null, 0)), null)), MAX);
    assertThat(report.allAsExpected()).isTrue();
    assertThat(report.mismatchLines()).isEmpty();
  }

  private static SubmitOutcome outcome(JobResult result) {
    return new SubmitOutcome(result.requestId(), "functions/x/r.zip", "{}", result, Duration.ofSeconds(1));
  }
}
