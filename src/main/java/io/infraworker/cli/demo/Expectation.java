package io.infraworker.cli.demo;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.infraworker.api.JobResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an example must end as; every field is optional and only those given are checked.
 *
 * @param status SUCCESS, FAILED or TIMEOUT
 * @param stdoutContains text stdout must contain
 * @param reason the result's reason (e.g. OOMKilled)
 * @param outputFiles how many output files
 * @param truncated whether stdout was capped at MAX_OUTPUT_SIZE
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Expectation(String status, String stdoutContains, String reason, Integer outputFiles,
    Boolean truncated) {

  /**
   * Each way the result differs from this expectation, as a short phrase; empty when it matches.
   * Truncation is judged by size: capped output is at most {@code maxOutputSize} bytes and, for a
   * program that printed more, close to it (a split UTF-8 character may be dropped at the cut).
   */
  public List<String> mismatches(JobResult result, long maxOutputSize) {
    List<String> problems = new ArrayList<>();
    if (status != null && !status.equals(String.valueOf(result.status()))) {
      problems.add("status " + result.status() + ", expected " + status
          + (result.reason() != null ? " (reason " + result.reason() + ")" : ""));
    }
    String stdout = Objects.requireNonNullElse(result.stdout(), "");
    if (stdoutContains != null && !stdout.contains(stdoutContains)) {
      problems.add("stdout lacks \"" + stdoutContains + "\" (stdout: " + preview(stdout) + ")");
    }
    if (reason != null && !reason.equals(result.reason())) {
      problems.add("reason " + result.reason() + ", expected " + reason);
    }
    int files = result.outputFiles() == null ? 0 : result.outputFiles().size();
    if (outputFiles != null && outputFiles != files) {
      problems.add(files + " output files, expected " + outputFiles);
    }
    if (truncated != null) {
      long bytes = stdout.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > maxOutputSize) {
        problems.add("stdout is " + bytes + " bytes, more than MAX_OUTPUT_SIZE " + maxOutputSize);
      } else if (truncated && bytes < maxOutputSize - 3) {
        problems.add("stdout is " + bytes + " bytes, expected capped at MAX_OUTPUT_SIZE " + maxOutputSize);
      } else if (!truncated && bytes >= maxOutputSize - 3) {
        problems.add("stdout is " + bytes + " bytes, looks capped at MAX_OUTPUT_SIZE " + maxOutputSize);
      }
    }
    return problems;
  }

  private static String preview(String text) {
    String oneLine = text.strip().replace("\n", "\\n");
    return oneLine.isEmpty() ? "empty" : "\"" + (oneLine.length() > 60 ? oneLine.substring(0, 60) + "…" : oneLine) + "\"";
  }
}
