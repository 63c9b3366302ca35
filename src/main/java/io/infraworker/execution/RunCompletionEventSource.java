package io.infraworker.execution;

import io.infraworker.api.ExecutionJob;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;

/** Turns the end of a run (an HTTP response from an agent) into a reconcile of its job. */
public class RunCompletionEventSource extends AbstractEventSource<Void, ExecutionJob> {
  public static final String NAME = "run-completions";

  public RunCompletionEventSource() {
    super(Void.class, NAME);
  }

  /** Run completions are events only; there is nothing to cache. */
  @Override
  public Set<Void> getSecondaryResources(ExecutionJob primary) {
    return Set.of();
  }

  public void runEnded(ResourceID job) {
    if (isRunning()) {
      getEventHandler().handleEvent(new Event(job));
    }
  }
}
