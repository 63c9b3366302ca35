package io.infraworker.pool;

import java.util.Objects;
import java.util.Optional;

/**
 * Operator-wide settings of sandbox pods that do not come from the WarmPool.
 *
 * @param agentImage image whose init container installs the agent binary into the pod
 * @param aiEndpoint AI endpoint given to user code, if any
 * @param workspaceSizeLimit size limit of the /workspace emptyDir (a Kubernetes quantity)
 * @param tmpSizeLimit size limit of the /tmp emptyDir
 */
public record SandboxSettings(
    String agentImage, Optional<String> aiEndpoint, String workspaceSizeLimit, String tmpSizeLimit) {
  public SandboxSettings {
    Objects.requireNonNull(agentImage, "agentImage");
    Objects.requireNonNull(aiEndpoint, "aiEndpoint");
  }

  public static SandboxSettings of(String agentImage, Optional<String> aiEndpoint) {
    return new SandboxSettings(agentImage, aiEndpoint, "1Gi", "512Mi");
  }
}
