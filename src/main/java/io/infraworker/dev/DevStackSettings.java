package io.infraworker.dev;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the dev stack listens and keeps its state; two stacks side by side need different ports,
 * state dirs and address blocks.
 *
 * @param host the address every service binds to
 * @param sqsPort ElasticMQ (SQS)
 * @param s3Port S3Proxy (S3)
 * @param redisPort Redis
 * @param kubePort the Kubernetes API as kubectl sees it
 * @param metricsPort the operator's Prometheus port
 * @param healthPort the operator's health port
 * @param stateDir where dev.env, the kubeconfig, S3 data, workspaces and logs go
 * @param addressBlock pods get addresses 127.{block}.x.y
 * @param agentBinary the in-pod agent that LocalNode runs for every pod
 * @param sdkDir the function SDKs given to the agent
 * @param environment operator variables on top of the stack's own (e.g. WARM_POOL_PYTHON_SIZE)
 */
public record DevStackSettings(
    String host,
    int sqsPort,
    int s3Port,
    int redisPort,
    int kubePort,
    int metricsPort,
    int healthPort,
    Path stateDir,
    int addressBlock,
    Path agentBinary,
    Path sdkDir,
    Map<String, String> environment) {
  public static final String NAMESPACE = "default";
  public static final String CODE_BUCKET = "infra-worker-code";
  public static final String USER_DATA_BUCKET = "infra-worker-user-data";
  public static final String REGION = "us-east-1";
  public static final int DEFAULT_POOL_SIZE = 2;

  /** The fixed default ports of a newcomer's stack, in {@code .infra-worker/}. */
  public static DevStackSettings defaults(Path agentBinary, Path sdkDir, Map<String, String> environment) {
    return new DevStackSettings("127.0.0.1", 9324, 9000, 6379, 6443, 8000, 8001,
        Path.of(".infra-worker"), 20, agentBinary, sdkDir, environment);
  }

  /** Any free ports, for tests that run stacks side by side. */
  public static DevStackSettings ephemeral(Path stateDir, int addressBlock, Path agentBinary, Path sdkDir,
      Map<String, String> environment) {
    return new DevStackSettings("127.0.0.1", 0, 0, 0, 0, 0, 0, stateDir, addressBlock, agentBinary, sdkDir,
        environment);
  }
}
