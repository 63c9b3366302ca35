package io.infraworker.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.infraworker.api.JobResult;
import io.infraworker.api.ResultStatus;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class ExpectationTest {
  private static final long MAX = 1024 * 1024;

  @Test
  void aResultAsExpectedHasNoMismatch() {
    Expectation expect = new Expectation("SUCCESS", "Hello from Python", null, 0, null);
    assertThat(expect.mismatches(result(ResultStatus.SUCCESS, "Hello from Python\n", null, 0), MAX)).isEmpty();
  }

  @Test
  void eachDifferenceIsNamed() {
    Expectation expect = new Expectation("FAILED", "boom", "OOMKilled", 2, null);
    assertThat(expect.mismatches(result(ResultStatus.SUCCESS, "fine", null, 1), MAX)).containsExactly(
        "status SUCCESS, expected FAILED",
        "stdout lacks \"boom\" (stdout: \"fine\")",
        "reason null, expected OOMKilled",
        "1 output files, expected 2");
  }

  @Test
  void truncationIsJudgedAgainstMaxOutputSize() {
    Expectation capped = new Expectation("SUCCESS", null, null, null, true);
    assertThat(capped.mismatches(result(ResultStatus.SUCCESS, "x".repeat((int) MAX), null, 0), MAX)).isEmpty();
    assertThat(capped.mismatches(result(ResultStatus.SUCCESS, "x".repeat((int) MAX + 1), null, 0), MAX))
        .singleElement().asString().contains("more than MAX_OUTPUT_SIZE");
    assertThat(capped.mismatches(result(ResultStatus.SUCCESS, "short", null, 0), MAX))
        .singleElement().asString().contains("expected capped");
    Expectation whole = new Expectation(null, null, null, null, false);
    assertThat(whole.mismatches(result(ResultStatus.SUCCESS, "short", null, 0), MAX)).isEmpty();
  }

  static JobResult result(ResultStatus status, String stdout, String reason, int files) {
    return new JobResult("r", "fn", "w", status, 0, stdout, "", 42L, 15L * 1024 * 1024, 256, "Tip: ok", null,
        null, null, Collections.nCopies(files, "http://x/outputs/r/f"), reason, null, null);
  }
}
