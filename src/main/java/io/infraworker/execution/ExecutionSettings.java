package io.infraworker.execution;

import io.infraworker.api.Runtime;
import java.time.Duration;
import java.util.function.Function;

/**
 * What the ExecutionJob reconciler needs from the operator's configuration.
 *
 * @param workerId the replica's id, written into every result
 * @param maxAttempts pods a job may be started on before it fails with AgentLost
 * @param coldStartAfter how long a job waits for a standby pod before it gets a dedicated one
 * @param deadlineGrace added to a run's timeout for the HTTP call and the pod's deadline
 * @param maxOutputBytes stdout and stderr kept per run
 * @param ttlAfterFinished how long finished jobs stay
 * @param images the image of a dedicated pod when no pool of the runtime exists
 * @param cpu the CPU of such a pod
 */
public record ExecutionSettings(
    String workerId,
    int maxAttempts,
    Duration coldStartAfter,
    Duration deadlineGrace,
    long maxOutputBytes,
    Duration ttlAfterFinished,
    Function<Runtime, String> images,
    String cpu) {}
