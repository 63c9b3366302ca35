package io.infraworker.pool;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.infraworker.api.PodToleration;
import io.infraworker.api.WarmPool;
import io.infraworker.api.WarmPoolSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the hardened, single-use sandbox pod of a WarmPool (DESIGN §3). */
public class SandboxPodFactory {
  public static final String AGENT_CONTAINER = "function";
  public static final String AGENT_PORT_NAME = "agent";
  public static final int AGENT_PORT = 8080;
  public static final String AGENT_TOKEN_ENV = "AGENT_TOKEN";
  static final String AGENT_BIN_DIR = "/infraworker/bin";
  static final long RUN_AS_USER = 65532;

  private final SandboxSettings settings;
  private final PodNames names;

  public SandboxPodFactory(SandboxSettings settings, PodNames names) {
    this.settings = settings;
    this.names = names;
  }

  /** A new standby pod for the pool, owned by it. */
  public Pod standbyPod(WarmPool pool) {
    WarmPoolSpec spec = pool.getSpec();
    Map<String, String> labels = new LinkedHashMap<>();
    if (spec.getLabels() != null) {
      spec.getLabels().forEach((k, v) -> {
        // The pool's own labels drive selectors and claims; user labels must not shadow them.
        if (!k.startsWith(Labels.PREFIX)) {
          labels.put(k, v);
        }
      });
    }
    labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
    labels.put(Labels.COMPONENT, Labels.COMPONENT_SANDBOX);
    labels.put(Labels.POOL, pool.getMetadata().getName());
    labels.put(Labels.RUNTIME, spec.getRuntime().wireName());
    labels.put(Labels.STATE, Labels.STATE_STANDBY);

    return sandboxPod(pool, names.podName(pool.getMetadata().getName()), labels);
  }

  /**
   * A pod made for one job when no standby pod is free (a cold start): built like a pool's pods,
   * but claimed from birth and owned by the job, with its deadline set at creation.
   */
  public Pod dedicatedPod(WarmPool shape, HasMetadata job, long activeDeadlineSeconds) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
    labels.put(Labels.COMPONENT, Labels.COMPONENT_SANDBOX);
    if (shape.getMetadata().getUid() != null) {
      labels.put(Labels.POOL, shape.getMetadata().getName());
    }
    labels.put(Labels.RUNTIME, shape.getSpec().getRuntime().wireName());
    labels.put(Labels.STATE, Labels.STATE_CLAIMED);
    labels.put(Labels.JOB, job.getMetadata().getName());
    Pod pod = sandboxPod(shape, names.podName(job.getMetadata().getName()), labels);
    pod.getMetadata().setNamespace(job.getMetadata().getNamespace());
    pod.getMetadata().setOwnerReferences(List.of(ownerReference(job)));
    pod.getSpec().setActiveDeadlineSeconds(activeDeadlineSeconds);
    return pod;
  }

  private Pod sandboxPod(WarmPool pool, String name, Map<String, String> labels) {
    WarmPoolSpec spec = pool.getSpec();
    ResourceRequirements resources = new ResourceRequirementsBuilder()
        .addToRequests("memory", new Quantity(spec.getMemoryMb() + "Mi"))
        .addToRequests("cpu", new Quantity(spec.getCpu()))
        .addToLimits("memory", new Quantity(spec.getMemoryMb() + "Mi"))
        .addToLimits("cpu", new Quantity(spec.getCpu()))
        .build();
    // The init container only copies a static binary; its small, equal requests and limits keep
    // the pod Guaranteed without raising its effective requests above the pool's.
    ResourceRequirements initResources = new ResourceRequirementsBuilder()
        .addToRequests("memory", new Quantity("32Mi"))
        .addToRequests("cpu", new Quantity("50m"))
        .addToLimits("memory", new Quantity("32Mi"))
        .addToLimits("cpu", new Quantity("50m"))
        .build();

    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVar(AGENT_TOKEN_ENV, names.agentToken(), null));
    env.add(new EnvVar("AGENT_LISTEN", ":" + AGENT_PORT, null));
    env.add(new EnvVar("WORKSPACE_DIR", "/workspace", null));
    env.add(new EnvVar("MEMORY_MB", String.valueOf(spec.getMemoryMb()), null));
    env.add(new EnvVar("HOME", "/tmp", null));
    settings.aiEndpoint().ifPresent(url -> env.add(new EnvVar("AI_ENDPOINT", url, null)));

    VolumeMount binMount = mount("agent-bin", AGENT_BIN_DIR);
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(pool.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(ownerReference(pool))
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withTerminationGracePeriodSeconds(5L)
        .withNodeSelector(spec.getNodeSelector())
        .withTolerations(spec.getTolerations() == null ? null
            : spec.getTolerations().stream().map(PodToleration::toKubernetes).toList())
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(RUN_AS_USER)
        .withRunAsGroup(RUN_AS_USER)
        .withFsGroup(RUN_AS_USER)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .addToInitContainers(new ContainerBuilder()
            .withName("install-agent")
            .withImage(settings.agentImage())
            .withCommand("/agent", "install", AGENT_BIN_DIR)
            .withResources(initResources)
            .withSecurityContext(containerSecurityContext())
            .withVolumeMounts(binMount)
            .build())
        .addToContainers(new ContainerBuilder()
            .withName(AGENT_CONTAINER)
            .withImage(spec.getImage())
            .withCommand(AGENT_BIN_DIR + "/agent", "serve")
            .withWorkingDir("/workspace")
            .withEnv(env)
            .addNewPort()
            .withName(AGENT_PORT_NAME)
            .withContainerPort(AGENT_PORT)
            .withProtocol("TCP")
            .endPort()
            .withNewReadinessProbe()
            .withNewHttpGet()
            .withPath("/healthz")
            .withPort(new IntOrString(AGENT_PORT_NAME))
            .endHttpGet()
            .withPeriodSeconds(2)
            .withFailureThreshold(3)
            .endReadinessProbe()
            .withResources(resources)
            .withSecurityContext(containerSecurityContext())
            .withVolumeMounts(
                mount("workspace", "/workspace"),
                mount("tmp", "/tmp"),
                new VolumeMountBuilder(binMount).withReadOnly(true).build())
            .build())
        .addToVolumes(
            new VolumeBuilder().withName("workspace").withNewEmptyDir()
                .withSizeLimit(new Quantity(settings.workspaceSizeLimit())).endEmptyDir().build(),
            new VolumeBuilder().withName("tmp").withNewEmptyDir()
                .withSizeLimit(new Quantity(settings.tmpSizeLimit())).endEmptyDir().build(),
            new VolumeBuilder().withName("agent-bin").withNewEmptyDir()
                .withSizeLimit(new Quantity("64Mi")).endEmptyDir().build())
        .endSpec()
        .build();
  }

  private static VolumeMount mount(String name, String path) {
    return new VolumeMountBuilder().withName(name).withMountPath(path).build();
  }

  private static SecurityContext containerSecurityContext() {
    Capabilities dropAll = new CapabilitiesBuilder().withDrop("ALL").build();
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withPrivileged(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withCapabilities(dropAll)
        .build();
  }

  /** A controller owner reference to the given resource. */
  public static OwnerReference ownerReference(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
