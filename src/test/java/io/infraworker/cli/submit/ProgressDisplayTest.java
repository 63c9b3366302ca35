package io.infraworker.cli.submit;

import static org.assertj.core.api.Assertions.assertThat;

import io.infraworker.cli.submit.SubmitProgress.Stage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressDisplayTest {
  @Test
  void withoutATerminalEachStageIsOnePlainLine() {
    StringWriter text = new StringWriter();
    ProgressDisplay display = new ProgressDisplay(new PrintWriter(text), false, "r1");
    display.update(Stage.QUEUED, Duration.ZERO);
    display.update(Stage.QUEUED, Duration.ofMillis(300));
    display.update(Stage.RUNNING, Duration.ofMillis(1200));
    display.finish(Stage.DONE, Duration.ofMillis(2300));
    assertThat(text.toString()).doesNotContain("\r");
    assertThat(text.toString().lines()).containsExactly(
        "r1: queued (0.0 s)",
        "r1: queued → running (1.2 s)",
        "r1: queued → running → done (2.3 s)");
  }

  @Test
  void onATerminalTheLineIsRewrittenInPlace() {
    StringWriter text = new StringWriter();
    ProgressDisplay display = new ProgressDisplay(new PrintWriter(text), true, "r1");
    display.update(Stage.QUEUED, Duration.ofMillis(100));
    display.update(Stage.QUEUED, Duration.ofMillis(400));
    display.finish(Stage.NO_RESULT, Duration.ofSeconds(5));
    assertThat(text.toString()).startsWith("\rr1: queued (0.1 s)\rr1: queued (0.4 s)\r")
        .endsWith("r1: queued → no result (5.0 s)" + System.lineSeparator());
    assertThat(text.toString()).containsOnlyOnce(System.lineSeparator());
  }
}
