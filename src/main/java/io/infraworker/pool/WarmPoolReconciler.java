package io.infraworker.pool;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.infraworker.api.StatusCondition;
import io.infraworker.api.WarmPool;
import io.infraworker.api.WarmPoolStatus;
import io.infraworker.metrics.EventRecorder;
import io.infraworker.metrics.EventRecorder.Reason;
import io.infraworker.metrics.EventRecorder.Type;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps {@code spec.replicas} standby pods per WarmPool and reports what it sees in the status. */
public class WarmPoolReconciler implements Reconciler<WarmPool> {
  private static final Logger LOG = LoggerFactory.getLogger(WarmPoolReconciler.class);
  public static final String NAME = "warmpool";
  static final String POD_EVENT_SOURCE = "warmpool-pods";

  private final KubernetesClient client;
  private final SandboxPodFactory podFactory;
  private final EventRecorder events;
  private final Clock clock;
  private volatile InformerEventSource<Pod, WarmPool> podEventSource;

  public WarmPoolReconciler(
      KubernetesClient client, SandboxPodFactory podFactory, EventRecorder events, Clock clock) {
    this.client = client;
    this.podFactory = podFactory;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, WarmPool>> prepareEventSources(EventSourceContext<WarmPool> context) {
    // Pods name their pool in a label, not only in an owner reference: a claim moves the owner to the
    // job, yet the pool still has to see its claimed pods come and go to count them.
    var config = InformerEventSourceConfiguration.from(Pod.class, WarmPool.class)
        .withName(POD_EVENT_SOURCE)
        .withLabelSelector(Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE)
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(pod -> Labels.get(pod, Labels.POOL)
            .map(pool -> Set.of(new ResourceID(pool, pod.getMetadata().getNamespace())))
            .orElse(Set.of()))
        .build();
    podEventSource = new InformerEventSource<>(config, context);
    return List.of(podEventSource);
  }

  @Override
  public UpdateControl<WarmPool> reconcile(WarmPool pool, Context<WarmPool> context) {
    String poolName = pool.getMetadata().getName();
    List<Pod> pods = context.getSecondaryResources(Pod.class).stream()
        .filter(pod -> poolName.equals(Labels.get(pod, Labels.POOL).orElse(null)))
        .filter(pod -> !PodStates.isTerminating(pod))
        .collect(Collectors.toList());

    List<Pod> standby = new ArrayList<>();
    int claimed = 0;
    for (Pod pod : pods) {
      if (Labels.isClaimed(pod)) {
        claimed++;
      } else if (Labels.isStandby(pod)) {
        if (PodStates.isFinished(pod)) {
          replaceFailed(pool, pod);
        } else {
          standby.add(pod);
        }
      }
    }

    int desired = desiredReplicas(pool);
    if (standby.size() < desired) {
      standby.addAll(scaleUp(pool, desired - standby.size()));
    } else if (standby.size() > desired) {
      standby.removeAll(scaleDown(pool, standby, standby.size() - desired));
    }

    int ready = (int) standby.stream().filter(PodStates::isReady).count();
    WarmPoolStatus status = status(pool, standby.size(), ready, claimed, desired);
    if (sameStatus(pool.getStatus(), status)) {
      return UpdateControl.noUpdate();
    }
    pool.setStatus(status);
    return UpdateControl.patchStatus(pool);
  }

  static int desiredReplicas(WarmPool pool) {
    int replicas = Objects.requireNonNullElse(pool.getSpec().getReplicas(), 0);
    return Math.max(0, replicas);
  }

  private void replaceFailed(WarmPool pool, Pod pod) {
    String why = PodStates.finishReason(pod).orElse(PodStates.phase(pod));
    deletePod(pod);
    LOG.info("pool {}: standby pod {} stopped ({}), replacing it", pool.getMetadata().getName(),
        pod.getMetadata().getName(), why);
    events.record(pool, Type.Warning, Reason.PodReplaced,
        "Standby pod " + pod.getMetadata().getName() + " stopped (" + why + "); replacing it");
  }

  private List<Pod> scaleUp(WarmPool pool, int count) {
    List<Pod> created = new ArrayList<>();
    ResourceID poolId = ResourceID.fromResource(pool);
    for (int i = 0; i < count; i++) {
      Pod pod = client.pods().inNamespace(pool.getMetadata().getNamespace())
          .resource(podFactory.standbyPod(pool)).create();
      // Put the new pod in the cache now, or a reconcile that runs before the informer sees it
      // would create it again.
      podEventSource.handleRecentResourceCreate(poolId, pod);
      created.add(pod);
    }
    String names = created.stream().map(p -> p.getMetadata().getName()).collect(Collectors.joining(", "));
    LOG.info("pool {}: created {} standby pod(s): {}", pool.getMetadata().getName(), count, names);
    events.record(pool, Type.Normal, Reason.ScaledUp, "Created standby pod(s): " + names);
    return created;
  }

  private List<Pod> scaleDown(WarmPool pool, List<Pod> standby, int count) {
    // Remove the pods least useful first: not ready before ready, then the youngest.
    List<Pod> surplus = standby.stream()
        .sorted(Comparator.comparing(PodStates::isReady)
            .thenComparing((Pod p) -> Objects.requireNonNullElse(p.getMetadata().getCreationTimestamp(), ""),
                Comparator.reverseOrder()))
        .limit(count)
        .collect(Collectors.toList());
    surplus.forEach(this::deletePod);
    String names = surplus.stream().map(p -> p.getMetadata().getName()).collect(Collectors.joining(", "));
    LOG.info("pool {}: deleted {} surplus standby pod(s): {}", pool.getMetadata().getName(), count, names);
    events.record(pool, Type.Normal, Reason.ScaledDown, "Deleted surplus standby pod(s): " + names);
    return surplus;
  }

  private void deletePod(Pod pod) {
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName()).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private WarmPoolStatus status(WarmPool pool, int replicas, int ready, int claimed, int desired) {
    WarmPoolStatus status = new WarmPoolStatus();
    status.setReplicas(replicas);
    status.setReadyReplicas(ready);
    status.setClaimed(claimed);
    status.setSelector(Labels.standbySelector(pool.getMetadata().getName()));
    status.setObservedGeneration(pool.getMetadata().getGeneration());
    boolean isReady = ready >= desired;
    StatusCondition previous = pool.getStatus() == null || pool.getStatus().getConditions() == null
        ? null
        : pool.getStatus().getConditions().stream()
            .filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
    String statusValue = isReady ? "True" : "False";
    String transition = previous != null && statusValue.equals(previous.getStatus())
        ? previous.getLastTransitionTime()
        : Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    status.setConditions(List.of(new StatusCondition("Ready", statusValue,
        isReady ? "PoolReady" : "PodsNotReady", ready + " of " + desired + " standby pods ready",
        transition, pool.getMetadata().getGeneration())));
    return status;
  }

  private static boolean sameStatus(WarmPoolStatus a, WarmPoolStatus b) {
    if (a == null) {
      return false;
    }
    return Objects.equals(a.getReplicas(), b.getReplicas())
        && Objects.equals(a.getReadyReplicas(), b.getReadyReplicas())
        && Objects.equals(a.getClaimed(), b.getClaimed())
        && Objects.equals(a.getSelector(), b.getSelector())
        && Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
        && Objects.equals(a.getConditions(), b.getConditions());
  }
}
