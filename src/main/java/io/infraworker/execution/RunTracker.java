package io.infraworker.execution;

import io.infraworker.execution.agent.AgentResult;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The runs this operator process started and has not finished handling, so a reconcile never waits
 * for a run: it starts it, returns, and the run's end triggers the next reconcile. One entry per
 * active job (bounded by MAX_IN_FLIGHT through intake's backpressure); removed once the result is
 * published.
 */
public class RunTracker {
  private final Map<ResourceID, CompletableFuture<AgentResult>> runs = new ConcurrentHashMap<>();
  private final Consumer<ResourceID> onDone;

  /** @param onDone called when a run ends, to trigger the job's next reconcile */
  public RunTracker(Consumer<ResourceID> onDone) {
    this.onDone = onDone;
  }

  public boolean isTracked(ResourceID job) {
    return runs.containsKey(job);
  }

  /** Tracks a started run; when it ends, successfully or not, the job is reconciled again. */
  public void track(ResourceID job, CompletableFuture<AgentResult> run) {
    runs.put(job, run);
    run.whenComplete((result, error) -> onDone.accept(job));
  }

  /** The run's state: empty while it runs; the result or the failure once it ended. */
  public Optional<CompletableFuture<AgentResult>> finished(ResourceID job) {
    CompletableFuture<AgentResult> run = runs.get(job);
    return run != null && run.isDone() ? Optional.of(run) : Optional.empty();
  }

  /** Remembers a result learned another way (a re-attach after a restart). */
  public void completed(ResourceID job, AgentResult result) {
    runs.put(job, CompletableFuture.completedFuture(result));
  }

  public void forget(ResourceID job) {
    runs.remove(job);
  }

  /** Forgets the runs of the jobs the predicate picks (jobs deleted while running). */
  public void forgetIf(java.util.function.Predicate<ResourceID> picked) {
    runs.keySet().removeIf(picked);
  }

  public int size() {
    return runs.size();
  }
}
