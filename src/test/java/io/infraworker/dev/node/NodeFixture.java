package io.infraworker.dev.node;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.infraworker.api.Runtime;
import io.infraworker.api.WarmPool;
import io.infraworker.api.WarmPoolSpec;
import io.infraworker.pool.PodNames;
import io.infraworker.pool.SandboxPodFactory;
import io.infraworker.pool.SandboxSettings;
import io.infraworker.testing.KubeHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;

/** Pods made exactly as the operator makes them, owned by a WarmPool that exists in the API. */
final class NodeFixture {
  static final Path AGENT = Path.of("runtimes/agent/bin/agent");

  private final KubernetesClient client;
  private final SandboxPodFactory factory =
      new SandboxPodFactory(SandboxSettings.of("agent:test", Optional.empty()), new PodNames(new SecureRandom()));

  NodeFixture(KubernetesClient client) {
    this.client = client;
  }

  WarmPool createPool(String name, int memoryMb, String cpu) {
    WarmPool pool = new WarmPool();
    pool.getMetadata().setName(name);
    pool.getMetadata().setNamespace(KubeHarness.NAMESPACE);
    WarmPoolSpec spec = new WarmPoolSpec();
    spec.setRuntime(Runtime.PYTHON);
    spec.setImage("python:3.12-slim");
    spec.setReplicas(0);
    spec.setMemoryMb(memoryMb);
    spec.setCpu(cpu);
    pool.setSpec(spec);
    return client.resource(pool).create();
  }

  Pod createPod(WarmPool pool) {
    return client.resource(factory.standbyPod(pool)).create();
  }

  Pod get(Pod pod) {
    return client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).get();
  }

  static String token(Pod pod) {
    return pod.getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals(SandboxPodFactory.AGENT_TOKEN_ENV))
        .map(EnvVar::getValue).findFirst().orElseThrow();
  }

  /** A state directory the agents' user can reach: JUnit's temp dirs are private to root. */
  static Path stateDir() {
    try {
      Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "localnode-");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean alive(long pid) {
    return Files.exists(Path.of("/proc", String.valueOf(pid)));
  }
}
