package io.infraworker.cli;

import io.infraworker.dev.DevStack;
import io.infraworker.dev.DevStackSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code infra-worker dev}: the whole system on this machine, until Ctrl-C. */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = "Start the whole system on this machine: SQS (ElasticMQ), S3 (S3Proxy), Redis, a "
        + "Kubernetes API (Fabric8 mock server), LocalNode running pods as local processes in cgroups, "
        + "and the operator. Writes <state-dir>/dev.env and <state-dir>/kubeconfig; Ctrl-C stops everything.")
public class DevCommand implements Callable<Integer> {
  @Option(names = "--sqs-port", defaultValue = "9324", description = "SQS port (default: ${DEFAULT-VALUE}).")
  int sqsPort;

  @Option(names = "--s3-port", defaultValue = "9000", description = "S3 port (default: ${DEFAULT-VALUE}).")
  int s3Port;

  @Option(names = "--redis-port", defaultValue = "6379",
      description = "Redis port; the next free one when taken (default: ${DEFAULT-VALUE}).")
  int redisPort;

  @Option(names = "--kube-port", defaultValue = "6443",
      description = "Kubernetes API port for kubectl (default: ${DEFAULT-VALUE}).")
  int kubePort;

  @Option(names = "--metrics-port", defaultValue = "8000", description = "Operator metrics port (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(names = "--health-port", defaultValue = "8001", description = "Operator health port (default: ${DEFAULT-VALUE}).")
  int healthPort;

  @Option(names = "--state-dir", defaultValue = ".infra-worker",
      description = "Where dev.env, kubeconfig, S3 data and pod workspaces go (default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(names = "--address-block", defaultValue = "20",
      description = "Pods get loopback addresses 127.<block>.x.y (default: ${DEFAULT-VALUE}).")
  int addressBlock;

  @Option(names = "--agent", paramLabel = "FILE",
      description = "The agent binary (default: runtimes/agent/bin/agent, built by `make build`).")
  Path agent;

  @Override
  public Integer call() throws Exception {
    Optional<Path> agentBinary = agent != null ? Optional.of(agent) : ProjectFiles.find("runtimes/agent/bin/agent");
    if (agentBinary.isEmpty() || !Files.isExecutable(agentBinary.get())) {
      System.err.println("infra-worker dev: the agent binary is missing; build it with `make build` "
          + "(or name it with --agent FILE)");
      return 2;
    }
    Path sdk = ProjectFiles.find("runtimes/sdk").orElse(Path.of("runtimes/sdk"));
    DevStackSettings settings = new DevStackSettings("127.0.0.1", sqsPort, s3Port, redisPort, kubePort,
        metricsPort, healthPort, stateDir, addressBlock, agentBinary.get().toAbsolutePath(), sdk.toAbsolutePath(),
        poolVariables());
    DevStack stack = DevStack.start(settings);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.err.println("infra-worker dev: stopping");
      stack.close();
      stopped.countDown();
    }, "dev-shutdown"));
    System.out.println(stack.banner());
    System.out.flush();
    stopped.await();
    return 0;
  }

  /** The operator variables a developer may set for the stack (pool sizes, images, AI endpoint). */
  private static Map<String, String> poolVariables() {
    return System.getenv().entrySet().stream()
        .filter(e -> Stream.of("WARM_POOL_", "AI_ENDPOINT", "MAX_", "COLD_START", "DEADLINE_GRACE", "LOG_")
            .anyMatch(e.getKey()::startsWith))
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }
}
