package io.infraworker.dev.node;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.infraworker.pool.SandboxPodFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pod on the local node, from admission to removal: its address, workspace, cgroup and agent
 * process, and the status a kubelet would report for it. Its state changes under its own lock;
 * slow work (signals, HTTP, file trees) runs on the node's workers outside it.
 */
final class LocalPod {
  private static final Logger LOG = LoggerFactory.getLogger(LocalPod.class);
  static final Duration MAX_GRACE = Duration.ofSeconds(5);
  private static final Duration CGROUP_REMOVE_TIMEOUT = Duration.ofSeconds(3);
  private static final String DELETED = "Deleted";
  private static final Duration FAST_PROBING = Duration.ofSeconds(2);
  private static final Duration PROBE_PERIOD = Duration.ofMillis(100);

  private final NodeServices node;
  private final String uid;
  private final String namespace;
  private final String name;
  private final Consumer<LocalPod> onGone;
  private final CompletableFuture<Void> gone = new CompletableFuture<>();
  // Status writes go out one at a time, each built from the state at the moment it goes out, so the
  // last one written always carries the latest state.
  private final Object statusLock = new Object();
  private PodStatus lastWritten;

  private Pod pod;
  private String podIP;
  private Instant startTime;
  private Instant startedAt;
  private Instant readyAt;
  private Path workspace;
  private Path logFile;
  private PodCgroup cgroup;
  private long oomBaseline;
  private Process process;
  private Termination termination;
  private String podReason;
  private String podMessage;
  private String killReason;
  private String killMessage;
  private ScheduledFuture<?> hardKill;
  private boolean probing;
  private Instant lastProbe;
  private boolean deleting;
  private boolean cleanedUp;

  LocalPod(NodeServices node, Pod pod, Consumer<LocalPod> onGone) {
    this.node = node;
    this.pod = pod;
    this.uid = pod.getMetadata().getUid();
    this.namespace = pod.getMetadata().getNamespace();
    this.name = pod.getMetadata().getName();
    this.onGone = onGone;
  }

  String uid() {
    return uid;
  }

  String key() {
    return namespace + "/" + name;
  }

  /** Completes once the process, cgroup, workspace and address are gone. */
  CompletableFuture<Void> gone() {
    return gone;
  }

  synchronized Optional<Long> pid() {
    return process == null ? Optional.empty() : Optional.of(process.pid());
  }

  synchronized List<Path> cgroupDirs() {
    return cgroup == null ? List.of() : cgroup.dirs();
  }

  synchronized Optional<Path> workspace() {
    return Optional.ofNullable(workspace);
  }

  synchronized Optional<String> podIP() {
    return Optional.ofNullable(podIP);
  }

  /** Gives the pod an address, workspace and cgroup and starts its agent; any failure ends the pod as StartError. */
  void start() {
    synchronized (this) {
      if (deleting) {
        return;
      }
      startTime = node.clock().instant();
      try {
        podIP = node.addresses().allocate()
            .orElseThrow(() -> new IOException("no free pod address is left in the node's block"));
        workspace = node.workspaces().create(namespace, name);
        logFile = node.workspaces().logFile(namespace, name);
        cgroup = node.cgroups().create(cgroupName(), PodLimits.of(pod));
        oomBaseline = cgroup.oomKills().orElse(0);
        process = node.launcher().start(pod, podIP, workspace, cgroup, logFile);
        startedAt = node.clock().instant();
      } catch (IOException | RuntimeException e) {
        LOG.warn("Pod {} cannot start: {}", key(), e.getMessage());
        termination = new Termination(128, Termination.START_ERROR, e.getMessage(), node.clock().instant());
        writeStatus();
        return;
      }
      LOG.info("Pod {} started: agent pid {} on {}:{}", key(), process.pid(), podIP, SandboxPodFactory.AGENT_PORT);
    }
    process.onExit().thenRunAsync(this::exited, node.workers());
    writeStatus();
  }

  // The pod name says which pod a directory belongs to; the uid keeps a pod recreated under the same
  // name apart from the old one that may still be on its way out.
  private String cgroupName() {
    return namespace + "_" + name + "_" + uid.substring(0, Math.min(8, uid.length()));
  }

  /** The latest object from the API: its deadline may have been set by a claim, or its deletion begun. */
  void update(Pod latest) {
    boolean delete;
    synchronized (this) {
      pod = latest;
      delete = latest.getMetadata().getDeletionTimestamp() != null;
    }
    if (delete) {
      delete(grace(latest));
    }
  }

  /** The periodic check: {@code activeDeadlineSeconds}, then readiness. */
  synchronized void tick(Instant now) {
    if (process == null || termination != null || deleting || killReason != null) {
      return;
    }
    Long deadline = pod.getSpec().getActiveDeadlineSeconds();
    if (deadline != null && !now.isBefore(startTime.plusSeconds(deadline))) {
      LOG.info("Pod {} passed its activeDeadlineSeconds ({}): killing it", key(), deadline);
      kill(Termination.DEADLINE_EXCEEDED, PodStatuses.DEADLINE_MESSAGE, grace(pod));
      return;
    }
    if (readyAt != null) {
      return;
    }
    if (now.isAfter(startedAt.plus(node.readyTimeout()))) {
      kill(Termination.ERROR, "the agent did not answer /healthz within " + node.readyTimeout().toSeconds()
          + " s; see " + logFile, Duration.ZERO);
    } else if (!probing && probeDue(now)) {
      probing = true;
      lastProbe = now;
      String host = podIP;
      node.workers().execute(() -> probed(HealthProbe.ok(host, SandboxPodFactory.AGENT_PORT)));
    }
  }

  // An agent listens within tens of milliseconds, and every standby pod waits for this probe: probe
  // on every tick at first, then at the kubelet's gentler pace.
  private boolean probeDue(Instant now) {
    return now.isBefore(startedAt.plus(FAST_PROBING)) || lastProbe == null
        || !now.isBefore(lastProbe.plus(PROBE_PERIOD));
  }

  private void probed(boolean ok) {
    synchronized (this) {
      probing = false;
      if (!ok || readyAt != null || termination != null || killReason != null || deleting) {
        return;
      }
      readyAt = node.clock().instant();
      LOG.info("Pod {} is ready {} ms after admission ({} ms after its agent started)", key(),
          Duration.between(startTime, readyAt).toMillis(), Duration.between(startedAt, readyAt).toMillis());
    }
    writeStatus();
  }

  /** Stops the pod for good because it was deleted; removal follows once the process is gone. */
  void delete(Duration grace) {
    boolean cleanNow;
    synchronized (this) {
      if (deleting) {
        if (grace.isZero() && process != null && process.isAlive()) {
          node.workers().execute(this::killHard);
        }
        return;
      }
      deleting = true;
      cleanNow = process == null || !process.isAlive();
      if (!cleanNow) {
        kill(DELETED, null, grace);
      }
    }
    if (cleanNow) {
      cleanup();
    }
  }

  // Like the kubelet: SIGTERM to the group, SIGKILL once the grace period is over.
  private void kill(String reason, String message, Duration grace) {
    if (killReason == null) {
      killReason = reason;
      killMessage = message;
    }
    if (process == null || !process.isAlive()) {
      return;
    }
    if (grace.isZero()) {
      node.workers().execute(this::killHard);
      return;
    }
    Process p = process;
    node.workers().execute(() -> {
      if (!Signals.group(p.pid(), "TERM")) {
        p.destroy();
      }
    });
    hardKill = node.timer().schedule(() -> node.workers().execute(this::killHard),
        grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** SIGKILL to the agent's group, its descendants (user functions run in groups of their own) and its cgroup. */
  void killHard() {
    Process p;
    PodCgroup cg;
    synchronized (this) {
      p = process;
      cg = cgroup;
    }
    if (p == null) {
      return;
    }
    List<ProcessHandle> descendants = p.descendants().toList();
    Signals.group(p.pid(), "KILL");
    p.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    if (cg != null) {
      cg.pids().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }
  }

  private void exited() {
    boolean cleanNow;
    synchronized (this) {
      if (hardKill != null) {
        hardKill.cancel(false);
      }
      if (termination == null) {
        termination = terminationOf(process.exitValue());
        LOG.info("Pod {}: agent pid {} ended: {} (exit {})", key(), process.pid(), termination.reason(),
            termination.exitCode());
      }
      cleanNow = deleting;
    }
    // A function that escaped the agent's process groups dies with its pod, as in a container.
    if (cgroup != null) {
      cgroup.pids().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }
    if (cleanNow) {
      cleanup();
    } else {
      writeStatus();
    }
  }

  private Termination terminationOf(int exitCode) {
    Instant now = node.clock().instant();
    if (Termination.DEADLINE_EXCEEDED.equals(killReason)) {
      podReason = Termination.DEADLINE_EXCEEDED;
      podMessage = PodStatuses.DEADLINE_MESSAGE;
      return new Termination(exitCode, Termination.DEADLINE_EXCEEDED, killMessage, now);
    }
    if (Termination.ERROR.equals(killReason)) {
      podMessage = killMessage;
      return new Termination(exitCode, Termination.ERROR, killMessage, now);
    }
    // The kernel's count, not exit code 137 alone: a SIGKILL from anyone else is no OOM.
    long ooms = cgroup.oomKills().orElse(oomBaseline);
    if (exitCode == Termination.SIGKILL_EXIT && ooms > oomBaseline) {
      return new Termination(exitCode, Termination.OOM_KILLED, null, now);
    }
    if (exitCode == 0) {
      return new Termination(0, Termination.COMPLETED, null, now);
    }
    String message = exitCode == AgentLauncher.JOIN_FAILED
        ? "the agent could not join its cgroup; see " + logFile
        : "the agent exited with code " + exitCode + "; see " + logFile;
    return new Termination(exitCode, Termination.ERROR, message, now);
  }

  /** Removes everything the pod had on this machine; runs once, after its process is gone. */
  void cleanup() {
    Process p;
    Pod last;
    synchronized (this) {
      if (cleanedUp) {
        return;
      }
      cleanedUp = true;
      deleting = true;
      p = process;
      last = pod;
    }
    try {
      if (p != null && p.isAlive()) {
        killHard();
        p.onExit().get(CGROUP_REMOVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (Exception e) {
      LOG.warn("Pod {}: agent pid {} did not die: {}", key(), p.pid(), e.toString());
    }
    if (cgroup != null) {
      List<Path> left = cgroup.remove(CGROUP_REMOVE_TIMEOUT);
      if (!left.isEmpty()) {
        LOG.warn("Pod {}: could not remove cgroup {}", key(), left);
      }
    }
    if (workspace != null) {
      try {
        Workspaces.delete(workspace);
      } catch (IOException e) {
        LOG.warn("Pod {}: could not remove workspace {}: {}", key(), workspace, e.toString());
      }
    }
    if (logFile != null) {
      node.logs().retire(logFile);
    }
    if (podIP != null) {
      node.addresses().free(podIP);
    }
    onGone.accept(this);
    // The mock API server has no kubelet to confirm a graceful deletion; this node is that kubelet.
    if (last.getMetadata().getDeletionTimestamp() != null) {
      try {
        node.client().pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
      } catch (KubernetesClientException e) {
        LOG.debug("Pod {}: final delete failed: {}", key(), e.getMessage());
      }
    }
    LOG.info("Pod {} removed", key());
    gone.complete(null);
  }

  /** Truncates the agent's log when it has grown past the cap. */
  void boundLog() {
    Path log;
    synchronized (this) {
      log = cleanedUp ? null : logFile;
    }
    if (log != null) {
      node.logs().truncateIfLarge(log);
    }
  }

  private void writeStatus() {
    node.workers().execute(this::sendStatus);
  }

  private void sendStatus() {
    synchronized (statusLock) {
      PodStatus status;
      synchronized (this) {
        if (deleting) {
          return;
        }
        status = PodStatuses.build(new PodStatuses.View(pod, podIP, startTime, startedAt,
            process == null ? 0 : process.pid(), readyAt, termination, podReason, podMessage));
      }
      if (status.equals(lastWritten)) {
        return;
      }
      try {
        node.client().pods().inNamespace(namespace).withName(name).editStatus(p -> {
          p.setStatus(status);
          return p;
        });
        lastWritten = status;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          LOG.warn("Pod {}: status write failed: {}", key(), e.getMessage());
        }
      }
    }
  }

  /** The grace period of a deletion or a kill: the pod's own, capped so that the dev stack stays quick. */
  static Duration grace(Pod pod) {
    Long seconds = pod.getMetadata().getDeletionGracePeriodSeconds();
    if (seconds == null) {
      seconds = pod.getSpec().getTerminationGracePeriodSeconds();
    }
    if (seconds == null) {
      seconds = 30L;
    }
    Duration grace = Duration.ofSeconds(Math.max(0, seconds));
    return grace.compareTo(MAX_GRACE) > 0 ? MAX_GRACE : grace;
  }
}
