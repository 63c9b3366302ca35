package io.infraworker.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.infraworker.api.Runtime;
import io.infraworker.api.WarmPool;
import io.infraworker.api.WarmPoolSpec;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SandboxPodFactoryTest {
  private final SandboxPodFactory factory = new SandboxPodFactory(
      SandboxSettings.of("agent:1", Optional.of("http://ollama:11434")), new PodNames(new SecureRandom()));

  static WarmPool pool(String name, Runtime runtime, int replicas, int memoryMb) {
    WarmPool pool = new WarmPool();
    pool.getMetadata().setName(name);
    pool.getMetadata().setNamespace("jobs");
    pool.getMetadata().setUid("uid-" + name);
    WarmPoolSpec spec = new WarmPoolSpec();
    spec.setRuntime(runtime);
    spec.setImage("runtime-" + runtime.wireName() + ":1");
    spec.setReplicas(replicas);
    spec.setMemoryMb(memoryMb);
    spec.setCpu("250m");
    pool.setSpec(spec);
    return pool;
  }

  @Test
  void standbyPodCarriesEveryHardeningField() {
    Pod pod = factory.standbyPod(pool("python-256", Runtime.PYTHON, 1, 256));
    var spec = pod.getSpec();

    assertThat(spec.getAutomountServiceAccountToken()).isFalse();
    assertThat(spec.getEnableServiceLinks()).isFalse();
    assertThat(spec.getRestartPolicy()).isEqualTo("Never");
    assertThat(spec.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(spec.getSecurityContext().getRunAsUser()).isNotZero();
    assertThat(spec.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

    for (Container c : spec.getInitContainers()) {
      assertHardened(c);
    }
    Container main = spec.getContainers().get(0);
    assertHardened(main);
    assertThat(main.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();

    Map<String, Volume> volumes = spec.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
    assertThat(volumes).containsKeys("workspace", "tmp", "agent-bin");
    volumes.values().forEach(v -> assertThat(v.getEmptyDir().getSizeLimit()).isNotNull());
    assertThat(main.getVolumeMounts()).extracting(m -> m.getMountPath())
        .contains("/workspace", "/tmp", SandboxPodFactory.AGENT_BIN_DIR);
  }

  private static void assertHardened(Container c) {
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
  }

  @Test
  void requestsEqualLimitsFromThePool() {
    Container main = factory.standbyPod(pool("go-512", Runtime.GO, 1, 512)).getSpec().getContainers().get(0);
    assertThat(main.getResources().getLimits()).containsEntry("memory", new Quantity("512Mi"))
        .containsEntry("cpu", new Quantity("250m"));
    assertThat(main.getResources().getRequests()).isEqualTo(main.getResources().getLimits());
  }

  @Test
  void agentIsInjectedByAnInitContainerAndProbedOnItsPort() {
    Pod pod = factory.standbyPod(pool("nodejs-128", Runtime.NODEJS, 1, 128));
    Container init = pod.getSpec().getInitContainers().get(0);
    Container main = pod.getSpec().getContainers().get(0);
    assertThat(init.getImage()).isEqualTo("agent:1");
    assertThat(init.getCommand()).containsExactly("/agent", "install", SandboxPodFactory.AGENT_BIN_DIR);
    assertThat(main.getImage()).isEqualTo("runtime-nodejs:1");
    assertThat(main.getCommand().get(0)).isEqualTo(SandboxPodFactory.AGENT_BIN_DIR + "/agent");
    assertThat(main.getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("agent");
      assertThat(p.getContainerPort()).isEqualTo(8080);
    });
    assertThat(main.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(main.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("agent");
  }

  @Test
  void everyPodGetsItsOwnRandomAgentToken() {
    WarmPool pool = pool("cpp-256", Runtime.CPP, 2, 256);
    String first = token(factory.standbyPod(pool));
    String second = token(factory.standbyPod(pool));
    assertThat(first).hasSizeGreaterThanOrEqualTo(40).isNotEqualTo(second);
  }

  private static String token(Pod pod) {
    return pod.getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals(SandboxPodFactory.AGENT_TOKEN_ENV))
        .map(EnvVar::getValue).findFirst().orElseThrow();
  }

  @Test
  void labelsNameThePoolRuntimeAndStandbyStateAndTheOwnerIsThePool() {
    WarmPool pool = pool("python-256", Runtime.PYTHON, 1, 256);
    pool.getSpec().setLabels(Map.of("team", "a", Labels.STATE, "claimed"));
    Pod pod = factory.standbyPod(pool);
    assertThat(pod.getMetadata().getLabels())
        .containsEntry(Labels.POOL, "python-256")
        .containsEntry(Labels.RUNTIME, "python")
        .containsEntry(Labels.STATE, Labels.STATE_STANDBY)
        .containsEntry("team", "a");
    assertThat(pod.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
      assertThat(o.getKind()).isEqualTo("WarmPool");
      assertThat(o.getName()).isEqualTo("python-256");
      assertThat(o.getUid()).isEqualTo("uid-python-256");
      assertThat(o.getController()).isTrue();
    });
    assertThat(pod.getMetadata().getName()).startsWith("python-256-").hasSize("python-256-".length() + 5);
  }

  @Test
  void aiEndpointReachesTheAgentEnvironment() {
    Pod pod = factory.standbyPod(pool("python-256", Runtime.PYTHON, 1, 256));
    assertThat(pod.getSpec().getContainers().get(0).getEnv())
        .contains(new EnvVar("AI_ENDPOINT", "http://ollama:11434", null))
        .contains(new EnvVar("MEMORY_MB", "256", null));
  }
}
