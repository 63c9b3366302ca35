package io.infraworker.dev.node;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/** What every {@link LocalPod} of one node shares. */
record NodeServices(
    KubernetesClient client,
    AgentLauncher launcher,
    CgroupDriver cgroups,
    AddressPool addresses,
    Workspaces workspaces,
    LogFiles logs,
    ExecutorService workers,
    ScheduledExecutorService timer,
    Clock clock,
    Duration readyTimeout) {}
