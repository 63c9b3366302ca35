package io.infraworker.cli.submit;

import io.infraworker.api.JobPhase;
import java.util.Optional;

/** Tells the phase of a request's ExecutionJob, where a cluster can be asked. */
@FunctionalInterface
public interface JobPhaseSource {
  /** No cluster: the progress shows queued → done. */
  JobPhaseSource NONE = requestId -> Optional.empty();

  /** The job's phase; empty when it does not exist yet or the cluster cannot be asked. */
  Optional<JobPhase> phase(String requestId);
}
