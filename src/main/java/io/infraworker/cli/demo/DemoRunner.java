package io.infraworker.cli.demo;

import io.infraworker.cli.submit.SubmitException;
import io.infraworker.cli.submit.SubmitOutcome;
import io.infraworker.cli.submit.SubmitProgress;
import io.infraworker.cli.submit.SubmitRequest;
import io.infraworker.cli.submit.Submitter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Submits examples a few at a time and collects how each ended, in the order given. */
public final class DemoRunner {
  private final Submitter submitter;
  private final Path examplesDir;
  private final int concurrency;
  private final Duration waitTimeout;
  private final PrintWriter log;

  /**
   * {@code waitTimeout} null gives each example its own timeout plus the usual margin; {@code log} hears
   * one line per finished example.
   */
  public DemoRunner(Submitter submitter, Path examplesDir, int concurrency, Duration waitTimeout, PrintWriter log) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
    }
    this.submitter = submitter;
    this.examplesDir = examplesDir;
    this.concurrency = concurrency;
    this.waitTimeout = waitTimeout;
    this.log = log;
  }

  public List<ExampleOutcome> run(List<Example> examples) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
      Thread t = new Thread(r, "demo-submit");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<ExampleOutcome>> futures = new ArrayList<>();
      for (Example example : examples) {
        futures.add(pool.submit(() -> runOne(example)));
      }
      List<ExampleOutcome> outcomes = new ArrayList<>();
      for (int i = 0; i < futures.size(); i++) {
        try {
          outcomes.add(futures.get(i).get());
        } catch (ExecutionException e) {
          outcomes.add(new ExampleOutcome(examples.get(i), null, String.valueOf(e.getCause())));
        }
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The request an example stands for: its folder, its runtime, input and limits, a fresh request id. */
  SubmitRequest request(Example example) {
    return new SubmitRequest(examplesDir.resolve(example.name()), example.runtime(),
        SubmitRequest.newRequestId("demo-" + example.name() + "-"), null, example.memoryMb(), example.timeoutMs(),
        example.input(), null, Map.of(), waitTimeout);
  }

  private ExampleOutcome runOne(Example example) throws InterruptedException {
    try {
      SubmitOutcome outcome = submitter.submit(request(example), SubmitProgress.SILENT);
      say(String.format(Locale.ROOT, "  %-14s %s (%.1f s)", example.name(),
          outcome.arrived() ? outcome.result().status() : "no result", outcome.waited().toMillis() / 1000.0));
      return new ExampleOutcome(example, outcome, null);
    } catch (SubmitException | IOException | RuntimeException e) {
      say("  " + example.name() + ": not submitted: " + e.getMessage());
      return new ExampleOutcome(example, null, e.getMessage());
    }
  }

  private void say(String line) {
    synchronized (log) {
      log.println(line);
      log.flush();
    }
  }
}
