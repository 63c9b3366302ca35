package io.infraworker.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infraworker.api.Runtime;
import io.infraworker.cli.submit.OutputDownloader;
import io.infraworker.cli.submit.ProgressDisplay;
import io.infraworker.cli.submit.ResultPrinter;
import io.infraworker.cli.submit.SubmitClients;
import io.infraworker.cli.submit.SubmitEnvironment;
import io.infraworker.cli.submit.SubmitException;
import io.infraworker.cli.submit.SubmitOutcome;
import io.infraworker.cli.submit.SubmitRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code infra-worker submit}: runs one function through SQS, S3 and Redis, as a client would. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
        "Zip a function's folder (or take a .zip), upload it to S3_CODE_BUCKET, send the task to "
            + "SQS_QUEUE_URL and wait for its result on Redis.",
        "Configuration: --env-file FILE, else .infra-worker/dev.env when the dev stack wrote one, else the "
            + "environment (SQS_QUEUE_URL, S3_CODE_BUCKET, AWS_REGION, REDIS_HOST, REDIS_PORT, "
            + "AWS_ENDPOINT_URL[_SQS|_S3], AWS credentials or the SDK's default chain, KUBECONFIG).",
        "Exit status: 0 result SUCCESS, 1 result FAILED or TIMEOUT (or a service failed), "
            + "2 usage or configuration error, 3 no result within --wait-timeout."},
    sortOptions = false)
public class SubmitCommand implements Callable<Integer> {
  /** Exit status when no result arrived in time. */
  public static final int NO_RESULT = 3;
  static final Path DEV_ENV = Path.of(".infra-worker", "dev.env");

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR|ZIP", description = "The function's folder, or a ready code zip.")
  Path source;

  @Option(names = "--runtime", required = true, paramLabel = "RUNTIME",
      description = "python, nodejs, cpp or go.")
  String runtime;

  @Option(names = "--input", paramLabel = "JSON|@FILE", description = "The function's input: JSON, or @file of JSON.")
  String input;

  @Option(names = "--memory", paramLabel = "MB", description = "Memory limit in MiB (operator default: 128).")
  Integer memoryMb;

  @Option(names = "--timeout", paramLabel = "MS", description = "Time limit in ms (operator default: 300000).")
  Long timeoutMs;

  @Option(names = "--function-id", paramLabel = "ID", description = "Function id (default: the folder's name).")
  String functionId;

  @Option(names = "--model", paramLabel = "ID", description = "LLM model id for the AI endpoint.")
  String modelId;

  @Option(names = "--env", paramLabel = "NAME=VALUE", description = "Environment variable of the function; repeatable.")
  Map<String, String> envVars = new LinkedHashMap<>();

  @Option(names = "--request-id", paramLabel = "ID", description = "Request id (default: submit-<12 hex digits>).")
  String requestId;

  @Option(names = "--out", paramLabel = "DIR", description = "Download the output files into this folder.")
  Path outDir;

  @Option(names = "--json", description = "Print exactly the result JSON instead of the readable summary.")
  boolean json;

  @Option(names = "--env-file", paramLabel = "FILE", description = "Read the configuration from this file.")
  Path envFile;

  @Option(names = "--wait-timeout", paramLabel = "SECONDS",
      description = "Give up waiting for the result after this long (default: timeout/1000 + 120).")
  Long waitTimeoutSeconds;

  private final Map<String, String> environment;
  private final Path workingDir;
  private final Boolean terminal;

  public SubmitCommand() {
    this(System.getenv(), Path.of(""), null);
  }

  /** For tests: a given environment, working directory and terminal-ness (null: ask the JVM). */
  SubmitCommand(Map<String, String> environment, Path workingDir, Boolean terminal) {
    this.environment = environment;
    this.workingDir = workingDir;
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      SubmitEnvironment env = SubmitEnvironment.from(configuration(err));
      SubmitRequest request = request();
      SubmitOutcome outcome;
      try (SubmitClients clients = SubmitClients.open(env, null)) {
        outcome = clients.submitter().submit(request,
            new ProgressDisplay(err, terminal != null ? terminal : System.console() != null, request.requestId()));
      }
      if (!outcome.arrived()) {
        err.println("infra-worker submit: no result for " + outcome.requestId() + " within "
            + request.effectiveWaitTimeout().toSeconds() + " s; it may still arrive on Redis key job:"
            + outcome.requestId());
        err.flush();
        return NO_RESULT;
      }
      ResultPrinter printer = new ResultPrinter(out);
      if (json) {
        printer.printJson(outcome.resultJson());
      } else {
        printer.printReadable(outcome.result());
      }
      if (outDir != null) {
        List<String> urls = outcome.result().outputFiles() == null ? List.of() : outcome.result().outputFiles();
        for (Path file : new OutputDownloader().download(urls, outcome.requestId(), outDir)) {
          err.println("saved " + file);
        }
        err.flush();
      }
      return outcome.succeeded() ? 0 : 1;
    } catch (SubmitException e) {
      err.println("infra-worker submit: " + e.getMessage());
      err.flush();
      return e.exitCode();
    } catch (IOException e) {
      err.println("infra-worker submit: " + e.getMessage());
      err.flush();
      return SubmitException.FAILURE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("infra-worker submit: interrupted");
      err.flush();
      return SubmitException.FAILURE;
    }
  }

  /** --env-file, else the dev stack's dev.env, else the process environment: one source, never a mix. */
  private Map<String, String> configuration(PrintWriter err) throws SubmitException {
    Path file = envFile;
    if (file == null && Files.isRegularFile(workingDir.resolve(DEV_ENV))) {
      file = workingDir.resolve(DEV_ENV);
      err.println("infra-worker submit: using the dev stack's " + DEV_ENV);
    }
    if (file == null) {
      return environment;
    }
    if (!Files.isRegularFile(file)) {
      throw SubmitException.usage("--env-file " + file + " does not exist");
    }
    try {
      return EnvSources.readEnvFile(file);
    } catch (IOException e) {
      throw SubmitException.usage("cannot read " + file + ": " + e.getMessage());
    }
  }

  private SubmitRequest request() throws SubmitException {
    if (Runtime.fromWireName(runtime).isEmpty()) {
      throw SubmitException.usage("--runtime must be one of " + Runtime.allowedNames() + ", got \"" + runtime + "\"");
    }
    String id = requestId != null ? requestId : SubmitRequest.newRequestId();
    if (!SubmitRequest.validRequestId(id)) {
      throw SubmitException.usage("--request-id must be 1-128 characters of A-Z a-z 0-9 . _ : -, got \"" + id + "\"");
    }
    if (memoryMb != null && memoryMb <= 0) {
      throw SubmitException.usage("--memory must be a positive number of MiB, got " + memoryMb);
    }
    if (timeoutMs != null && timeoutMs <= 0) {
      throw SubmitException.usage("--timeout must be a positive number of ms, got " + timeoutMs);
    }
    if (waitTimeoutSeconds != null && waitTimeoutSeconds <= 0) {
      throw SubmitException.usage("--wait-timeout must be a positive number of seconds, got " + waitTimeoutSeconds);
    }
    return new SubmitRequest(workingDir.resolve(source), runtime, id, functionId, memoryMb, timeoutMs, input(),
        modelId, envVars, waitTimeoutSeconds == null ? null : Duration.ofSeconds(waitTimeoutSeconds));
  }

  private JsonNode input() throws SubmitException {
    if (input == null) {
      return null;
    }
    String text = input;
    if (input.startsWith("@")) {
      Path file = workingDir.resolve(input.substring(1));
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw SubmitException.usage("--input " + input + ": cannot read " + file + ": " + e.getMessage());
      }
    }
    try {
      JsonNode node = new ObjectMapper().readTree(text);
      if (node == null || node.isMissingNode()) {
        throw SubmitException.usage("--input is empty; give JSON such as '{\"name\": \"x\"}' or null");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw SubmitException.usage("--input is not valid JSON: " + e.getOriginalMessage());
    }
  }
}
