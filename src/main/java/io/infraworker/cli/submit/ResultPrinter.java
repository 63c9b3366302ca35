package io.infraworker.cli.submit;

import io.infraworker.api.JobResult;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Writes a result for a person to read, or exactly as the JSON that arrived. */
public final class ResultPrinter {
  private static final String NOT_MEASURED = "-";

  private final PrintWriter out;

  public ResultPrinter(PrintWriter out) {
    this.out = out;
  }

  /** The JSON as Redis gave it, unchanged, so that scripts can parse it. */
  public void printJson(String resultJson) {
    out.println(resultJson);
    out.flush();
  }

  /** Status, figures, tip, reason and output files, then stdout and stderr. */
  public void printReadable(JobResult result) {
    row("status", String.valueOf(result.status()));
    row("exit code", text(result.exitCode()));
    row("duration", result.durationMs() == null ? NOT_MEASURED : result.durationMs() + " ms");
    row("peak memory", mib(result.peakMemoryBytes()));
    row("allocated", result.allocatedMemoryMb() == null ? NOT_MEASURED : result.allocatedMemoryMb() + " MiB");
    if (result.recommendedMemoryMb() != null) {
      row("recommended", result.recommendedMemoryMb() + " MiB");
    }
    if (result.optimizationTip() != null && !result.optimizationTip().isBlank()) {
      row("tip", result.optimizationTip());
    }
    if (result.reason() != null) {
      row("reason", result.reason());
    }
    List<String> files = result.outputFiles() == null ? List.of() : result.outputFiles();
    row("output files", files.isEmpty() ? "none" : String.valueOf(files.size()));
    for (String url : files) {
      out.println("  " + url);
    }
    section("stdout", result.stdout());
    section("stderr", result.stderr());
    out.flush();
  }

  /** Peak memory in MiB with one decimal, or "-" when it was not measured. */
  public static String mib(Long bytes) {
    return bytes == null ? NOT_MEASURED : String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  private void row(String name, String value) {
    out.printf(Locale.ROOT, "%-13s %s%n", name, value);
  }

  private void section(String name, String text) {
    out.println("--- " + name + " ---");
    if (text != null && !text.isEmpty()) {
      out.print(text);
      if (!text.endsWith("\n")) {
        out.println();
      }
    }
  }

  private static String text(Object value) {
    return value == null ? NOT_MEASURED : value.toString();
  }
}
