package io.infraworker.cli.demo;

import io.infraworker.api.JobResult;
import io.infraworker.cli.submit.ResultPrinter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The demo's summary: one table of every example, then a line per example that did not end as expected. */
public final class DemoReport {
  private static final String[] HEADERS = {"example", "runtime", "status", "exit", "duration", "peak memory", "tip"};
  private static final int TIP_WIDTH = 70;

  private final List<ExampleOutcome> outcomes;
  private final long maxOutputSize;

  public DemoReport(List<ExampleOutcome> outcomes, long maxOutputSize) {
    this.outcomes = List.copyOf(outcomes);
    this.maxOutputSize = maxOutputSize;
  }

  /** True when every example ended as expected. */
  public boolean allAsExpected() {
    return outcomes.stream().allMatch(o -> o.mismatches(maxOutputSize).isEmpty());
  }

  /** The table, columns padded to their widest cell. */
  public String table() {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADERS);
    for (ExampleOutcome outcome : outcomes) {
      rows.add(row(outcome));
    }
    int[] widths = new int[HEADERS.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == 0 ? "" : "  ").append(String.format(Locale.ROOT, "%-" + widths[i] + "s", row[i]));
      }
      text.append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString();
  }

  /** {@code name: what differs; ...} for each example that did not end as expected. */
  public List<String> mismatchLines() {
    List<String> lines = new ArrayList<>();
    for (ExampleOutcome outcome : outcomes) {
      List<String> problems = outcome.mismatches(maxOutputSize);
      if (!problems.isEmpty()) {
        lines.add(outcome.example().name() + ": " + String.join("; ", problems));
      }
    }
    return lines;
  }

  private static String[] row(ExampleOutcome outcome) {
    Example example = outcome.example();
    if (outcome.error() != null) {
      return new String[] {example.name(), example.runtime(), "ERROR", "-", "-", "-", ""};
    }
    if (!outcome.outcome().arrived()) {
      return new String[] {example.name(), example.runtime(), "NO RESULT", "-", "-", "-", ""};
    }
    JobResult result = outcome.outcome().result();
    return new String[] {
        example.name(),
        example.runtime(),
        String.valueOf(result.status()) + (result.reason() != null ? " (" + result.reason() + ")" : ""),
        result.exitCode() == null ? "-" : result.exitCode().toString(),
        result.durationMs() == null ? "-" : result.durationMs() + " ms",
        ResultPrinter.mib(result.peakMemoryBytes()),
        tip(result.optimizationTip())};
  }

  private static String tip(String tip) {
    if (tip == null) {
      return "";
    }
    String oneLine = tip.strip().replaceAll("\\s+", " ");
    return oneLine.length() > TIP_WIDTH ? oneLine.substring(0, TIP_WIDTH - 1) + "…" : oneLine;
  }
}
