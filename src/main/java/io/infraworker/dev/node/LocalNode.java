package io.infraworker.dev.node;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.infraworker.pool.SandboxPodFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet of the dev stack: runs every new pod of the watched namespaces as a local agent
 * process in its own cgroup, on its own loopback address, and reports it as a kubelet would.
 * A development tool, not a security boundary (see the package documentation).
 */
public final class LocalNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalNode.class);
  private static final AtomicInteger STACKS = new AtomicInteger();
  private static final int WORKERS = 4;
  private static final Duration TICK = Duration.ofMillis(10);
  private static final Duration SWEEP = Duration.ofSeconds(2);
  private static final int SWEEP_BATCH = 64;
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(15);
  private static final long LOG_MAX_BYTES = 10L << 20;
  private static final int LOGS_KEPT = 50;

  private final KubernetesClient client;
  private final LocalNodeSettings settings;
  private final String stackName;
  private final Map<String, LocalPod> pods = new ConcurrentHashMap<>();
  private final List<SharedIndexInformer<Pod>> informers = new ArrayList<>();
  private final Object admission = new Object();
  private NodeServices node;
  private NodeFiles files;
  private OwnerCheck owners;
  private Thread shutdownHook;
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private int sweepCursor;
  private volatile boolean closing;

  public LocalNode(KubernetesClient client, LocalNodeSettings settings) {
    this.client = client;
    this.settings = settings;
    this.stackName = "infra-worker-" + ProcessHandle.current().pid() + "-" + STACKS.incrementAndGet();
  }

  /** Prepares cgroups, paths and threads and starts watching pods; pods that exist already and are new start too. */
  public synchronized LocalNode start() {
    if (node != null) {
      throw new IllegalStateException("LocalNode already started");
    }
    if (!Files.isExecutable(settings.agentBinary())) {
      throw new IllegalStateException("agent binary " + settings.agentBinary()
          + " is missing: build it with make -C runtimes/agent build");
    }
    node = newServices();
    owners = new OwnerCheck(client);
    node.timer().scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    node.timer().scheduleWithFixedDelay(() -> submit(this::sweep), SWEEP.toMillis(), SWEEP.toMillis(),
        TimeUnit.MILLISECONDS);
    shutdownHook = new Thread(this::close, "localnode-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    try {
      watchPods();
    } catch (RuntimeException e) {
      // The cgroup parents and threads exist by now; a failed start must not leave them behind.
      close();
      throw e;
    }
    return this;
  }

  private NodeServices newServices() {
    Optional<RunAs> runAs = RunAs.resolve(settings.runAsUser());
    Workspaces workspaces;
    try {
      files = NodeFiles.prepare(settings, runAs, stackName);
      workspaces = new Workspaces(files.stateDir(), runAs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String path = InterpreterPath.resolve(System.getenv().getOrDefault("PATH", ""), runAs);
    AgentLauncher launcher = new AgentLauncher(files.agentBinary(), files.sdkDir(), path, runAs);
    AddressPool addresses = new AddressPool(settings.addressBlock(), SandboxPodFactory.AGENT_PORT);
    CgroupDriver cgroups = CgroupDrivers.open(settings.cgroupMode(), stackName, runAs);
    LOG.info("LocalNode {}: {}, pods on 127.{}.0.0/16 as {}, state in {}, PATH={}", stackName, cgroups.describe(),
        settings.addressBlock(), runAs.map(RunAs::name).orElse("the JVM's user"), settings.stateDir(), path);
    return new NodeServices(client, launcher, cgroups, addresses, workspaces,
        new LogFiles(LOG_MAX_BYTES, LOGS_KEPT),
        Executors.newFixedThreadPool(WORKERS, threads("localnode-worker")),
        Executors.newSingleThreadScheduledExecutor(threads("localnode-timer")),
        Clock.systemUTC(), settings.readyTimeout());
  }

  // Informer callbacks only hand work to the workers: a slow start or API call must not stall the watch.
  private void watchPods() {
    ResourceEventHandler<Pod> handler = new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        submit(() -> seen(pod, true));
      }

      @Override
      public void onUpdate(Pod old, Pod pod) {
        // A claim moves the owner reference to the job; the new owner is checked at once.
        boolean ownersChanged = !Objects.equals(old.getMetadata().getOwnerReferences(),
            pod.getMetadata().getOwnerReferences());
        submit(() -> seen(pod, ownersChanged));
      }

      @Override
      public void onDelete(Pod pod, boolean finalStateUnknown) {
        submit(() -> deleted(pod));
      }
    };
    if (settings.namespaces().isEmpty()) {
      informers.add(client.pods().inAnyNamespace().inform(handler, 0));
    } else {
      settings.namespaces().stream().sorted()
          .forEach(ns -> informers.add(client.pods().inNamespace(ns).inform(handler, 0)));
    }
  }

  private void seen(Pod pod, boolean checkOwners) {
    String uid = pod.getMetadata().getUid();
    LocalPod known = pods.get(uid);
    if (known != null) {
      known.update(pod);
    } else if (isNew(pod)) {
      admit(pod).ifPresent(LocalPod::start);
    }
    if (checkOwners && isOrphan(pod, new HashMap<>())) {
      deleteOrphan(pod);
    }
  }

  // A pod some kubelet (or a test) already reported on is not this node's to run.
  private static boolean isNew(Pod pod) {
    PodStatus status = pod.getStatus();
    return pod.getMetadata().getDeletionTimestamp() == null
        && (status == null || status.getStartTime() == null && (status.getPhase() == null
            || "Pending".equals(status.getPhase())));
  }

  private Optional<LocalPod> admit(Pod pod) {
    synchronized (admission) {
      if (closing || pods.containsKey(pod.getMetadata().getUid())) {
        return Optional.empty();
      }
      if (pods.size() >= settings.maxPods()) {
        reject(pod);
        return Optional.empty();
      }
      LocalPod local = new LocalPod(node, pod, gone -> pods.remove(gone.uid(), gone));
      pods.put(local.uid(), local);
      return Optional.of(local);
    }
  }

  private void reject(Pod pod) {
    LOG.warn("Pod {}/{} rejected: this LocalNode already runs {} pods", pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(), settings.maxPods());
    PodStatus status = PodStatuses.rejected("OutOfpods",
        "Pod was rejected: Node didn't have enough resource: pods (LocalNode maxPods " + settings.maxPods() + ")");
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .editStatus(p -> {
            p.setStatus(status);
            return p;
          });
    } catch (KubernetesClientException e) {
      LOG.debug("rejection status not written: {}", e.getMessage());
    }
  }

  private void deleted(Pod pod) {
    LocalPod known = pods.get(pod.getMetadata().getUid());
    if (known != null) {
      known.delete(LocalPod.grace(pod));
    }
  }

  private void tick() {
    Instant now = node.clock().instant();
    for (LocalPod pod : pods.values()) {
      try {
        pod.tick(now);
      } catch (RuntimeException e) {
        LOG.warn("Pod {}: check failed", pod.key(), e);
      }
    }
  }

  /** Bounds the logs, then checks a bounded batch of pods for vanished owners, resuming where the last sweep stopped. */
  private void sweep() {
    // A slow API server must not pile sweeps up on the workers.
    if (!sweeping.compareAndSet(false, true)) {
      return;
    }
    try {
      sweepOnce();
    } finally {
      sweeping.set(false);
    }
  }

  private void sweepOnce() {
    pods.values().forEach(LocalPod::boundLog);
    List<Pod> all = new ArrayList<>();
    informers.forEach(i -> all.addAll(i.getStore().list()));
    if (all.isEmpty()) {
      return;
    }
    all.sort(Comparator.comparing(p -> p.getMetadata().getUid()));
    Map<String, Optional<String>> cache = new HashMap<>();
    int n = Math.min(SWEEP_BATCH, all.size());
    for (int i = 0; i < n && !closing; i++) {
      Pod pod = all.get((sweepCursor + i) % all.size());
      if (isOrphan(pod, cache)) {
        deleteOrphan(pod);
      }
    }
    sweepCursor = (sweepCursor + n) % all.size();
  }

  private boolean isOrphan(Pod pod, Map<String, Optional<String>> cache) {
    return pod.getMetadata().getDeletionTimestamp() == null && owners.orphaned(pod, cache);
  }

  private void deleteOrphan(Pod pod) {
    LOG.info("Pod {}/{}: its owners are gone, deleting it", pod.getMetadata().getNamespace(),
        pod.getMetadata().getName());
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
    } catch (KubernetesClientException e) {
      LOG.debug("orphan delete failed: {}", e.getMessage());
    }
  }

  private void submit(Runnable task) {
    if (closing) {
      return;
    }
    try {
      node.workers().execute(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          LOG.warn("LocalNode task failed", e);
        }
      });
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  /** Kills every agent and removes every cgroup, workspace and address of this node; returns when they are gone. */
  @Override
  public void close() {
    synchronized (this) {
      if (node == null || closing) {
        return;
      }
      synchronized (admission) {
        closing = true;
      }
    }
    informers.forEach(SharedIndexInformer::close);
    List<LocalPod> all = new ArrayList<>(pods.values());
    for (LocalPod pod : all) {
      node.workers().execute(() -> pod.delete(CLOSE_GRACE));
    }
    try {
      CompletableFuture.allOf(all.stream().map(LocalPod::gone).toArray(CompletableFuture[]::new))
          .get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("LocalNode {}: pods still going after {}; forcing", stackName, CLOSE_TIMEOUT);
    }
    // Whatever did not finish in time is finished here, on this thread.
    for (LocalPod pod : all) {
      if (!pod.gone().isDone()) {
        pod.killHard();
        pod.cleanup();
      }
    }
    node.timer().shutdownNow();
    node.workers().shutdown();
    try {
      node.workers().awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    node.cgroups().close();
    files.close();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // closing from the hook itself, while the JVM shuts down
    }
    LOG.info("LocalNode {} closed", stackName);
  }

  /** The PIDs of the agents this node runs now, for checks that nothing outlives the node. */
  public List<Long> agentPids() {
    return pods.values().stream().map(LocalPod::pid).flatMap(Optional::stream).toList();
  }

  /** The pod of this namespace and name while this node runs it. */
  Optional<LocalPod> pod(String namespace, String name) {
    return pods.values().stream().filter(p -> p.key().equals(namespace + "/" + name)).findFirst();
  }

  /** The parent directories of this node's pod cgroups, one per hierarchy. */
  List<Path> cgroupParents() {
    return node.cgroups().parents();
  }

  String stackName() {
    return stackName;
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
