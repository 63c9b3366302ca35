package io.infraworker.dev.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link LocalNode} needs to know about this machine.
 *
 * @param agentBinary the agent binary started for every pod ({@code runtimes/agent/bin/agent})
 * @param stateDir where workspaces ({@code pods/<namespace>_<pod>}) and agent logs go
 * @param namespaces the namespaces whose pods run here; empty means all
 * @param addressBlock the second octet of pod IPs ({@code 127.<block>.y.z}); two stacks side by side need different blocks
 * @param sdkDir the SDK directory given to the agent as {@code SDK_DIR}
 * @param runAsUser the user agents run as (a name or {@code uid[:gid]}); empty keeps the JVM's user
 * @param cgroupMode which cgroup hierarchy limits the pods
 * @param maxPods how many pods may run at once; more are rejected as a full kubelet would
 * @param readyTimeout how long an agent may take to answer {@code /healthz} before its pod fails
 */
public record LocalNodeSettings(
    Path agentBinary,
    Path stateDir,
    Set<String> namespaces,
    int addressBlock,
    Path sdkDir,
    Optional<String> runAsUser,
    CgroupMode cgroupMode,
    int maxPods,
    Duration readyTimeout) {
  public static final int DEFAULT_ADDRESS_BLOCK = 20;
  public static final int DEFAULT_MAX_PODS = 256;

  public LocalNodeSettings {
    Objects.requireNonNull(agentBinary, "agentBinary");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(sdkDir, "sdkDir");
    Objects.requireNonNull(runAsUser, "runAsUser");
    Objects.requireNonNull(cgroupMode, "cgroupMode");
    Objects.requireNonNull(readyTimeout, "readyTimeout");
    namespaces = Set.copyOf(namespaces);
    // Block 0 holds 127.0.0.1, where the mock API server and the other dev services listen.
    if (addressBlock < 1 || addressBlock > 255) {
      throw new IllegalArgumentException("addressBlock " + addressBlock + ": expected 1 to 255");
    }
    if (maxPods < 1 || maxPods > AddressPool.CAPACITY) {
      throw new IllegalArgumentException("maxPods " + maxPods + ": expected 1 to " + AddressPool.CAPACITY);
    }
    agentBinary = agentBinary.toAbsolutePath().normalize();
    stateDir = stateDir.toAbsolutePath().normalize();
    sdkDir = sdkDir.toAbsolutePath().normalize();
  }

  /** All namespaces, block 20, {@code runtimes/sdk}, {@code nobody} when the JVM runs as root, cgroups as available. */
  public static LocalNodeSettings defaults(Path stateDir, Path agentBinary) {
    return new LocalNodeSettings(agentBinary, stateDir, Set.of(), DEFAULT_ADDRESS_BLOCK,
        Path.of("runtimes", "sdk"), RunAs.isRoot() ? Optional.of("nobody") : Optional.empty(),
        CgroupMode.AUTO, DEFAULT_MAX_PODS, Duration.ofSeconds(30));
  }

  public LocalNodeSettings withNamespaces(Set<String> value) {
    return new LocalNodeSettings(agentBinary, stateDir, value, addressBlock, sdkDir, runAsUser, cgroupMode,
        maxPods, readyTimeout);
  }

  public LocalNodeSettings withAddressBlock(int value) {
    return new LocalNodeSettings(agentBinary, stateDir, namespaces, value, sdkDir, runAsUser, cgroupMode,
        maxPods, readyTimeout);
  }

  public LocalNodeSettings withSdkDir(Path value) {
    return new LocalNodeSettings(agentBinary, stateDir, namespaces, addressBlock, value, runAsUser, cgroupMode,
        maxPods, readyTimeout);
  }

  public LocalNodeSettings withRunAsUser(Optional<String> value) {
    return new LocalNodeSettings(agentBinary, stateDir, namespaces, addressBlock, sdkDir, value, cgroupMode,
        maxPods, readyTimeout);
  }

  public LocalNodeSettings withCgroupMode(CgroupMode value) {
    return new LocalNodeSettings(agentBinary, stateDir, namespaces, addressBlock, sdkDir, runAsUser, value,
        maxPods, readyTimeout);
  }

  public LocalNodeSettings withMaxPods(int value) {
    return new LocalNodeSettings(agentBinary, stateDir, namespaces, addressBlock, sdkDir, runAsUser, cgroupMode,
        value, readyTimeout);
  }

  public LocalNodeSettings withReadyTimeout(Duration value) {
    return new LocalNodeSettings(agentBinary, stateDir, namespaces, addressBlock, sdkDir, runAsUser, cgroupMode,
        maxPods, value);
  }
}
