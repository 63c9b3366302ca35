/**
 * LocalNode: the kubelet stand-in of the dev stack.
 *
 * <p>The dev stack has no cluster and no container engine: its Kubernetes API is Fabric8's mock
 * server. {@link io.infraworker.dev.node.LocalNode} makes the pods created through that API real,
 * so that the operator, unchanged, cannot tell it from a cluster:
 *
 * <ul>
 *   <li>It watches pods and runs every new one as a local agent process
 *       ({@code runtimes/agent/bin/agent serve}) with the environment of the pod's container. Images
 *       and the init container are ignored: the agent binary and the interpreters ({@code python3},
 *       {@code node}, {@code g++}, {@code go}) are the machine's own.
 *   <li>Each pod gets its own loopback address {@code 127.<block>.y.z} (block 20 by default; Linux
 *       routes all of 127/8 to {@code lo}), written to {@code status.podIP}; its agent listens on
 *       port 8080 there, as in a cluster.
 *   <li>Each pod gets its own cgroup with the container's memory limit (swap off), a pids limit of
 *       512 and its CPU limit as a CFS quota: cgroup v2 where the host is pure v2, else v1 (memory,
 *       pids and cpu hierarchies, under the JVM's own cgroup or the hierarchy's root), else, with a
 *       warning, only a data-segment rlimit per process. The agent joins the cgroup before it starts, so it
 *       measures peak memory and detects OOM kills as it does in a pod.
 *   <li>It writes the pod's status as a kubelet would: start time, phase, the {@code Ready}
 *       condition once {@code GET /healthz} answers, container states, and the reason an agent ended
 *       ({@code Completed}, {@code Error}, {@code OOMKilled}, {@code DeadlineExceeded}).
 *   <li>It enforces {@code activeDeadlineSeconds}, kills and removes deleted pods (SIGTERM, then
 *       SIGKILL after the grace period, capped at 5 s), and deletes pods whose owners are gone,
 *       because the mock API server has no garbage collector.
 *   <li>Workspaces live under {@code <stateDir>/pods/<namespace>_<pod>}, agent logs beside them
 *       ({@code <namespace>_<pod>.log}, truncated past 10 MiB; the last 50 removed pods' logs are
 *       kept). {@code close()} kills every agent and removes every cgroup, workspace and address.
 * </ul>
 *
 * <p><b>LocalNode is a development tool, not a security boundary.</b> The agents and the user code
 * they run are ordinary processes on the host. When the JVM runs as root they run as an
 * unprivileged user ({@code nobody} by default) without capabilities and with
 * {@code no_new_privs}; otherwise as the JVM's own user. The cgroups limit memory, the number of
 * processes and CPU, and nothing else: there is no filesystem isolation (user code sees the host's
 * files with that user's rights), no network isolation (it can reach anything the host can,
 * including the other pods and the dev stack's services) and no syscall filtering. Run only code
 * you trust with it; real isolation comes from a real cluster.
 */
package io.infraworker.dev.node;
