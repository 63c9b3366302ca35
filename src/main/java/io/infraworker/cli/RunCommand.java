package io.infraworker.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.infraworker.config.ConfigException;
import io.infraworker.config.OperatorConfig;
import io.infraworker.operator.InfraWorkerOperator;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code infra-worker run}: starts the operator against the cluster of the current kubeconfig. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Start the operator: watch ExecutionJobs and WarmPools, keep standby pods warm. "
        + "Configuration comes from environment variables (see the README's table); each option "
        + "below overrides the variable named in brackets.")
public class RunCommand implements Callable<Integer> {
  @Option(names = "--env-file", paramLabel = "FILE",
      description = "Read NAME=value lines from this file first; the environment overrides them.")
  Path envFile;

  @Option(names = "--watch-namespaces", paramLabel = "NS[,NS...]",
      description = "Namespaces to watch, or * for all [WATCH_NAMESPACES].")
  String watchNamespaces;

  @Option(names = "--operator-namespace", paramLabel = "NS",
      description = "Namespace of the leader lease and the default pools [OPERATOR_NAMESPACE].")
  String operatorNamespace;

  @Option(names = "--metrics-port", paramLabel = "PORT", description = "Prometheus port [METRICS_PORT].")
  Integer metricsPort;

  @Option(names = "--health-port", paramLabel = "PORT", description = "Health port [HEALTH_PORT].")
  Integer healthPort;

  @Option(names = "--leader-election", negatable = true, paramLabel = "BOOL",
      description = "Elect a leader through a Lease [LEADER_ELECTION_ENABLED].")
  Boolean leaderElection;

  private final Map<String, String> environment;

  public RunCommand() {
    this(System.getenv());
  }

  RunCommand(Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() throws Exception {
    OperatorConfig config;
    try {
      config = OperatorConfig.fromMap(EnvSources.merge(
          envFile == null ? Map.of() : EnvSources.readEnvFile(envFile), environment, flags()));
    } catch (ConfigException e) {
      System.err.println("infra-worker: invalid configuration: " + e.getMessage());
      return 2;
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    InfraWorkerOperator operator = new InfraWorkerOperator(config, client, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    // SIGTERM (a pod being stopped) runs the shutdown hooks: stop reconciling, close the servers.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      operator.close();
      client.close();
      stopped.countDown();
    }, "shutdown"));
    // A replica that lost its lease must stop acting at once; exiting lets Kubernetes restart it
    // as a follower, the usual pattern of leader-elected controllers.
    operator.onLeadershipLost(() -> System.exit(1));
    operator.start();
    stopped.await();
    return 0;
  }

  Map<String, String> flags() {
    Map<String, String> flags = new LinkedHashMap<>();
    if (watchNamespaces != null) {
      flags.put("WATCH_NAMESPACES", watchNamespaces);
    }
    if (operatorNamespace != null) {
      flags.put("OPERATOR_NAMESPACE", operatorNamespace);
    }
    if (metricsPort != null) {
      flags.put("METRICS_PORT", metricsPort.toString());
    }
    if (healthPort != null) {
      flags.put("HEALTH_PORT", healthPort.toString());
    }
    if (leaderElection != null) {
      flags.put("LEADER_ELECTION_ENABLED", leaderElection.toString());
    }
    return flags;
  }
}
