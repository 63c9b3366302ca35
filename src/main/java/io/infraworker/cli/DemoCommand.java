package io.infraworker.cli;

import io.infraworker.api.Runtime;
import io.infraworker.cli.demo.DemoReport;
import io.infraworker.cli.demo.DemoRunner;
import io.infraworker.cli.demo.Example;
import io.infraworker.cli.demo.ExampleOutcome;
import io.infraworker.cli.demo.PoolReadiness;
import io.infraworker.cli.submit.JobPhaseSource;
import io.infraworker.cli.submit.SubmitClients;
import io.infraworker.cli.submit.SubmitEnvironment;
import io.infraworker.cli.submit.SubmitException;
import io.infraworker.dev.DevStack;
import io.infraworker.dev.DevStackSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code infra-worker demo}: starts the dev stack, runs every example through it and checks how each ended. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
        "Start the dev stack in this process (free ports, its own state dir), wait for the warm pools, "
            + "submit every example of <examples>/examples.json a few at a time, print one table of the "
            + "results and a line for each example that did not end as expected, then stop the stack.",
        "Exit status: 0 when every example ended as expected, 1 otherwise, 2 for a usage error."},
    sortOptions = false)
public class DemoCommand implements Callable<Integer> {
  /** Pods of the demo stack get 127.25.x.y, apart from a developer's `infra-worker dev` (127.20.x.y). */
  static final int ADDRESS_BLOCK = 25;
  static final long DEFAULT_MAX_OUTPUT_SIZE = 1_048_576;

  @Spec CommandSpec spec;

  @Option(names = "--examples", paramLabel = "DIR",
      description = "Folder with examples.json and a folder per example (default: the checkout's examples/).")
  Path examples;

  @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = ".infra-worker/demo",
      description = "Where the demo stack keeps its state (default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(names = "--concurrency", paramLabel = "N", defaultValue = "3",
      description = "Examples in flight at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--ready-timeout", paramLabel = "SECONDS", defaultValue = "180",
      description = "Longest wait for every default pool to have a ready pod (default: ${DEFAULT-VALUE}).")
  long readyTimeoutSeconds;

  @Option(names = "--wait-timeout", paramLabel = "SECONDS",
      description = "Longest wait for each example's result (default: its timeoutMs/1000 + 120).")
  Long waitTimeoutSeconds;

  @Option(names = "--agent", paramLabel = "FILE",
      description = "The agent binary (default: runtimes/agent/bin/agent, built by `make build`).")
  Path agent;

  private final Map<String, String> environment;

  public DemoCommand() {
    this(System.getenv());
  }

  DemoCommand(Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<Path> examplesDir = examples != null ? Optional.of(examples) : ProjectFiles.find("examples");
    if (examplesDir.isEmpty() || !Files.isRegularFile(examplesDir.get().resolve("examples.json"))) {
      return usage(err, "no examples.json in " + examplesDir.map(Path::toString).orElse("examples/")
          + "; name the folder with --examples DIR");
    }
    List<Example> list;
    try {
      list = Example.read(examplesDir.get().resolve("examples.json"));
    } catch (IOException | RuntimeException e) {
      return usage(err, "cannot read " + examplesDir.get().resolve("examples.json") + ": " + e.getMessage());
    }
    Optional<Path> agentBinary = agent != null ? Optional.of(agent) : ProjectFiles.find("runtimes/agent/bin/agent");
    if (agentBinary.isEmpty() || !Files.isExecutable(agentBinary.get())) {
      return usage(err, "the agent binary is missing; build it with `make build` (or name it with --agent FILE)");
    }
    long maxOutputSize;
    try {
      maxOutputSize = Optional.ofNullable(environment.get("MAX_OUTPUT_SIZE")).map(String::strip)
          .filter(s -> !s.isEmpty()).map(Long::parseLong).orElse(DEFAULT_MAX_OUTPUT_SIZE);
    } catch (NumberFormatException e) {
      return usage(err, "MAX_OUTPUT_SIZE must be a number of bytes, got \"" + environment.get("MAX_OUTPUT_SIZE") + "\"");
    }
    if (concurrency < 1) {
      return usage(err, "--concurrency must be at least 1");
    }
    if (waitTimeoutSeconds != null && waitTimeoutSeconds < 1) {
      return usage(err, "--wait-timeout must be at least 1 second");
    }
    Path sdk = ProjectFiles.find("runtimes/sdk").orElse(Path.of("runtimes/sdk"));
    DevStackSettings settings = DevStackSettings.ephemeral(stateDir, ADDRESS_BLOCK,
        agentBinary.get().toAbsolutePath(), sdk.toAbsolutePath(), stackEnvironment(maxOutputSize));
    return runDemo(settings, examplesDir.get().toAbsolutePath(), list, maxOutputSize, out, err);
  }

  private int runDemo(DevStackSettings settings, Path examplesDir, List<Example> list, long maxOutputSize,
      PrintWriter out, PrintWriter err) throws InterruptedException {
    err.println("infra-worker demo: starting the dev stack in " + settings.stateDir().toAbsolutePath());
    err.flush();
    long started = System.nanoTime();
    DevStack stack;
    try {
      stack = DevStack.start(settings);
    } catch (RuntimeException e) {
      err.println("infra-worker demo: the dev stack did not start: " + e);
      err.flush();
      return 1;
    }
    // Ctrl-C must not leave agent processes and Redis behind; close() is idempotent.
    Thread stopper = new Thread(stack::close, "demo-shutdown");
    java.lang.Runtime.getRuntime().addShutdownHook(stopper);
    try {
      err.printf("infra-worker demo: stack up in %.1f s; waiting for a ready pod in every pool%n",
          (System.nanoTime() - started) / 1e9);
      err.flush();
      List<String> notReady = new PoolReadiness(stack.client(), DevStackSettings.NAMESPACE)
          .await(EnumSet.allOf(Runtime.class), Duration.ofSeconds(readyTimeoutSeconds));
      if (!notReady.isEmpty()) {
        // Jobs still queue for pods that come up later; the results will tell.
        err.println("infra-worker demo: not ready after " + readyTimeoutSeconds + " s: " + String.join(", ", notReady)
            + "; submitting anyway");
      }
      err.println("infra-worker demo: submitting " + list.size() + " examples, " + concurrency + " at a time");
      err.flush();
      List<ExampleOutcome> outcomes;
      try (SubmitClients clients = SubmitClients.open(SubmitEnvironment.from(stack.endpoints()), JobPhaseSource.NONE)) {
        outcomes = new DemoRunner(clients.submitter(), examplesDir, concurrency,
            waitTimeoutSeconds == null ? null : Duration.ofSeconds(waitTimeoutSeconds), err).run(list);
      } catch (SubmitException e) {
        err.println("infra-worker demo: the stack's endpoints are unusable: " + e.getMessage());
        err.flush();
        return 1;
      }
      DemoReport report = new DemoReport(outcomes, maxOutputSize);
      out.println();
      out.print(report.table());
      List<String> mismatches = report.mismatchLines();
      if (!mismatches.isEmpty()) {
        out.println();
        mismatches.forEach(line -> out.println("UNEXPECTED " + line));
      }
      out.println();
      out.println(mismatches.isEmpty()
          ? "All " + outcomes.size() + " examples ended as expected."
          : mismatches.size() + " of " + outcomes.size() + " examples did not end as expected.");
      out.flush();
      return report.allAsExpected() ? 0 : 1;
    } finally {
      err.println("infra-worker demo: stopping the dev stack");
      err.flush();
      stack.close();
      try {
        java.lang.Runtime.getRuntime().removeShutdownHook(stopper);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already exiting; the hook has run or will run, harmlessly
      }
    }
  }

  /** The operator variables a developer set that the demo stack should honour, and the output cap it checks. */
  private Map<String, String> stackEnvironment(long maxOutputSize) {
    Map<String, String> env = new LinkedHashMap<>();
    environment.forEach((name, value) -> {
      if (Stream.of("WARM_POOL_", "RUNTIME_IMAGE_", "AI_ENDPOINT", "COLD_START", "DEADLINE_GRACE", "MAX_")
          .anyMatch(name::startsWith)) {
        env.put(name, value);
      }
    });
    env.put("MAX_OUTPUT_SIZE", String.valueOf(maxOutputSize));
    return env;
  }

  private static int usage(PrintWriter err, String message) {
    err.println("infra-worker demo: " + message);
    err.flush();
    return SubmitException.USAGE;
  }
}
