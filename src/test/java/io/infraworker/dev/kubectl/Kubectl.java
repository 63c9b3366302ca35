package io.infraworker.dev.kubectl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Runs the kubectl of PATH as a subprocess against one kubeconfig, with its own HOME and cache. */
final class Kubectl {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  /** What one kubectl call printed and returned. */
  record Result(int exitCode, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }
  }

  private final Path kubeconfig;
  private final Path home;

  /** Uses {@code home} as HOME and {@code home/cache} as KUBECACHEDIR, so no discovery cache is shared. */
  Kubectl(Path kubeconfig, Path home) {
    this.kubeconfig = kubeconfig;
    this.home = home;
  }

  static boolean available() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl"))) {
        return true;
      }
    }
    return false;
  }

  Result run(String... args) throws IOException, InterruptedException {
    Process process = start(args);
    StreamReader out = new StreamReader(process.getInputStream());
    StreamReader err = new StreamReader(process.getErrorStream());
    if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in " + TIMEOUT);
    }
    return new Result(process.exitValue(), out.finalText(), err.finalText());
  }

  /** Runs kubectl and fails with its stderr unless it exits 0. */
  String ok(String... args) throws IOException, InterruptedException {
    Result result = run(args);
    if (result.exitCode() != 0) {
      throw new AssertionError("kubectl " + String.join(" ", args) + " exited " + result.exitCode() + ":\n"
          + result.err() + result.out());
    }
    return result.out();
  }

  /** Starts a long-running kubectl (e.g. {@code get -w}) whose output lines can be awaited. */
  Running background(String... args) throws IOException {
    Process process = start(args);
    return new Running(process, new StreamReader(process.getInputStream()), new StreamReader(process.getErrorStream()));
  }

  private Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(),
        "--request-timeout=15s"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("HOME", home.toString());
    builder.environment().put("KUBECACHEDIR", home.resolve("cache").toString());
    builder.environment().remove("KUBECONFIG");
    return builder.start();
  }

  /** A kubectl process still running, with its stdout lines as they come. */
  static final class Running implements AutoCloseable {
    private final Process process;
    private final StreamReader out;
    private final StreamReader err;

    Running(Process process, StreamReader out, StreamReader err) {
      this.process = process;
      this.out = out;
      this.err = err;
    }

    /** Waits for a line that matches; fails with everything printed so far when none comes in time. */
    String awaitLine(Predicate<String> matches, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        String line = out.lines.poll(100, TimeUnit.MILLISECONDS);
        if (line != null && matches.test(line)) {
          return line;
        }
      }
      throw new AssertionError("no matching line in " + timeout + "; output:\n" + out.text() + "\nerrors:\n"
          + err.text());
    }

    /** All output, after the process has been closed. */
    String output() throws InterruptedException {
      return out.finalText();
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** Drains a stream on its own thread so that the process never blocks on a full pipe. */
  static final class StreamReader {
    private final StringBuffer text = new StringBuffer();
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread thread;

    StreamReader(InputStream in) {
      thread = new Thread(() -> {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
          String line;
          while ((line = reader.readLine()) != null) {
            text.append(line).append('\n');
            lines.add(line);
          }
        } catch (IOException e) {
          // The process went away; what was read is kept.
        }
      }, "kubectl-output");
      thread.setDaemon(true);
      thread.start();
    }

    /** Everything read so far. */
    String text() {
      return text.toString();
    }

    /** Everything, once the stream has ended (the process exited). */
    String finalText() throws InterruptedException {
      thread.join(TimeUnit.SECONDS.toMillis(5));
      return text.toString();
    }
  }
}
