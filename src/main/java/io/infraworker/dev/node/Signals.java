package io.infraworker.dev.node;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Signals whole process groups, which the JDK cannot do itself. */
final class Signals {
  private Signals() {}

  /** Sends {@code signal} (e.g. {@code TERM}, {@code KILL}) to the process group {@code pgid}; false if none was there. */
  static boolean group(long pgid, String signal) {
    try {
      Process kill = new ProcessBuilder(List.of("/bin/kill", "-s", signal, "--", "-" + pgid))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!kill.waitFor(2, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
        return false;
      }
      return kill.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
