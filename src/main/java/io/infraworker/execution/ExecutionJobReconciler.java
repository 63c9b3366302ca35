package io.infraworker.execution;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.infraworker.api.ExecutionJob;
import io.infraworker.api.ExecutionJobSpec;
import io.infraworker.api.ExecutionJobStatus;
import io.infraworker.api.JobPhase;
import io.infraworker.api.JobResult;
import io.infraworker.api.StatusCondition;
import io.infraworker.api.WarmPool;
import io.infraworker.api.WarmPoolSpec;
import io.infraworker.execution.agent.AgentClient;
import io.infraworker.execution.agent.AgentEndpoint;
import io.infraworker.execution.agent.AgentException;
import io.infraworker.execution.agent.AgentRejectedException;
import io.infraworker.execution.agent.AgentResult;
import io.infraworker.execution.agent.AgentRunNotStartedException;
import io.infraworker.execution.agent.RunRequest;
import io.infraworker.execution.code.CodeException;
import io.infraworker.execution.code.CodeSource;
import io.infraworker.metrics.EventRecorder;
import io.infraworker.metrics.EventRecorder.Reason;
import io.infraworker.metrics.EventRecorder.Type;
import io.infraworker.metrics.WorkerMetrics;
import io.infraworker.pool.Labels;
import io.infraworker.pool.PodClaimer;
import io.infraworker.pool.PodStates;
import io.infraworker.pool.PoolSelector;
import io.infraworker.pool.SandboxPodFactory;
import io.infraworker.results.OutputUploader;
import io.infraworker.results.ResultPublisher;
import io.infraworker.results.ResultStoreUnavailableException;
import io.infraworker.tuning.AutoTuner;
import io.infraworker.tuning.Tuning;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Drives one ExecutionJob from the queue to its published result (DESIGN §4, §7, §12): check the
 * code, claim a standby pod, run the function through the pod's agent without blocking a reconcile
 * thread, upload outputs, publish the result exactly once, delete the pod. One private method per
 * phase; every step is re-entrant, so a restarted operator resumes from the status and the pod.
 */
public class ExecutionJobReconciler implements Reconciler<ExecutionJob> {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutionJobReconciler.class);
  public static final String NAME = "executionjob";
  static final String POD_EVENT_SOURCE = "executionjob-pods";
  static final String POOL_EVENT_SOURCE = "executionjob-pools";
  public static final String SENT_AT_ANNOTATION = "infraworker.io/sent-at";
  public static final String RECEIVED_AT_ANNOTATION = "infraworker.io/received-at";
  private static final Duration NO_CAPACITY_RETRY = Duration.ofMillis(500);
  private static final Duration POLL_REATTACHED = Duration.ofSeconds(1);
  private static final int MAX_FETCH_TRIES = 5;
  private static final int MAX_OUTPUT_TRIES = 3;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final ExecutionSettings settings;
  private final SandboxPodFactory podFactory;
  private final PodClaimer claimer;
  private final CodeSource code;
  private final AgentClient agent;
  private final ResultPublisher publisher;
  private final OutputUploader uploader;
  private final AutoTuner tuner;
  private final WorkerMetrics metrics;
  private final EventRecorder events;
  private final Clock clock;
  private final RunCompletionEventSource completions = new RunCompletionEventSource();
  private final JobStatusStore statuses;
  private final RunTracker runs = new RunTracker(completions::runEnded);
  // Retry counters of steps that fail transiently; one entry per job in trouble, removed when it ends.
  private final Map<ResourceID, Integer> retries = new ConcurrentHashMap<>();
  // Results waiting for Redis, with their full stdout; bounded by the jobs in flight.
  private final Map<ResourceID, JobResult> pending = new ConcurrentHashMap<>();
  private volatile InformerEventSource<Pod, ExecutionJob> pods;
  private volatile InformerEventSource<WarmPool, ExecutionJob> pools;
  private volatile IndexerResourceCache<ExecutionJob> jobs;

  public ExecutionJobReconciler(KubernetesClient client, ExecutionSettings settings, SandboxPodFactory podFactory,
      PodClaimer claimer, CodeSource code, AgentClient agent, ResultPublisher publisher, OutputUploader uploader,
      AutoTuner tuner, WorkerMetrics metrics, EventRecorder events, Clock clock) {
    this.client = client;
    this.settings = settings;
    this.podFactory = podFactory;
    this.claimer = claimer;
    this.code = code;
    this.agent = agent;
    this.publisher = publisher;
    this.uploader = uploader;
    this.tuner = tuner;
    this.metrics = metrics;
    this.events = events;
    this.clock = clock;
    this.statuses = new JobStatusStore(client);
  }

  @Override
  public List<EventSource<?, ExecutionJob>> prepareEventSources(EventSourceContext<ExecutionJob> context) {
    jobs = context.getPrimaryCache();
    // A job's pod names it in a label; the owner reference alone would miss a pod claimed by a job
    // whose status was not written yet (operator stopped in between).
    pods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, ExecutionJob.class)
        .withName(POD_EVENT_SOURCE)
        .withLabelSelector(Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE)
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(pod -> Labels.get(pod, Labels.JOB)
            .map(job -> Set.of(new ResourceID(job, pod.getMetadata().getNamespace())))
            .orElse(Set.of()))
        .build(), context);
    // Pools are only looked up, never mapped to jobs: a pool change must not reconcile every job.
    pools = new InformerEventSource<>(InformerEventSourceConfiguration.from(WarmPool.class, ExecutionJob.class)
        .withName(POOL_EVENT_SOURCE)
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(pool -> Set.of())
        .build(), context);
    return List.of(pods, pools, completions);
  }

  /** Jobs that are not final yet; intake stops receiving while there are MAX_IN_FLIGHT of them. */
  public int unfinishedJobs() {
    IndexerResourceCache<ExecutionJob> cache = jobs;
    if (cache == null) {
      return 0;
    }
    return (int) cache.list().filter(j -> !isTerminal(j.getStatus())).count();
  }

  /**
   * Drops the in-memory state of jobs that were deleted before they finished (their runs, pending
   * results and retry counters), so those maps stay bounded by the jobs that exist.
   */
  private void forgetDeletedJobs() {
    IndexerResourceCache<ExecutionJob> cache = jobs;
    if (cache == null) {
      return;
    }
    java.util.function.Predicate<ResourceID> gone = id -> cache.get(id).isEmpty();
    runs.forgetIf(gone);
    pending.keySet().removeIf(gone);
    retries.keySet().removeIf(gone);
  }

  /** Jobs running in a pod now: the original worker's worker_active_jobs. */
  public int activeJobs() {
    IndexerResourceCache<ExecutionJob> cache = jobs;
    if (cache == null) {
      return 0;
    }
    return (int) cache.list()
        .filter(j -> j.getStatus() != null && j.getStatus().getPhase() == JobPhase.RUNNING).count();
  }

  @Override
  public UpdateControl<ExecutionJob> reconcile(ExecutionJob cached, Context<ExecutionJob> context) {
    ExecutionJob job = statuses.freshest(cached);
    MDC.put("requestId", job.getSpec().getRequestId());
    try {
      ExecutionJobStatus status = job.getStatus() == null ? newStatus(job) : job.getStatus();
      job.setStatus(status);
      UpdateControl<ExecutionJob> control;
      if (isTerminal(status)) {
        control = afterFinish(job, context);
      } else {
        control = drive(job, context);
      }
      metrics.activeJobs(activeJobs());
      forgetDeletedJobs();
      return control;
    } finally {
      MDC.remove("requestId");
    }
  }

  private ExecutionJobStatus newStatus(ExecutionJob job) {
    ExecutionJobStatus status = new ExecutionJobStatus();
    status.setPhase(JobPhase.PENDING);
    status.setAttempts(0);
    status.setResultPublished(false);
    String received = annotation(job, RECEIVED_AT_ANNOTATION)
        .orElse(job.getMetadata().getCreationTimestamp() != null
            ? job.getMetadata().getCreationTimestamp() : now().toString());
    status.setReceivedAt(received);
    status.setObservedGeneration(job.getMetadata().getGeneration());
    return status;
  }

  // ---- Pending and Running ------------------------------------------------------------------------

  private UpdateControl<ExecutionJob> drive(ExecutionJob job, Context<ExecutionJob> context) {
    ResourceID id = ResourceID.fromResource(job);
    ExecutionJobStatus status = job.getStatus();
    Optional<Pod> pod = currentPod(job, context);
    if (pod.isEmpty()) {
      if (status.getPodName() != null) {
        return agentLost(job, "pod " + status.getPodName() + " is gone");
      }
      return acquire(job, context);
    }
    Pod p = pod.get();
    if (!p.getMetadata().getName().equals(status.getPodName())) {
      return adopt(job, p);
    }
    Optional<CompletableFuture<AgentResult>> finished = runs.finished(id);
    if (finished.isPresent()) {
      try {
        return finish(job, p, finished.get().get());
      } catch (ExecutionException e) {
        runs.forget(id);
        // The kubelet's deadline kill resets the connection before the pod's final state is cached.
        Pod live = client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).get();
        if (live != null && PodStates.isFinished(live)) {
          return podStopped(job, live);
        }
        return agentLost(job, "agent of pod " + p.getMetadata().getName() + " failed: " + rootMessage(e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return UpdateControl.<ExecutionJob>noUpdate().rescheduleAfter(POLL_REATTACHED);
      }
    }
    if (runs.isTracked(id)) {
      return UpdateControl.noUpdate(); // the run's end triggers the next reconcile
    }
    if (PodStates.isFinished(p)) {
      return podStopped(job, p);
    }
    // Readiness only gates starting a run: a busy function may fail a probe without being lost.
    if (!PodStates.isReady(p) || p.getStatus().getPodIP() == null) {
      if (status.getStartedAt() == null) {
        if ("PodStarting".equals(status.getReason())) {
          return UpdateControl.noUpdate(); // the pod's next status change brings the next reconcile
        }
        setPhase(status, JobPhase.PENDING, "PodStarting", "waiting for pod " + p.getMetadata().getName()
            + " to be ready");
        return patch(job);
      }
      return UpdateControl.<ExecutionJob>noUpdate().rescheduleAfter(POLL_REATTACHED);
    }
    return startOrReattach(job, p);
  }

  /**
   * Takes over a pod that carries the job's label but is not in its status: the claim (or cold start)
   * happened and the status write after it was lost, e.g. with an operator restart.
   */
  private UpdateControl<ExecutionJob> adopt(ExecutionJob job, Pod pod) {
    ExecutionJobStatus status = job.getStatus();
    status.setPodName(pod.getMetadata().getName());
    status.setAttempts(Math.max(1, Objects.requireNonNullElse(status.getAttempts(), 0)));
    status.setAllocatedMemoryMb(memoryMb(pod));
    setPhase(status, JobPhase.RUNNING, "Adopted", "took over pod " + pod.getMetadata().getName());
    LOG.info("adopted pod {} claimed before the last status write", pod.getMetadata().getName());
    return patch(job).rescheduleAfter(Duration.ofMillis(1));
  }

  private UpdateControl<ExecutionJob> acquire(ExecutionJob job, Context<ExecutionJob> context) {
    ExecutionJobSpec spec = job.getSpec();
    ExecutionJobStatus status = job.getStatus();
    // The code is checked before anything reaches a pod, and a job with bad code never takes one.
    try {
      code.get(spec.getCode().getBucket(), spec.getCode().getKey());
      retries.remove(ResourceID.fromResource(job));
    } catch (CodeException e) {
      if (!e.retryable()) {
        return failBeforeRun(job, e.reason(), e.getMessage());
      }
      int tries = retries.merge(ResourceID.fromResource(job), 1, Integer::sum);
      if (tries >= MAX_FETCH_TRIES) {
        return failBeforeRun(job, e.reason(), "code fetch failed " + tries + " times: " + e.getMessage());
      }
      setPhase(status, JobPhase.PENDING, e.reason(), "retrying code fetch (" + tries + "): " + e.getMessage());
      return patch(job).rescheduleAfter(backoff(tries));
    }

    String ns = job.getMetadata().getNamespace();
    Optional<WarmPool> pool = PoolSelector.select(pools.list(ns, p -> true).collect(Collectors.toList()),
        spec.getRuntime(), spec.getMemoryMb());
    Instant received = Instant.parse(status.getReceivedAt());
    if (pool.isPresent()) {
      List<Pod> candidates = standbyPods(ns, pool.get().getMetadata().getName());
      Optional<Pod> claimed = claimer.claim(job, candidates, runSeconds(spec), now());
      if (claimed.isPresent()) {
        Pod pod = claimed.get();
        pods.handleRecentResourceUpdate(ResourceID.fromResource(job), pod, candidateBefore(candidates, pod));
        metrics.claimLatency(spec.getRuntime().wireName(), secondsSince(received));
        return claimedPod(job, pod, Reason.Claimed, "claimed standby pod " + pod.getMetadata().getName()
            + " of pool " + pool.get().getMetadata().getName());
      }
      Duration waited = Duration.between(received, now());
      if (waited.compareTo(settings.coldStartAfter()) < 0) {
        if (!"NoCapacity".equals(status.getReason())) {
          events.record(job, Type.Normal, Reason.NoCapacity, "no standby pod free in pool "
              + pool.get().getMetadata().getName() + "; waiting up to " + settings.coldStartAfter().toMillis()
              + " ms before a cold start");
        }
        if ("NoCapacity".equals(status.getReason())) {
          // already said so: API writes are the operator's ceiling, so a waiting job costs none
          return UpdateControl.<ExecutionJob>noUpdate().rescheduleAfter(NO_CAPACITY_RETRY);
        }
        setPhase(status, JobPhase.PENDING, "NoCapacity", "no standby pod free in pool "
            + pool.get().getMetadata().getName());
        return patch(job).rescheduleAfter(NO_CAPACITY_RETRY);
      }
      return coldStart(job, pool.get(), "no standby pod freed up in " + waited.toMillis() + " ms");
    }
    // No pool can ever serve this job (runtime or size): waiting would not help.
    return coldStart(job, shapeFor(job), "no WarmPool of runtime " + spec.getRuntime() + " with "
        + spec.getMemoryMb() + " MiB or more");
  }

  private List<Pod> standbyPods(String namespace, String pool) {
    List<Pod> candidates = pods.list(namespace, p -> pool.equals(Labels.get(p, Labels.POOL).orElse(null))
            && Labels.isStandby(p) && !PodStates.isTerminating(p) && PodStates.isReady(p))
        .collect(Collectors.toCollection(ArrayList::new));
    // Concurrent jobs would all try the same first pod and queue up on 409s; a shuffle spreads them.
    Collections.shuffle(candidates);
    return candidates;
  }

  private static Pod candidateBefore(List<Pod> candidates, Pod claimed) {
    return candidates.stream()
        .filter(p -> p.getMetadata().getName().equals(claimed.getMetadata().getName()))
        .findFirst().orElse(claimed);
  }

  private UpdateControl<ExecutionJob> coldStart(ExecutionJob job, WarmPool shape, String why) {
    long deadline = runSeconds(job.getSpec()) + Duration.ofMinutes(2).toSeconds();
    Pod pod = client.pods().inNamespace(job.getMetadata().getNamespace())
        .resource(podFactory.dedicatedPod(shape, job, deadline)).create();
    pods.handleRecentResourceCreate(ResourceID.fromResource(job), pod);
    metrics.coldStart(job.getSpec().getRuntime().wireName());
    return claimedPod(job, pod, Reason.ColdStart, "cold start: created pod " + pod.getMetadata().getName()
        + " (" + why + ")");
  }

  private UpdateControl<ExecutionJob> claimedPod(ExecutionJob job, Pod pod, Reason reason, String message) {
    ExecutionJobStatus status = job.getStatus();
    status.setPodName(pod.getMetadata().getName());
    status.setAttempts(Objects.requireNonNullElse(status.getAttempts(), 0) + 1);
    status.setAllocatedMemoryMb(memoryMb(pod));
    setPhase(status, JobPhase.RUNNING, reason.name(), message);
    events.record(job, Type.Normal, reason, message);
    LOG.info("{}", message);
    // The claim's own pod update is recorded in the cache as ours, so it raises no event: go on at once.
    return patch(job).rescheduleAfter(Duration.ofMillis(1));
  }

  private WarmPool shapeFor(ExecutionJob job) {
    WarmPool shape = new WarmPool();
    shape.getMetadata().setName("dedicated");
    shape.getMetadata().setNamespace(job.getMetadata().getNamespace());
    WarmPoolSpec spec = new WarmPoolSpec();
    spec.setRuntime(job.getSpec().getRuntime());
    spec.setImage(settings.images().apply(job.getSpec().getRuntime()));
    spec.setMemoryMb(job.getSpec().getMemoryMb());
    spec.setCpu(settings.cpu());
    shape.setSpec(spec);
    return shape;
  }

  private UpdateControl<ExecutionJob> startOrReattach(ExecutionJob job, Pod pod) {
    ResourceID id = ResourceID.fromResource(job);
    AgentEndpoint endpoint = endpoint(pod);
    try {
      // After an operator restart the run may be going on or over already: ask before starting one.
      Optional<AgentResult> existing = agent.awaitResult(endpoint, Duration.ZERO);
      if (existing.isPresent()) {
        runs.completed(id, existing.get());
        return finish(job, pod, existing.get());
      }
      return UpdateControl.<ExecutionJob>noUpdate().rescheduleAfter(POLL_REATTACHED);
    } catch (AgentRunNotStartedException notStarted) {
      // the normal case: a fresh pod
    } catch (AgentException e) {
      return agentLost(job, "agent of pod " + pod.getMetadata().getName() + " unreachable: " + e.getMessage());
    }
    ExecutionJobSpec spec = job.getSpec();
    byte[] zip;
    try {
      zip = code.get(spec.getCode().getBucket(), spec.getCode().getKey()).bytes();
    } catch (CodeException e) {
      // the code was checked before the claim; if it changed or vanished since, the run cannot go on
      int tries = e.retryable() ? retries.merge(id, 1, Integer::sum) : MAX_FETCH_TRIES;
      if (tries < MAX_FETCH_TRIES) {
        return UpdateControl.<ExecutionJob>noUpdate().rescheduleAfter(backoff(tries));
      }
      return failBeforeRun(job, e.reason(), e.getMessage());
    }
    try {
      agent.putCode(endpoint, zip);
    } catch (AgentRejectedException e) {
      // 409: this pod got the code before a restart (it takes code once); go on and start the run
      if (e.statusCode() != 409) {
        return agentLost(job, "pod " + pod.getMetadata().getName() + " refused the code: " + e.getMessage());
      }
    } catch (AgentException e) {
      return agentLost(job, "could not send the code to pod " + pod.getMetadata().getName() + ": " + e.getMessage());
    }
    RunRequest request = new RunRequest(spec.getRuntime(), spec.getTimeoutMs(),
        settings.maxOutputBytes(), spec.getInput(), spec.getEnv(), spec.getRequestId(), spec.getFunctionId(),
        spec.getMemoryMb(), spec.getModelId());
    runs.track(id, agent.run(endpoint, request));
    ExecutionJobStatus status = job.getStatus();
    status.setStartedAt(now().toString());
    setPhase(status, JobPhase.RUNNING, "Started", "running in pod " + pod.getMetadata().getName());
    return patch(job);
  }

  private UpdateControl<ExecutionJob> podStopped(ExecutionJob job, Pod pod) {
    String why = PodStates.finishReason(pod).orElse(PodStates.phase(pod));
    runs.forget(ResourceID.fromResource(job));
    if (JobOutcome.DEADLINE_EXCEEDED.equals(why)) {
      return failBeforeRun(job, JobOutcome.deadlineExceeded(job.getSpec().getTimeoutMs()));
    }
    if (JobOutcome.OOM_KILLED.equals(why)) {
      return failBeforeRun(job, JobOutcome.failed(JobOutcome.OOM_KILLED,
          "the pod's agent was killed for memory: the function used more than the pod's limit"));
    }
    return agentLost(job, "pod " + pod.getMetadata().getName() + " stopped: " + why);
  }

  private UpdateControl<ExecutionJob> agentLost(ExecutionJob job, String why) {
    ResourceID id = ResourceID.fromResource(job);
    ExecutionJobStatus status = job.getStatus();
    runs.forget(id);
    currentPodName(job).ifPresent(name -> deletePod(job.getMetadata().getNamespace(), name));
    int attempts = Objects.requireNonNullElse(status.getAttempts(), 0);
    if (attempts >= settings.maxAttempts()) {
      return failBeforeRun(job, JobOutcome.failed(JobOutcome.AGENT_LOST,
          why + "; gave up after " + attempts + " attempt(s)"));
    }
    LOG.warn("{}; retrying on a fresh pod (attempt {} of {})", why, attempts + 1, settings.maxAttempts());
    events.record(job, Type.Warning, Reason.Retrying, why + "; retrying on a fresh pod");
    status.setPodName(null);
    status.setStartedAt(null);
    setPhase(status, JobPhase.PENDING, JobOutcome.AGENT_LOST, why + "; retrying");
    // A status write raises no event; without this the job would wait for an unrelated one.
    return patch(job).rescheduleAfter(Duration.ofMillis(1));
  }

  // ---- The end of a run ---------------------------------------------------------------------------

  private UpdateControl<ExecutionJob> finish(ExecutionJob job, Pod pod, AgentResult result) {
    ResourceID id = ResourceID.fromResource(job);
    ExecutionJobSpec spec = job.getSpec();
    ExecutionJobStatus status = job.getStatus();
    List<String> outputFiles = List.of();
    if (result.outputs() != null && !result.outputs().isEmpty()) {
      try (InputStream zip = agent.outputs(endpoint(pod))) {
        outputFiles = uploader.upload(spec.getRequestId(), zip);
        retries.remove(id);
      } catch (Exception e) {
        int tries = retries.merge(id, 1, Integer::sum);
        if (tries < MAX_OUTPUT_TRIES) {
          LOG.warn("uploading outputs failed ({}), retrying: {}", tries, e.toString());
          return UpdateControl.<ExecutionJob>noUpdate().rescheduleAfter(backoff(tries));
        }
        LOG.error("uploading outputs failed {} times, publishing without them: {}", tries, e.toString());
        retries.remove(id);
      }
    }
    JobOutcome outcome = JobOutcome.of(result, spec.getTimeoutMs());
    Integer allocated = Objects.requireNonNullElse(status.getAllocatedMemoryMb(), spec.getMemoryMb());
    Tuning tuning = tuner.analyze(result.peakMemoryBytes(), allocated);
    status.setDurationMs(result.durationMs());
    status.setExitCode(result.exitCode());
    status.setPeakMemoryBytes(result.peakMemoryBytes());
    status.setRecommendedMemoryMb(tuning.recommendedMemoryMb());
    status.setOptimizationTip(tuning.optimizationTip());
    status.setOutputFiles(outputFiles);
    status.setStdoutTail(tail(result.stdout()));
    JobResult published = new JobResult(spec.getRequestId(), spec.getFunctionId(), settings.workerId(),
        outcome.status(), result.exitCode(), result.stdout(), result.stderr(), result.durationMs(),
        result.peakMemoryBytes(), allocated, tuning.optimizationTip(), tuning.estimatedSavings(),
        tuning.recommendedMemoryMb(), result.cpuMs(), outputFiles, outcome.reason(), result.buildMs(),
        queuedMs(job), result.truncated());
    return complete(job, outcome, published);
  }

  private UpdateControl<ExecutionJob> failBeforeRun(ExecutionJob job, String reason, String message) {
    return failBeforeRun(job, JobOutcome.failed(reason, message));
  }

  private UpdateControl<ExecutionJob> failBeforeRun(ExecutionJob job, JobOutcome outcome) {
    ExecutionJobSpec spec = job.getSpec();
    JobResult result = new JobResult(spec.getRequestId(), spec.getFunctionId(), settings.workerId(),
        outcome.status(), null, "", outcome.message(), null, null, job.getStatus().getAllocatedMemoryMb(),
        null, null, null, null, List.of(), outcome.reason(), null, queuedMs(job));
    return complete(job, outcome, result);
  }

  /** Writes the final status and publishes; a publish that fails leaves resultPublished false. */
  private UpdateControl<ExecutionJob> complete(ExecutionJob job, JobOutcome outcome, JobResult result) {
    ExecutionJobStatus status = job.getStatus();
    status.setFinishedAt(now().toString());
    setPhase(status, outcome.phase(), outcome.reason(), outcome.message());
    status.setResultPublished(false);
    pending.put(ResourceID.fromResource(job), result);
    return publish(job);
  }

  private UpdateControl<ExecutionJob> publish(ExecutionJob job) {
    ResourceID id = ResourceID.fromResource(job);
    ExecutionJobStatus status = job.getStatus();
    JobResult result = pending.computeIfAbsent(id, k -> rebuiltResult(job));
    try {
      publisher.publish(result);
    } catch (ResultStoreUnavailableException e) {
      int tries = retries.merge(id, 1, Integer::sum);
      LOG.warn("Redis unavailable, result not published yet (try {}): {}", tries, e.getMessage());
      return patch(job).rescheduleAfter(backoff(tries));
    }
    status.setResultPublished(true);
    // The final status is saved before the pod goes: if the save fails, the retry still finds the pod
    // and re-reads its result, where a deleted pod would look lost and the function would run again.
    UpdateControl<ExecutionJob> saved = patch(job);
    pending.remove(id);
    retries.remove(id);
    runs.forget(id);
    finished(job, status, result);
    currentPodName(job).ifPresent(name -> deletePod(job.getMetadata().getNamespace(), name));
    return saved.rescheduleAfter(settings.ttlAfterFinished());
  }

  private void finished(ExecutionJob job, ExecutionJobStatus status, JobResult result) {
    String runtime = job.getSpec().getRuntime().wireName();
    double seconds = result.durationMs() == null ? 0 : result.durationMs() / 1000.0;
    metrics.jobFinished(result.status().name(), runtime, job.getSpec().getModelId(), seconds);
    if (status.getStartedAt() != null && result.durationMs() != null) {
      double wall = Duration.between(Instant.parse(status.getStartedAt()), now()).toMillis() / 1000.0;
      metrics.overhead(runtime, Math.max(0, wall - seconds));
    }
    Reason reason = switch (status.getPhase()) {
      case SUCCEEDED -> Reason.Succeeded;
      case TIMED_OUT -> Reason.TimedOut;
      default -> Reason.Failed;
    };
    events.record(job, status.getPhase() == JobPhase.SUCCEEDED ? Type.Normal : Type.Warning, reason,
        status.getMessage() == null ? reason.name() : status.getMessage());
    LOG.info("job {} finished: {} {}", job.getMetadata().getName(), status.getPhase(),
        status.getReason() == null ? "" : status.getReason());
  }

  /**
   * The result of a job whose full result was lost with an operator restart before Redis took it:
   * rebuilt from the status, with stdout from the 4 KiB tail.
   */
  private JobResult rebuiltResult(ExecutionJob job) {
    ExecutionJobSpec spec = job.getSpec();
    ExecutionJobStatus s = job.getStatus();
    Tuning tuning = tuner.analyze(s.getPeakMemoryBytes(),
        Objects.requireNonNullElse(s.getAllocatedMemoryMb(), spec.getMemoryMb()));
    io.infraworker.api.ResultStatus resultStatus = switch (s.getPhase()) {
      case SUCCEEDED -> io.infraworker.api.ResultStatus.SUCCESS;
      case TIMED_OUT -> io.infraworker.api.ResultStatus.TIMEOUT;
      default -> io.infraworker.api.ResultStatus.FAILED;
    };
    return new JobResult(spec.getRequestId(), spec.getFunctionId(), settings.workerId(), resultStatus,
        s.getExitCode(), Objects.requireNonNullElse(s.getStdoutTail(), ""),
        s.getPhase() == JobPhase.SUCCEEDED ? "" : Objects.requireNonNullElse(s.getMessage(), ""),
        s.getDurationMs(), s.getPeakMemoryBytes(), s.getAllocatedMemoryMb(), tuning.optimizationTip(),
        tuning.estimatedSavings(), tuning.recommendedMemoryMb(), null,
        Objects.requireNonNullElse(s.getOutputFiles(), List.of()), s.getReason(), null, queuedMs(job));
  }

  // ---- Final phases -------------------------------------------------------------------------------

  private UpdateControl<ExecutionJob> afterFinish(ExecutionJob job, Context<ExecutionJob> context) {
    ExecutionJobStatus status = job.getStatus();
    if (!Boolean.TRUE.equals(status.getResultPublished())) {
      return publish(job);
    }
    currentPod(job, context).ifPresent(p -> deletePod(p.getMetadata().getNamespace(), p.getMetadata().getName()));
    Instant finished = status.getFinishedAt() == null ? now() : Instant.parse(status.getFinishedAt());
    Duration left = Duration.between(now(), finished.plus(settings.ttlAfterFinished()));
    if (left.isNegative() || left.isZero()) {
      LOG.info("job {} finished more than {} ago, deleting it", job.getMetadata().getName(),
          settings.ttlAfterFinished());
      try {
        client.resource(job).delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
      statuses.forget(ResourceID.fromResource(job));
      return UpdateControl.noUpdate();
    }
    return UpdateControl.<ExecutionJob>noUpdate().rescheduleAfter(left);
  }

  // ---- Helpers ------------------------------------------------------------------------------------

  private Optional<Pod> currentPod(ExecutionJob job, Context<ExecutionJob> context) {
    String name = job.getMetadata().getName();
    Optional<Pod> cached = context.getSecondaryResources(Pod.class).stream()
        .filter(p -> name.equals(Labels.get(p, Labels.JOB).orElse(null)))
        .filter(p -> !PodStates.isTerminating(p))
        .findFirst();
    if (cached.isPresent() || job.getStatus().getPodName() == null) {
      return cached;
    }
    // The cache may lag behind our own claim; ask the API server before calling the pod lost.
    Pod live = client.pods().inNamespace(job.getMetadata().getNamespace())
        .withName(job.getStatus().getPodName()).get();
    return live == null || PodStates.isTerminating(live)
        || !name.equals(Labels.get(live, Labels.JOB).orElse(null)) ? Optional.empty() : Optional.of(live);
  }

  private Optional<String> currentPodName(ExecutionJob job) {
    return Optional.ofNullable(job.getStatus().getPodName());
  }

  private void deletePod(String namespace, String name) {
    try {
      client.pods().inNamespace(namespace).withName(name).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        LOG.warn("could not delete pod {}: {}", name, e.getMessage());
      }
    }
  }

  static AgentEndpoint endpoint(Pod pod) {
    String token = agentContainer(pod)
        .flatMap(c -> c.getEnv() == null ? Optional.empty() : c.getEnv().stream()
            .filter(e -> SandboxPodFactory.AGENT_TOKEN_ENV.equals(e.getName())).map(EnvVar::getValue).findFirst())
        .orElse("");
    return new AgentEndpoint(pod.getStatus().getPodIP(), SandboxPodFactory.AGENT_PORT, token);
  }

  private static Integer memoryMb(Pod pod) {
    return agentContainer(pod)
        .map(c -> c.getResources() == null || c.getResources().getLimits() == null ? null
            : c.getResources().getLimits().get("memory"))
        .map(q -> (int) (q.getNumericalAmount().longValue() / (1024 * 1024)))
        .orElse(null);
  }

  private static Optional<io.fabric8.kubernetes.api.model.Container> agentContainer(Pod pod) {
    return pod.getSpec().getContainers().stream()
        .filter(c -> SandboxPodFactory.AGENT_CONTAINER.equals(c.getName()))
        .findFirst();
  }

  private long runSeconds(ExecutionJobSpec spec) {
    return (spec.getTimeoutMs() + 999) / 1000 + settings.deadlineGrace().toSeconds();
  }

  private Long queuedMs(ExecutionJob job) {
    ExecutionJobStatus status = job.getStatus();
    Optional<String> from = annotation(job, SENT_AT_ANNOTATION).or(() -> Optional.ofNullable(status.getReceivedAt()));
    if (from.isEmpty() || status.getStartedAt() == null) {
      return null;
    }
    return Math.max(0, Duration.between(Instant.parse(from.get()), Instant.parse(status.getStartedAt())).toMillis());
  }

  private static Optional<String> annotation(ExecutionJob job, String key) {
    Map<String, String> annotations = job.getMetadata().getAnnotations();
    return annotations == null ? Optional.empty() : Optional.ofNullable(annotations.get(key));
  }

  private static String tail(String stdout) {
    if (stdout == null) {
      return null;
    }
    byte[] bytes = stdout.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= ExecutionJobStatus.STDOUT_TAIL_BYTES) {
      return stdout;
    }
    int start = bytes.length - ExecutionJobStatus.STDOUT_TAIL_BYTES;
    while (start < bytes.length && (bytes[start] & 0xC0) == 0x80) {
      start++; // never start inside a UTF-8 sequence
    }
    return new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
  }

  /**
   * Sets phase, reason and message, and the one condition kubectl users look for: {@code Complete},
   * True once the job is final (whatever its outcome), with the time it last changed.
   */
  private void setPhase(ExecutionJobStatus status, JobPhase phase, String reason, String message) {
    String complete = phase.isTerminal() ? "True" : "False";
    StatusCondition previous = status.getConditions() == null ? null
        : status.getConditions().stream().filter(c -> "Complete".equals(c.getType())).findFirst().orElse(null);
    String since = previous != null && complete.equals(previous.getStatus())
        ? previous.getLastTransitionTime() : now().toString();
    status.setPhase(phase);
    status.setReason(reason);
    status.setMessage(message);
    status.setConditions(List.of(new StatusCondition("Complete", complete, reason, message, since,
        status.getObservedGeneration())));
  }

  private static boolean isTerminal(ExecutionJobStatus status) {
    return status != null && status.getPhase() != null && status.getPhase().isTerminal();
  }

  /** Writes the status now, with its optimistic lock; the framework's own status patch is not used. */
  private UpdateControl<ExecutionJob> patch(ExecutionJob job) {
    statuses.write(job);
    return UpdateControl.noUpdate();
  }

  private static Duration backoff(int tries) {
    long millis = Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(tries, 10));
    return Duration.ofMillis(millis);
  }

  private Instant now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.MILLIS);
  }

  private double secondsSince(Instant start) {
    return Math.max(0, Duration.between(start, now()).toMillis() / 1000.0);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
