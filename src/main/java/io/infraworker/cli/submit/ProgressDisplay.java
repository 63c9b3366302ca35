package io.infraworker.cli.submit;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Shows a submission as one line, {@code queued → running → done (2.3 s)}: rewritten in place with
 * {@code \r} on a terminal, one plain line per new stage otherwise (logs and pipes do not want \r).
 */
public final class ProgressDisplay implements SubmitProgress {
  private final PrintWriter out;
  private final boolean terminal;
  private final String prefix;
  private final List<Stage> reached = new ArrayList<>();
  private int lastWidth;

  public ProgressDisplay(PrintWriter out, boolean terminal, String requestId) {
    this.out = out;
    this.terminal = terminal;
    this.prefix = requestId + ": ";
  }

  @Override
  public void update(Stage stage, Duration elapsed) {
    boolean isNew = reach(stage);
    if (terminal) {
      rewrite(line(elapsed));
    } else if (isNew) {
      out.println(line(elapsed));
      out.flush();
    }
  }

  @Override
  public void finish(Stage stage, Duration elapsed) {
    reach(stage);
    if (terminal) {
      rewrite(line(elapsed));
      out.println();
    } else {
      out.println(line(elapsed));
    }
    out.flush();
  }

  private boolean reach(Stage stage) {
    if (reached.isEmpty() || reached.get(reached.size() - 1) != stage) {
      reached.add(stage);
      return true;
    }
    return false;
  }

  private String line(Duration elapsed) {
    StringBuilder text = new StringBuilder(prefix);
    for (int i = 0; i < reached.size(); i++) {
      text.append(i == 0 ? "" : " → ").append(reached.get(i).label());
    }
    return text.append(String.format(Locale.ROOT, " (%.1f s)", elapsed.toMillis() / 1000.0)).toString();
  }

  private void rewrite(String line) {
    // Pad over the previous line's tail in case this one is shorter.
    int pad = Math.max(0, lastWidth - line.length());
    out.print("\r" + line + " ".repeat(pad));
    out.flush();
    lastWidth = line.length();
  }
}
