package io.infraworker.cli.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SubmitRequestTest {
  @Test
  void generatedRequestIdsAreSubmitAndTwelveHexDigitsAndValid() {
    String id = SubmitRequest.newRequestId();
    assertThat(id).matches("submit-[0-9a-f]{12}");
    assertThat(SubmitRequest.validRequestId(id)).isTrue();
    assertThat(SubmitRequest.validRequestId("has space")).isFalse();
    assertThat(SubmitRequest.validRequestId("x".repeat(129))).isFalse();
  }

  @Test
  void theWaitTimeoutDefaultsToTheFunctionsTimeoutPlusTwoMinutes() {
    SubmitRequest withTimeout = new SubmitRequest(Path.of("fn"), "python", "r", null, null, 10_000L, null, null,
        null, null);
    assertThat(withTimeout.effectiveWaitTimeout()).isEqualTo(Duration.ofSeconds(130));
    SubmitRequest withoutTimeout = new SubmitRequest(Path.of("fn"), "python", "r", null, null, null, null, null,
        null, null);
    assertThat(withoutTimeout.effectiveWaitTimeout()).isEqualTo(Duration.ofSeconds(420));
    assertThat(withoutTimeout.effectiveFunctionId()).isEqualTo("fn");
  }

  @Test
  void theCodeKeyIsUnderFunctions() {
    assertThat(Submitter.codeKey("hello", "submit-abc")).isEqualTo("functions/hello/submit-abc.zip");
  }
}
